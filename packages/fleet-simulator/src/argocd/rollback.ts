import { createHash } from 'crypto';
import { SimContext } from '../context';
import { KObject } from '../store/types';
import { specSources } from './apps';
import { ArgoError, GRPC } from './errors';
import { resolveGitRevision } from './revisions';
import { operationRunning, startSync } from './sync';

/**
 * Rollback and managed resources of Argo CD's application API, as application.go answers
 * them: a rollback is a sync operation to the revision (and source) of one history entry,
 * refused while auto-sync is on; managed resources are each resource's desired and live
 * manifests as JSON text, the live one drifted where the resource is OutOfSync.
 */

/** POST /api/v1/applications/{name}/rollback (ApplicationRollbackRequest). */
export function startRollback(
  ctx: SimContext,
  instance: string,
  app: KObject,
  body: any,
  username: string,
): KObject {
  const name = app.metadata.name;
  if (app.metadata.deletionTimestamp)
    throw new ArgoError(GRPC.FailedPrecondition, 'application is deleting');
  if (app.spec?.syncPolicy?.automated)
    throw new ArgoError(
      GRPC.FailedPrecondition,
      'rollback cannot be initiated when auto-sync is enabled',
    );
  if (operationRunning(app))
    throw new ArgoError(
      GRPC.FailedPrecondition,
      'another operation is already in progress',
    );
  const id = Number(body?.id);
  if (body?.id === undefined || !Number.isInteger(id))
    throw new ArgoError(
      GRPC.InvalidArgument,
      `parsing field "id": invalid value ${JSON.stringify(body?.id)}`,
    );
  const entry = (app.status?.history ?? []).find((h: any) => h.id === id);
  if (!entry)
    throw new ArgoError(
      GRPC.InvalidArgument,
      `application ${name} does not have deployment with id ${id}`,
    );
  const resolved = Array.isArray(entry.revisions)
    ? { revisions: entry.revisions as string[], sources: entry.sources }
    : { revision: entry.revision as string, source: entry.source };
  return startSync(
    ctx,
    instance,
    app,
    { prune: !!body?.prune, dryRun: !!body?.dryRun },
    username,
    resolved,
  );
}

const short = (rev: string) => (rev || 'unknown').slice(0, 7);

/** A stable number from a resource and a revision, for replicas and config values. */
function draw(...parts: string[]): number {
  return createHash('sha256').update(parts.join('\0')).digest().readUInt8(0);
}

/** The manifest a resource of `app` has at `revision` (what the repo renders). */
export function renderedManifest(
  app: KObject,
  r: any,
  revision: string,
): Record<string, unknown> {
  const appName = app.metadata.name!;
  const metadata: Record<string, unknown> = {
    name: r.name,
    ...(r.namespace ? { namespace: r.namespace } : {}),
    labels: { 'app.kubernetes.io/instance': appName },
  };
  const apiVersion = r.group ? `${r.group}/${r.version}` : r.version ?? 'v1';
  const base = { apiVersion, kind: r.kind, metadata };
  if (r.kind === 'Deployment' || r.kind === 'StatefulSet')
    return {
      ...base,
      spec: {
        replicas: 1 + (draw(appName, r.name, revision) % 3),
        selector: { matchLabels: { app: r.name } },
        template: {
          metadata: { labels: { app: r.name } },
          spec: {
            containers: [
              {
                name: r.name,
                image: `quay.io/hybridcloudpatterns/${r.name}:${short(
                  revision,
                )}`,
              },
            ],
          },
        },
      },
    };
  if (r.kind === 'ConfigMap' || r.kind === 'Secret')
    return {
      ...base,
      data: { revision: short(revision), 'log-level': 'info' },
    };
  return {
    ...base,
    metadata: {
      ...metadata,
      annotations: { 'validatedpatterns.io/revision': short(revision) },
    },
  };
}

/** What drifted on the cluster: someone scaled it, or edited its data, by hand. */
function drifted(manifest: Record<string, any>): Record<string, unknown> {
  const next = JSON.parse(JSON.stringify(manifest));
  if (next.spec?.replicas !== undefined) next.spec.replicas += 2;
  else if (next.data) next.data['log-level'] = 'debug';
  else
    next.metadata.annotations = {
      ...(next.metadata.annotations ?? {}),
      'kubectl.kubernetes.io/last-applied-by': 'oc-edit',
    };
  return next;
}

/** GET /api/v1/applications/{name}/managed-resources (ManagedResourcesResponse). */
export async function managedResources(
  ctx: SimContext,
  app: KObject,
  q: URLSearchParams,
): Promise<{ items: Record<string, unknown>[] }> {
  const deployed: string =
    app.status?.sync?.revision ?? app.status?.sync?.revisions?.[0] ?? '';
  const source = specSources(app.spec)[0];
  let target = deployed;
  if (
    !app.status?.sync?.revisions &&
    source?.repoURL &&
    !source.chart &&
    app.status?.sync?.status === 'OutOfSync'
  ) {
    try {
      target = await resolveGitRevision(
        ctx,
        source.repoURL,
        source.targetRevision || 'HEAD',
      );
    } catch {
      target = deployed;
    }
  }
  const filters = ['namespace', 'name', 'version', 'group', 'kind'] as const;
  const items = (app.status?.resources ?? [])
    .filter((r: any) =>
      filters.every(f => !q.get(f) || (r[f] ?? '') === q.get(f)),
    )
    .map((r: any) => {
      const modified = r.status === 'OutOfSync';
      const desired = renderedManifest(app, r, target);
      const missing = modified && r.health?.status === 'Missing';
      let live: Record<string, unknown> | null = desired;
      if (missing) live = null;
      else if (modified) live = drifted(renderedManifest(app, r, deployed));
      const text = (o: unknown) => (o === null ? 'null' : JSON.stringify(o));
      return {
        group: r.group ?? '',
        kind: r.kind,
        namespace: r.namespace ?? '',
        name: r.name,
        targetState: text(desired),
        liveState: text(live),
        normalizedLiveState: text(live),
        predictedLiveState: text(desired),
        hook: false,
        modified,
        resourceVersion: app.metadata.resourceVersion ?? '',
      };
    });
  return { items };
}
