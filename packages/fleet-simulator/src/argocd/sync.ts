import { SimContext } from '../context';
import { KObject } from '../store/types';
import { typeKey, TYPE } from '../k8s/registry';

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
 * Start a sync operation the way the application controller runs one: `operation` is set
 * and `operationState.phase` is Running; after `syncDurationMs` the operation finishes,
 * the app becomes Synced at a new revision and its health settles (via Progressing when
 * it was not Healthy).
 */
export function startSync(
  ctx: SimContext,
  instance: string,
  app: KObject,
  body: any,
  username: string,
): KObject {
  const next = clone(app);
  const single = next.spec.source;
  const revision =
    typeof body?.revision === 'string' && body.revision
      ? body.revision
      : single?.targetRevision ?? 'HEAD';
  const syncOp: Record<string, unknown> = {
    revision,
    prune: !!body?.prune,
    dryRun: !!body?.dryRun,
  };
  if (next.spec.sources) {
    delete syncOp.revision;
    syncOp.revisions = next.spec.sources.map(
      (s: any) => s.targetRevision ?? 'HEAD',
    );
  }
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
  const revision = ctx.runtimePrng.hex(40);
  const finishedAt = iso();
  next.status.operationState = {
    ...next.status.operationState,
    phase: 'Succeeded',
    message: 'successfully synced (all tasks run)',
    finishedAt,
    syncResult: {
      revision,
      ...(next.spec.sources
        ? { sources: next.spec.sources, revisions: [revision] }
        : { source: next.spec.source }),
    },
  };
  if (!dryRun) {
    next.status.sync = {
      ...next.status.sync,
      status: 'Synced',
      ...(next.spec.sources ? { revisions: [revision] } : { revision }),
    };
    next.status.resources = (next.status.resources ?? []).map((r: any) => ({
      ...r,
      status: 'Synced',
    }));
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
      ...(next.spec.sources
        ? { sources: next.spec.sources, revisions: [revision] }
        : { source: next.spec.source }),
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
