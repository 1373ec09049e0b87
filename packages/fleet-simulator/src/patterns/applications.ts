import crypto from 'crypto';
import { KObject } from '../store/types';
import { ARGO_NS, PATTERN_LABEL, resolveChartVersion } from '../fleet/apps';
import { GROUP_APPS, HUB_APPS } from '../fleet/catalog';
import type { Source } from './render';

/**
 * Argo CD Applications as the application controller reports them while it auto-syncs a
 * new or changed app: OutOfSync at the new commit, then a sync operation Running
 * (Progressing), then Synced and Progressing, then Healthy.
 */

export type Stage = 'outOfSync' | 'syncing' | 'synced' | 'healthy';
export const STAGES: Stage[] = ['outOfSync', 'syncing', 'synced', 'healthy'];

/** The tracking label Argo CD puts on what an app of apps deploys. */
export const INSTANCE_LABEL = 'app.kubernetes.io/instance';

/** What the app of apps or the chart asks for: an Application's spec and labels. */
export interface DesiredApp {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  spec: Record<string, any>;
  /** child Applications an app of apps deploys (its status.resources) */
  children?: { name: string; namespace: string }[];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

/** The revision Argo CD reports for one source: the pattern commit, a chart release, a ref. */
function revisionOf(s: Source, patternRepo: string, commit: string): string {
  if (s.repoURL === patternRepo) return commit;
  if (s.chart) return resolveChartVersion(s.chart, s.targetRevision);
  // another git repo: a stable stand-in for the commit its ref resolves to
  return crypto
    .createHash('sha1')
    .update(`${s.repoURL}\0${s.targetRevision}`)
    .digest('hex');
}

const KNOWN = new Map(
  [...HUB_APPS, ...GROUP_APPS].map(d => [d.name, d] as const),
);

function resources(app: DesiredApp, synced: boolean) {
  const status = synced ? 'Synced' : 'OutOfSync';
  if (app.children)
    return app.children.map(c => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Application',
      namespace: c.namespace,
      name: c.name,
      status,
    }));
  const def = KNOWN.get(app.name);
  return (def?.workloads ?? []).map(w => ({
    ...(w.group ? { group: w.group } : {}),
    version: w.version,
    kind: w.kind,
    ...(/^(ClusterSecretStore|MultiClusterHub)$/.test(w.kind)
      ? {}
      : { namespace: app.spec.destination?.namespace }),
    name: w.name,
    status,
  }));
}

/**
 * The Application at `stage` of an auto-sync to `commit`, carrying over what Argo CD keeps
 * (uid, creation time, history, the health of an app that only changed).
 */
export function applicationAt(
  app: DesiredApp,
  previous: KObject | undefined,
  stage: Stage,
  patternRepo: string,
  commit: string,
  now: number,
): KObject {
  const spec = app.spec;
  const multi = Array.isArray(spec.sources);
  const srcRecord = multi ? { sources: spec.sources } : { source: spec.source };
  const revisions: string[] = multi
    ? spec.sources.map((s: Source) => revisionOf(s, patternRepo, commit))
    : [revisionOf(spec.source, patternRepo, commit)];
  const revisionRecord = multi ? { revisions } : { revision: revisions[0] };
  const prevStatus = previous?.status ?? {};
  const at = iso(now);
  const synced = stage === 'synced' || stage === 'healthy';
  // a new app is Missing until synced; a changed one keeps its health until the sync starts
  const HEALTH: Record<Stage, string> = {
    outOfSync: prevStatus.health?.status ?? 'Missing',
    syncing: 'Progressing',
    synced: 'Progressing',
    healthy: 'Healthy',
  };
  const health = HEALTH[stage];
  const operation = {
    sync: revisionRecord,
    initiatedBy: { automated: true },
    retry: { limit: 5 },
  };
  const status: Record<string, any> = {
    sync: {
      status: synced ? 'Synced' : 'OutOfSync',
      ...revisionRecord,
      comparedTo: { ...srcRecord, destination: spec.destination },
    },
    health: {
      status: health,
      lastTransitionTime:
        health === prevStatus.health?.status
          ? prevStatus.health?.lastTransitionTime ?? at
          : at,
    },
    history: prevStatus.history ?? [],
    reconciledAt: at,
    sourceType: 'Helm',
    ...(multi ? { sourceTypes: spec.sources.map(() => 'Helm') } : {}),
    summary: {},
    resources: resources(app, synced),
    controllerNamespace: ARGO_NS,
    resourceHealthSource: 'appTree',
  };
  if (stage === 'outOfSync') {
    if (prevStatus.operationState)
      status.operationState = prevStatus.operationState;
  } else {
    const startedAt =
      stage === 'syncing' ? at : prevStatus.operationState?.startedAt ?? at;
    status.operationState =
      stage === 'syncing'
        ? {
            operation,
            phase: 'Running',
            message: 'waiting for completion of hook and 1 more resources',
            startedAt,
          }
        : {
            operation,
            phase: 'Succeeded',
            message: 'successfully synced (all tasks run)',
            syncResult: { ...revisionRecord, ...srcRecord },
            startedAt,
            finishedAt:
              stage === 'synced'
                ? at
                : prevStatus.operationState?.finishedAt ?? at,
          };
    if (stage === 'synced') {
      const history = [...(prevStatus.history ?? [])];
      const lastId = history.length ? history[history.length - 1].id : 0;
      history.push({
        id: lastId + 1,
        ...(multi ? { revisions } : { revision: revisions[0] }),
        deployedAt: at,
        deployStartedAt: startedAt,
        ...srcRecord,
        initiatedBy: { automated: true },
      });
      // Argo CD keeps 10 history entries by default
      status.history = history.slice(-10);
    }
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: app.name,
      namespace: app.namespace,
      uid: previous?.metadata.uid ?? crypto.randomUUID(),
      generation: previous
        ? (previous.metadata.generation ?? 1) +
          (JSON.stringify(previous.spec) === JSON.stringify(spec) ? 0 : 1)
        : 1,
      creationTimestamp: previous?.metadata.creationTimestamp ?? at,
      labels: app.labels,
      ...(app.children
        ? {}
        : {
            finalizers: ['resources-finalizer.argocd.argoproj.io/foreground'],
          }),
    },
    spec,
    status,
  };
}

/**
 * The app of apps when the chart does not render: Argo CD cannot compare, so it reports
 * Unknown with a ComparisonError naming the problem, and deploys nothing.
 */
export function comparisonError(
  app: DesiredApp,
  previous: KObject | undefined,
  patternRepo: string,
  commit: string,
  message: string,
  now: number,
): KObject {
  const base = applicationAt(
    app,
    previous,
    'outOfSync',
    patternRepo,
    commit,
    now,
  );
  const at = iso(now);
  const old = previous?.status?.conditions?.find(
    (c: any) => c.type === 'ComparisonError',
  );
  base.status.sync.status = 'Unknown';
  base.status.health = previous?.status?.health ?? {
    status: 'Missing',
    lastTransitionTime: at,
  };
  base.status.resources = previous?.status?.resources ?? [];
  base.status.conditions = [
    {
      type: 'ComparisonError',
      message: `Failed to load target state: failed to generate manifest for source 2 of 2: rpc error: code = Unknown desc = Manifest generation error (cached): failed to render the clustergroup chart at ${commit}: ${message}`,
      lastTransitionTime:
        old && old.message.endsWith(message) ? old.lastTransitionTime : at,
    },
  ];
  return base;
}

/** The labels of a chart-rendered app: the pattern's, and the tracking label of its parent. */
export function childLabels(pattern: string, parent: string) {
  return { [PATTERN_LABEL]: pattern, [INSTANCE_LABEL]: parent };
}
