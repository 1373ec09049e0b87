import { SimContext } from '../context';
import { KObject } from '../store/types';
import { typeKey, TYPE } from '../k8s/registry';
import { ArgoError, GRPC } from './errors';
import { resolveGitRevision } from './revisions';

const APP = typeKey(TYPE.application);
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
const iso = (d = new Date()) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export function operationRunning(app: KObject): boolean {
  return (
    !!app.operation ||
    app.status?.operationState?.phase === 'Running' ||
    app.status?.operationState?.phase === 'Terminating'
  );
}

/**
 * What a sync resolved to: the commit (one source) or one revision per source; a rollback
 * also names the history entry's source(s).
 */
export type SyncRevisions = ({ revision: string } | { revisions: string[] }) & {
  source?: unknown;
  sources?: unknown;
};

/** A version range with wildcard parts (`0.9.*`, `1.x`) as a pattern of the releases in it. */
const chartRange = (range: string) =>
  new RegExp(
    `^${range
      .split('.')
      .map(part =>
        /^[*xX]$/.test(part)
          ? '\\d+'
          : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
      )
      .join('\\.')}(?:[-+][0-9A-Za-z.-]+)?$`,
  );

/**
 * The revision one source syncs to, as the repo server resolves it: a Git ref to its
 * commit; a chart's version range to the release the controller resolved it to (the one the
 * app reports for that source), an exact version to itself.
 */
async function resolveSourceRevision(
  ctx: SimContext,
  app: KObject,
  source: any,
  wanted: string,
  index: number,
): Promise<string> {
  if (source?.chart) {
    if (/^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(wanted)) return wanted;
    const reported =
      index >= 0
        ? app.status?.sync?.revisions?.[index]
        : app.status?.sync?.revision;
    if (typeof reported === 'string' && chartRange(wanted).test(reported))
      return reported;
    throw new ArgoError(
      GRPC.FailedPrecondition,
      `no chart version of ${source.chart} in ${source.repoURL} satisfies ${wanted}`,
    );
  }
  try {
    return await resolveGitRevision(ctx, source?.repoURL ?? '', wanted);
  } catch (e) {
    throw new ArgoError(GRPC.FailedPrecondition, (e as Error).message);
  }
}

/**
 * Resolve a sync request's revision(s) before the operation starts, as Argo CD's
 * application server does: an automated app syncs only to its target revision; a ref
 * becomes the commit it points at, so the operation, result and history carry the commit.
 */
export async function resolveSync(
  ctx: SimContext,
  app: KObject,
  body: any,
): Promise<SyncRevisions> {
  if (app.metadata.deletionTimestamp)
    throw new ArgoError(GRPC.FailedPrecondition, 'application is deleting');
  const automated = !!app.spec?.syncPolicy?.automated && !body?.dryRun;
  const sources: any[] | undefined = app.spec?.sources;
  if (Array.isArray(sources)) {
    const wanted = sources.map(s => s?.targetRevision || 'HEAD');
    const positions = Array.isArray(body?.sourcePositions)
      ? body.sourcePositions
      : [];
    const revs = Array.isArray(body?.revisions) ? body.revisions : [];
    positions.forEach((pos: unknown, i: number) => {
      const p = Number(pos);
      if (!Number.isInteger(p) || p < 1 || p > sources.length)
        throw new ArgoError(
          GRPC.InvalidArgument,
          `source position is out of range`,
        );
      if (typeof revs[i] === 'string' && revs[i]) wanted[p - 1] = revs[i];
    });
    const revisions: string[] = [];
    for (let i = 0; i < sources.length; i++) {
      const target = sources[i]?.targetRevision || 'HEAD';
      if (automated && wanted[i] !== target)
        throw new ArgoError(
          GRPC.FailedPrecondition,
          `Cannot sync source ${sources[i]?.repoURL} to ${wanted[i]}: auto-sync currently set to ${sources[i]?.targetRevision}`,
        );
      revisions.push(
        await resolveSourceRevision(ctx, app, sources[i], wanted[i], i),
      );
    }
    return { revisions };
  }
  const source = app.spec?.source;
  const target = source?.targetRevision || 'HEAD';
  const asked =
    typeof body?.revision === 'string' && body.revision ? body.revision : '';
  if (automated && asked && asked !== target)
    throw new ArgoError(
      GRPC.FailedPrecondition,
      `Cannot sync to ${asked}: auto-sync currently set to ${source?.targetRevision}`,
    );
  return {
    revision: await resolveSourceRevision(
      ctx,
      app,
      source,
      asked || target,
      -1,
    ),
  };
}

/**
 * Start a sync operation the way the application controller runs one: `operation` is set
 * and `operationState.phase` is Running; after `syncDurationMs` the operation finishes,
 * the app becomes Synced at the resolved revision and its health settles (via Progressing
 * when it was not Healthy).
 */
export function startSync(
  ctx: SimContext,
  instance: string,
  app: KObject,
  body: any,
  username: string,
  resolved: SyncRevisions,
): KObject {
  const next = clone(app);
  const syncOp: Record<string, unknown> = {
    ...resolved,
    prune: !!body?.prune,
    dryRun: !!body?.dryRun,
  };
  if (body?.strategy) syncOp.syncStrategy = body.strategy;
  if (Array.isArray(body?.resources)) syncOp.resources = body.resources;
  if (body?.syncOptions?.items) syncOp.syncOptions = body.syncOptions.items;
  const operation = { sync: syncOp, initiatedBy: { username }, retry: {} };
  next.operation = operation;
  next.status = next.status ?? {};
  const startedAt = iso();
  next.status.operationState = {
    operation,
    phase: 'Running',
    message: 'waiting for completion of hook and 1 more resources',
    startedAt,
  };
  const stored = ctx.store.put(instance, APP, next);
  ctx.setTimer(
    () =>
      finishSync(
        ctx,
        instance,
        stored.metadata.namespace!,
        stored.metadata.name!,
        startedAt,
      ),
    ctx.options.syncDurationMs,
  );
  return stored;
}

function finishSync(
  ctx: SimContext,
  instance: string,
  ns: string,
  name: string,
  startedAt: string,
) {
  const cur = ctx.store.get(instance, APP, ns, name);
  if (
    !cur ||
    !operationRunning(cur) ||
    cur.status?.operationState?.startedAt !== startedAt
  )
    return;
  const next = clone(cur);
  const op = next.operation ?? next.status.operationState.operation;
  delete next.operation;
  const dryRun = !!op?.sync?.dryRun;
  const revisions: string[] | undefined = op?.sync?.revisions;
  const revision: string = revisions ? revisions[0] : op?.sync?.revision;
  const multi = Array.isArray(next.spec.sources);
  const finishedAt = iso();
  next.status.operationState = {
    ...next.status.operationState,
    phase: 'Succeeded',
    message: 'successfully synced (all tasks run)',
    finishedAt,
    syncResult: {
      revision,
      ...(multi
        ? { sources: next.spec.sources, revisions }
        : { source: next.spec.source }),
    },
  };
  // A rollback is the one operation that pins its source (Argo CD's rollback sets
  // sync.source or sync.sources from the history entry). Unless it deployed the commit the
  // application's target resolves to, Argo CD still compares with that target afterwards:
  // the application stays OutOfSync at the target's commit, and only its history says
  // which commit runs.
  const compared: string | undefined = multi
    ? cur.status?.sync?.revisions?.[0]
    : cur.status?.sync?.revision;
  const behindTarget =
    !!(op?.sync?.source || op?.sync?.sources) &&
    compared !== undefined &&
    compared !== revision;
  if (!dryRun && behindTarget) {
    next.status.sync = { ...next.status.sync, status: 'OutOfSync' };
    next.status.resources = (next.status.resources ?? []).map((r: any) => ({
      ...r,
      status: 'OutOfSync',
    }));
  } else if (!dryRun) {
    next.status.sync = {
      ...next.status.sync,
      status: 'Synced',
      ...(multi ? { revisions } : { revision }),
      comparedTo: {
        ...(multi
          ? { sources: next.spec.sources }
          : { source: next.spec.source }),
        destination: next.spec.destination,
      },
    };
    next.status.resources = (next.status.resources ?? []).map((r: any) => ({
      ...r,
      status: 'Synced',
    }));
  }
  if (!dryRun) {
    const health = next.status.health?.status;
    if (health !== 'Healthy')
      next.status.health = {
        status: 'Progressing',
        lastTransitionTime: finishedAt,
      };
    const history = next.status.history ?? [];
    const lastId = history.length ? history[history.length - 1].id : 0;
    history.push({
      id: lastId + 1,
      revision,
      deployedAt: finishedAt,
      deployStartedAt: startedAt,
      // the source deployed: a rollback's pinned one, else the application's
      ...(multi
        ? { sources: op?.sync?.sources ?? next.spec.sources, revisions }
        : { source: op?.sync?.source ?? next.spec.source }),
      initiatedBy: op?.initiatedBy ?? { automated: true },
    });
    // Argo CD keeps 10 history entries by default
    next.status.history = history.slice(-10);
    delete next.status.conditions;
    next.status.reconciledAt = finishedAt;
    if (health !== 'Healthy') {
      ctx.setTimer(
        () => settleHealth(ctx, instance, ns, name),
        ctx.options.syncDurationMs,
      );
    }
  }
  ctx.store.put(instance, APP, next);
}

function settleHealth(
  ctx: SimContext,
  instance: string,
  ns: string,
  name: string,
) {
  const cur = ctx.store.get(instance, APP, ns, name);
  if (
    !cur ||
    cur.status?.health?.status !== 'Progressing' ||
    operationRunning(cur)
  )
    return;
  const next = clone(cur);
  next.status.health = { status: 'Healthy', lastTransitionTime: iso() };
  ctx.store.put(instance, APP, next);
}

/** DELETE .../operation: terminate the running operation. */
export function terminateOperation(
  ctx: SimContext,
  instance: string,
  app: KObject,
): KObject {
  const next = clone(app);
  delete next.operation;
  next.status.operationState = {
    ...next.status.operationState,
    phase: 'Failed',
    message: 'Operation terminated',
    finishedAt: iso(),
  };
  return ctx.store.put(instance, APP, next);
}
