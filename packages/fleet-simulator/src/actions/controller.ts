import { HUB, SimContext } from '../context';
import {
  operationRunning,
  resolveSync,
  startSync,
  SyncRevisions,
} from '../argocd/sync';
import { ArgoError } from '../argocd/errors';
import { apiVersionOf, ResourceType, TYPE, typeKey } from '../k8s/registry';
import { resourceLabel } from '../k8s/status';
import { validatorFor, toCauses } from '../k8s/validation';
import { KObject, StoreEvent } from '../store/types';
import { newUid } from '../util/ids';
import { typeForKind, typeForResource } from './resources';

/**
 * Stand-ins for ACM's ManagedClusterAction and ManagedClusterView machinery
 * (stolostron/multicloud-operators-foundation): the klusterlet of the cluster whose namespace
 * holds the object carries it out on that cluster a moment after it appears, and the hub
 * deletes a finished action a minute after it completed. The cluster's objects are the ones
 * its Argo CD serves (the store under the cluster's name), so an Update of an Application
 * reaches that spoke's Argo CD, which syncs or refreshes as its application controller would.
 */

const MCA = typeKey(TYPE.managedClusterAction);
const MCV = typeKey(TYPE.managedClusterView);
const MC = typeKey(TYPE.managedCluster);
const APP = typeKey(TYPE.application);

/** How long a klusterlet takes to pick up a new action or view. */
export const ACTION_DELAY_MS = 250;
/** The hub deletes an action this long after its Completed condition last changed. */
export const ACTION_GC_MS = 60_000;
/** A view is read again this often unless `updateIntervalSeconds` says otherwise. */
export const VIEW_INTERVAL_MS = 30_000;

export const COMPLETED = 'Completed';
export const PROCESSING = 'Processing';
export const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';

export interface ActionControllerOptions {
  delayMs?: number;
  gcMs?: number;
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
const iso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** An error as the klusterlet's dynamic client reports it. */
class KubeError extends Error {}

/** A cluster's klusterlet runs only while the cluster is available. */
function clusterAvailable(ctx: SimContext, name: string): boolean {
  const mc = ctx.store.get(HUB, MC, undefined, name);
  return !!mc?.status?.conditions?.some(
    (c: any) =>
      c.type === 'ManagedClusterConditionAvailable' && c.status === 'True',
  );
}

function notFound(rt: ResourceType, name: string) {
  return new KubeError(
    `${resourceLabel(rt.group, rt.plural)} "${name}" not found`,
  );
}

/** metav1.Condition set the way meta.SetStatusCondition does: the time moves on a change only. */
function setCondition(
  conditions: any[] | undefined,
  next: { type: string; status: string; reason: string; message: string },
): any[] {
  const out = [...(conditions ?? [])];
  const i = out.findIndex(c => c.type === next.type);
  if (i < 0) {
    out.push({ ...next, lastTransitionTime: iso() });
  } else {
    const changed = out[i].status !== next.status;
    out[i] = {
      ...next,
      lastTransitionTime: changed ? iso() : out[i].lastTransitionTime,
    };
  }
  return out;
}

/** Schema check of what a klusterlet writes on the spoke (its apiserver would refuse it). */
function checkValid(ctx: SimContext, rt: ResourceType, obj: KObject) {
  const fn = validatorFor(rt, ctx.options.crdDir);
  if (fn && !fn(clone(obj))) {
    const causes = toCauses(fn.errors ?? [], obj)
      .map(c => `${c.field}: ${c.message}`)
      .join(', ');
    throw new KubeError(
      `${rt.kind}.${rt.group || 'core'} "${
        obj.metadata.name
      }" is invalid: ${causes}`,
    );
  }
}

function templateType(template: any): ResourceType {
  if (!template || typeof template !== 'object')
    throw new KubeError('Object with no template');
  const [group, version] = String(template.apiVersion ?? '').includes('/')
    ? String(template.apiVersion).split('/')
    : ['', String(template.apiVersion ?? '')];
  const rt = typeForKind(group, version, String(template.kind ?? ''));
  if (!rt)
    throw new KubeError(
      `no matches for kind "${template.kind}" in version "${template.apiVersion}"`,
    );
  return rt;
}

/**
 * An Application written by an action, as the spoke's application controller takes it: a new
 * `operation` starts that operation (unless one is already running, which goes on), and the
 * refresh annotation makes it reconcile and drop the annotation.
 */
async function storeApplication(
  ctx: SimContext,
  cluster: string,
  current: KObject,
  next: KObject,
): Promise<void> {
  const op = next.operation;
  let stored: KObject;
  if (op?.sync && !operationRunning(current)) {
    const base = clone(next);
    delete base.operation;
    const body = {
      revision: op.sync.revision,
      revisions: op.sync.revisions,
      prune: op.sync.prune,
      dryRun: op.sync.dryRun,
      strategy: op.sync.syncStrategy,
      resources: op.sync.resources,
      ...(op.sync.syncOptions
        ? { syncOptions: { items: op.sync.syncOptions } }
        : {}),
    };
    let resolved: SyncRevisions | undefined;
    let refused: string | undefined;
    try {
      resolved = await resolveSync(ctx, base, body);
    } catch (e) {
      if (!(e instanceof ArgoError)) throw e;
      refused = e.message;
    }
    if (resolved) {
      stored = startSync(
        ctx,
        cluster,
        base,
        body,
        op.initiatedBy?.username ?? 'admin',
        resolved,
      );
    } else {
      // the write went through; the controller fails the operation it cannot start
      const at = iso();
      base.status = {
        ...(base.status ?? {}),
        operationState: {
          operation: op,
          phase: 'Error',
          message: refused,
          startedAt: at,
          finishedAt: at,
        },
      };
      stored = ctx.store.put(cluster, APP, base);
    }
  } else {
    if (operationRunning(current)) {
      // the running operation is the controller's, whatever the template said
      next.operation = current.operation;
      next.status = {
        ...(next.status ?? {}),
        operationState: current.status?.operationState,
      };
      if (!next.operation) delete next.operation;
    } else {
      delete next.operation;
    }
    stored = ctx.store.put(cluster, APP, next);
  }
  const refresh = stored.metadata.annotations?.[REFRESH_ANNOTATION];
  if (refresh) {
    const done = clone(stored);
    delete done.metadata.annotations![REFRESH_ANNOTATION];
    done.status = { ...(done.status ?? {}), reconciledAt: iso() };
    ctx.store.put(cluster, APP, done);
  }
}

async function runUpdate(ctx: SimContext, cluster: string, spec: any) {
  const template = spec.kube?.template;
  const rt = templateType(template);
  const name = template.metadata?.name;
  const namespace = spec.kube?.namespace || template.metadata?.namespace;
  const current = ctx.store.get(
    cluster,
    typeKey(rt),
    rt.namespaced ? namespace : undefined,
    name ?? '',
  );
  if (!name || !current) throw notFound(rt, name ?? '');
  const wantRv = template.metadata?.resourceVersion;
  if (wantRv && wantRv !== current.metadata.resourceVersion)
    throw new KubeError(
      `Operation cannot be fulfilled on ${resourceLabel(
        rt.group,
        rt.plural,
      )} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
    );
  // Upstream patches with a three-way merge whose original is the live object: every field the
  // template leaves out is removed. The template is the whole new object; the server keeps
  // the metadata it owns.
  const next: KObject = clone(template);
  next.apiVersion = current.apiVersion;
  next.kind = current.kind;
  next.metadata = {
    ...next.metadata,
    name: current.metadata.name,
    namespace: current.metadata.namespace,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    generation: current.metadata.generation,
  };
  if (!next.metadata.namespace) delete next.metadata.namespace;
  if (rt.statusSubresource) next.status = current.status;
  checkValid(ctx, rt, next);
  if (typeKey(rt) === APP) await storeApplication(ctx, cluster, current, next);
  else ctx.store.put(cluster, typeKey(rt), next);
}

function runCreate(ctx: SimContext, cluster: string, spec: any) {
  const template = spec.kube?.template;
  const rt = templateType(template);
  const obj: KObject = clone(template);
  obj.apiVersion = apiVersionOf(rt);
  obj.metadata = obj.metadata ?? {};
  if (rt.namespaced)
    obj.metadata.namespace =
      spec.kube?.namespace || obj.metadata.namespace || 'default';
  else delete obj.metadata.namespace;
  if (
    ctx.store.get(
      cluster,
      typeKey(rt),
      obj.metadata.namespace,
      obj.metadata.name ?? '',
    )
  )
    throw new KubeError(
      `${resourceLabel(rt.group, rt.plural)} "${
        obj.metadata.name
      }" already exists`,
    );
  obj.metadata.uid = newUid();
  obj.metadata.creationTimestamp = iso();
  obj.metadata.generation = 1;
  checkValid(ctx, rt, obj);
  ctx.store.put(cluster, typeKey(rt), obj);
}

function runDelete(ctx: SimContext, cluster: string, spec: any) {
  const resource = spec.kube?.resource ?? '';
  const rt = typeForResource(resource);
  if (!rt)
    throw new KubeError(
      `the server doesn't have a resource type "${resource}"`,
    );
  const name = spec.kube?.name ?? '';
  const removed = ctx.store.remove(
    cluster,
    typeKey(rt),
    rt.namespaced ? spec.kube?.namespace : undefined,
    name,
  );
  if (!removed) throw notFound(rt, name);
}

const FAILED_REASON: Record<string, string> = {
  Create: 'CreateResourceFailed',
  Update: 'UpdateResourceFailed',
  Delete: 'DeleteResourceFailed',
};

/** One action, carried out as the klusterlet's action controller does it. */
export async function handleAction(
  ctx: SimContext,
  action: KObject,
): Promise<KObject | undefined> {
  const cluster = action.metadata.namespace!;
  const type = action.spec?.actionType;
  let failure: { reason: string; message: string } | undefined;
  try {
    if (type === 'Create') runCreate(ctx, cluster, action.spec);
    else if (type === 'Update') await runUpdate(ctx, cluster, action.spec);
    else if (type === 'Delete') runDelete(ctx, cluster, action.spec);
    else
      failure = {
        reason: 'ActionTypeInvalid',
        message: `failed to handle ${
          type ?? ''
        } action with err: invalid action type`,
      };
  } catch (e) {
    if (!(e instanceof KubeError)) throw e;
    failure = {
      reason: FAILED_REASON[type],
      message: `failed to handle ${type} action with err: ${e.message}`,
    };
  }
  // the action may have been deleted while the work ran
  const now = ctx.store.get(
    HUB,
    MCA,
    action.metadata.namespace,
    action.metadata.name!,
  );
  if (!now || now.metadata.uid !== action.metadata.uid) return undefined;
  const next = clone(now);
  next.status = next.status ?? {};
  next.status.conditions = setCondition(
    next.status.conditions,
    failure
      ? { type: COMPLETED, status: 'False', ...failure }
      : {
          type: COMPLETED,
          status: 'True',
          reason: 'ActionDone',
          message: 'Resource action is done.',
        },
  );
  if (!failure && type !== 'Delete')
    next.status.result = clone(action.spec.kube.template);
  return ctx.store.put(HUB, MCA, next);
}

/** One view, read as the klusterlet's view controller does it. */
export function handleView(ctx: SimContext, view: KObject): KObject {
  const cluster = view.metadata.namespace!;
  const scope = view.spec?.scope ?? {};
  const next = clone(view);
  next.status = next.status ?? {};
  const fail = (reason: string, message: string) => {
    next.status.conditions = setCondition(next.status.conditions, {
      type: PROCESSING,
      status: 'False',
      reason,
      message,
    });
    return ctx.store.put(HUB, MCV, next);
  };
  if (!scope.name)
    return fail(
      'ResourceNameInvalid',
      'failed to get resource with err: invalid resource name',
    );
  if (!scope.resource && (!scope.kind || !scope.version))
    return fail(
      'ResourceTypeInvalid',
      'failed to get resource with err: invalid resource type',
    );
  const rt = scope.resource
    ? typeForResource(scope.resource)
    : typeForKind(scope.apiGroup ?? '', scope.version, scope.kind);
  if (!rt)
    return scope.resource
      ? fail(
          'ResourceTypeInvalid',
          `failed to get resource with err: the server doesn't have a resource type "${scope.resource}"`,
        )
      : fail(
          'ResourceGVKInvalid',
          `failed to get resource with err: no matches for kind "${
            scope.kind
          }" in version "${scope.apiGroup ? `${scope.apiGroup}/` : ''}${
            scope.version
          }"`,
        );
  if (rt.kind === 'Secret')
    return fail('ResourceTypeInvalid', 'viewing secrets is not allowed');
  const obj = ctx.store.get(
    cluster,
    typeKey(rt),
    rt.namespaced ? scope.namespace : undefined,
    scope.name,
  );
  if (!obj)
    return fail(
      'GetResourceFailed',
      `failed to get resource with err: ${notFound(rt, scope.name).message}`,
    );
  next.status.conditions = setCondition(next.status.conditions, {
    type: PROCESSING,
    status: 'True',
    reason: 'GetResourceProcessing',
    message: 'Watching resources successfully',
  });
  next.status.result = { ...obj, apiVersion: apiVersionOf(rt), kind: rt.kind };
  return ctx.store.put(HUB, MCV, next);
}

const completedAt = (o: KObject): string | undefined =>
  o.status?.conditions?.find((c: any) => c.type === COMPLETED)
    ?.lastTransitionTime;

const specChanged = (ev: StoreEvent) =>
  ev.type === 'ADDED' ||
  JSON.stringify(ev.previous?.spec) !== JSON.stringify(ev.object.spec);

/**
 * Start the action and view controllers of every managed cluster and the hub's clean-up of
 * finished actions; returns a function that stops them.
 */
export function startActionControllers(
  ctx: SimContext,
  opts: ActionControllerOptions = {},
): () => void {
  const delay = opts.delayMs ?? ACTION_DELAY_MS;
  const gcMs = opts.gcMs ?? ACTION_GC_MS;
  const current = (tk: string, o: KObject) => {
    const now = ctx.store.get(HUB, tk, o.metadata.namespace, o.metadata.name!);
    return now && now.metadata.uid === o.metadata.uid ? now : undefined;
  };
  const scheduleGc = (action: KObject | undefined) => {
    const at = action && completedAt(action);
    if (!at) return;
    const wait = Math.max(0, Date.parse(at) + gcMs - Date.now());
    ctx.setTimer(() => {
      const now = current(MCA, action);
      if (now && completedAt(now) === at)
        ctx.store.remove(HUB, MCA, now.metadata.namespace, now.metadata.name!);
    }, wait);
  };
  const runAction = (action: KObject) => {
    const now = current(MCA, action);
    if (!now || !clusterAvailable(ctx, now.metadata.namespace!)) return;
    const done = now.status?.conditions?.some(
      (c: any) => c.type === COMPLETED && c.status === 'True',
    );
    if (done) return;
    handleAction(ctx, now).then(scheduleGc, e =>
      ctx.log(
        `ManagedClusterAction ${now.metadata.namespace}/${now.metadata.name}: ${e}`,
      ),
    );
  };
  const readView = (view: KObject) => {
    const now = current(MCV, view);
    if (now && clusterAvailable(ctx, now.metadata.namespace!))
      handleView(ctx, now);
    return now;
  };
  // a view is read again and again for as long as it exists
  const viewLoop = (view: KObject) => {
    const now = readView(view);
    if (!now) return;
    const seconds = Number(now.spec?.scope?.updateIntervalSeconds);
    ctx.setTimer(
      () => viewLoop(now),
      seconds > 0 ? seconds * 1000 : VIEW_INTERVAL_MS,
    );
  };
  const listener = (ev: StoreEvent) => {
    if (ev.cluster !== HUB || ev.type === 'DELETED') return;
    if (ev.typeKey === MCA && specChanged(ev))
      ctx.setTimer(() => runAction(ev.object), delay);
    else if (ev.typeKey === MCV && ev.type === 'ADDED')
      ctx.setTimer(() => viewLoop(ev.object), delay);
    else if (ev.typeKey === MCV && specChanged(ev))
      ctx.setTimer(() => readView(ev.object), delay);
  };
  return ctx.store.subscribe(listener);
}
