import { SimContext } from '../context';
import { KObject } from '../store/types';
import { APP } from './apps';
import { ArgoError, GRPC } from './errors';
import { getProject, specConditions } from './projects';

/**
 * Updating and deleting Applications through Argo CD's API, with the Kubernetes semantics
 * underneath: a cascading delete puts Argo CD's resources finalizer on the app, so the app
 * stays (with a deletionTimestamp) until the controller has removed what it deployed;
 * an app of apps takes its child Applications with it.
 */

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
const iso = (d = new Date()) => d.toISOString().replace(/\.\d+Z$/, 'Z');

export const FOREGROUND_FINALIZER = 'resources-finalizer.argocd.argoproj.io';
export const BACKGROUND_FINALIZER =
  'resources-finalizer.argocd.argoproj.io/background';
const CASCADE = [FOREGROUND_FINALIZER, BACKGROUND_FINALIZER];
/** propagationPolicy (any case) to the finalizer that carries it; unset means foreground */
const POLICY_FINALIZERS = new Map([
  ['', FOREGROUND_FINALIZER],
  ['foreground', FOREGROUND_FINALIZER],
  ['background', BACKGROUND_FINALIZER],
]);

/** grpc-gateway's parse of a bool query parameter (strconv.ParseBool). */
function boolParam(q: URLSearchParams, name: string): boolean | undefined {
  const raw = q.get(name);
  if (raw === null) return undefined;
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(raw)) return false;
  throw new ArgoError(
    GRPC.InvalidArgument,
    `parsing field "${name}": strconv.ParseBool: parsing "${raw}": invalid syntax`,
  );
}

/**
 * DELETE /api/v1/applications/{name}?cascade&propagationPolicy: cascade (the default) puts
 * the finalizer of the propagation policy on the app; cascade=false takes Argo CD's
 * finalizers off, so the app goes at once and what it deployed stays.
 */
export function deleteApp(
  ctx: SimContext,
  instance: string,
  app: KObject,
  q: URLSearchParams,
): void {
  const cascade = boolParam(q, 'cascade');
  const policy = q.get('propagationPolicy') ?? '';
  if (cascade === false && policy)
    throw new ArgoError(
      GRPC.InvalidArgument,
      'cannot set propagation policy when cascading is disabled',
    );
  let finalizers = [...(app.metadata.finalizers ?? [])];
  if (cascade !== false) {
    const f = POLICY_FINALIZERS.get(policy.toLowerCase());
    if (!f)
      throw new ArgoError(
        GRPC.InvalidArgument,
        `invalid propagation policy: ${policy}`,
      );
    // Kubernetes forbids new finalizers on an object that is already going away
    if (!finalizers.includes(f) && !app.metadata.deletionTimestamp)
      finalizers.push(f);
  } else {
    finalizers = finalizers.filter(f => !CASCADE.includes(f));
  }
  markDeleted(ctx, instance, app, finalizers);
}

function markDeleted(
  ctx: SimContext,
  instance: string,
  app: KObject,
  finalizers: string[],
) {
  const ns = app.metadata.namespace!;
  const name = app.metadata.name!;
  if (finalizers.length === 0) {
    ctx.store.remove(instance, APP, ns, name);
    return;
  }
  const next = clone(app);
  next.metadata.finalizers = finalizers;
  if (!next.metadata.deletionTimestamp) {
    next.metadata.deletionTimestamp = iso();
    next.metadata.deletionGracePeriodSeconds = 0;
    ctx.setTimer(
      () => finalizeDeletion(ctx, instance, ns, name),
      ctx.options.syncDurationMs,
    );
  }
  ctx.store.put(instance, APP, next);
}

/** The controller's part: delete what the app deployed, then drop its finalizer. */
function finalizeDeletion(
  ctx: SimContext,
  instance: string,
  ns: string,
  name: string,
) {
  const cur = ctx.store.get(instance, APP, ns, name);
  if (!cur?.metadata.deletionTimestamp) return;
  const finalizers = cur.metadata.finalizers ?? [];
  if (!finalizers.some(f => CASCADE.includes(f))) return;
  for (const r of cur.status?.resources ?? []) {
    if (r.group !== 'argoproj.io' || r.kind !== 'Application') continue;
    const child = ctx.store.get(
      instance,
      APP,
      r.namespace ?? ns,
      r.name as string,
    );
    if (child)
      markDeleted(ctx, instance, child, child.metadata.finalizers ?? []);
  }
  markDeleted(
    ctx,
    instance,
    cur,
    finalizers.filter(f => !CASCADE.includes(f)),
  );
}

const sameJson = (a: unknown, b: unknown) =>
  JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * PUT /api/v1/applications/{name}?validate&project: the app's spec, labels, annotations and
 * finalizers become the request's (the stored resourceVersion is used, as Argo CD does).
 * The project must exist; with validate (the default) the sources and destination must be
 * permitted by it.
 */
export function updateApp(
  ctx: SimContext,
  instance: string,
  existing: KObject,
  body: any,
  q: URLSearchParams,
): KObject {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new ArgoError(
      GRPC.InvalidArgument,
      'error updating application: application is nil in request',
    );
  const validate = boolParam(q, 'validate') ?? true;
  const spec = body.spec;
  if (!spec || typeof spec !== 'object' || Array.isArray(spec))
    throw new ArgoError(
      GRPC.InvalidArgument,
      `application spec for ${existing.metadata.name} is invalid: InvalidSpecError: spec is missing`,
    );
  const projectName = spec.project || 'default';
  const project = getProject(ctx, instance, projectName);
  if (!project)
    throw new ArgoError(
      GRPC.InvalidArgument,
      `application references project ${projectName} which does not exist`,
    );
  if (validate) {
    const bad = specConditions(project, spec, projectName);
    if (bad.length)
      throw new ArgoError(
        GRPC.InvalidArgument,
        `application spec for ${existing.metadata.name} is invalid: ${bad
          .map(m => `InvalidSpecError: ${m}`)
          .join(';')}`,
      );
  }
  const next = clone(existing);
  next.spec = clone(spec);
  const meta = body.metadata ?? {};
  for (const k of ['labels', 'annotations', 'finalizers'] as const) {
    if (meta[k] === undefined || meta[k] === null) delete next.metadata[k];
    else next.metadata[k] = clone(meta[k]);
  }
  if (!sameJson(existing.spec, next.spec)) {
    next.metadata.generation = (existing.metadata.generation ?? 1) + 1;
    const compared = next.status?.sync?.comparedTo;
    const nowSources = Array.isArray(next.spec.sources)
      ? { sources: next.spec.sources }
      : { source: next.spec.source };
    const thenSources = compared?.sources
      ? { sources: compared.sources }
      : { source: compared?.source };
    // what Git wants changed, so the controller's next comparison finds the app out of sync
    if (
      next.status?.sync &&
      (!sameJson(nowSources, thenSources) ||
        !sameJson(next.spec.destination, compared?.destination))
    )
      next.status.sync.status = 'OutOfSync';
  }
  return ctx.store.put(instance, APP, next);
}
