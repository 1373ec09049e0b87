// One module for the simulated API server's whole write path (create, replace, merge and JSON
// patch, server-side apply, delete): they share the validation, resourceVersion and conflict
// rules that make it behave like a kube-apiserver, and split apart they would drift.
import type { IncomingMessage, ServerResponse } from 'http';
import { HUB, SimContext } from '../context';
import { KObject } from '../store/types';
import { apiVersionOf, ResourceType, TYPE, typeKey } from './registry';
import {
  resourceLabel,
  sendStatus,
  status,
  notFound,
  StatusBody,
} from './status';
import {
  metadataCauses,
  toCauses,
  validatorFor,
  FieldCause,
} from './validation';
import { sendJson } from '../http/util';
import { applyJsonPatch, mergePatch, PatchError } from './patch';
import { newUid } from '../util/ids';

/** create / update / patch / delete for the hub API, with CRD validation and upstream errors. */

export interface WriteTarget {
  rt: ResourceType;
  version: string;
  namespace?: string;
  name?: string;
  subresource?: string;
}

function invalid(
  rt: ResourceType,
  name: string,
  causes: FieldCause[],
): StatusBody {
  const msg = causes.map(c => `${c.field}: ${c.message}`).join(', ');
  return status(
    422,
    `${rt.kind}.${rt.group || 'core'} "${name}" is invalid: ${
      causes.length > 1 ? `[${msg}]` : msg
    }`,
    'Invalid',
    { name, group: rt.group, kind: rt.kind, causes },
  );
}

/** Run metadata + CRD schema checks; returns a 422 Status or undefined. */
export function validateObject(
  ctx: SimContext,
  rt: ResourceType,
  obj: any,
): StatusBody | undefined {
  const name = obj?.metadata?.name ?? '';
  const meta = metadataCauses(obj);
  if (meta.length) return invalid(rt, name, meta);
  const fn = validatorFor(rt, ctx.options.crdDir);
  if (fn && !fn(obj)) return invalid(rt, name, toCauses(fn.errors ?? [], obj));
  return undefined;
}

function checkTypeMeta(
  rt: ResourceType,
  version: string,
  body: any,
): StatusBody | undefined {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    return status(
      400,
      `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml`,
      'BadRequest',
    );
  }
  const want = apiVersionOf(rt, version);
  if (body.apiVersion !== undefined && body.apiVersion !== want) {
    return status(
      400,
      `the API version in the data (${body.apiVersion}) does not match the expected API version (${want})`,
      'BadRequest',
    );
  }
  if (body.kind !== undefined && body.kind !== rt.kind) {
    return status(
      400,
      `${rt.kind} in version "${version}" cannot be handled as a ${rt.kind}: the kind in the data (${body.kind}) does not match the expected kind (${rt.kind})`,
      'BadRequest',
    );
  }
  if (
    body.metadata !== undefined &&
    (typeof body.metadata !== 'object' ||
      Array.isArray(body.metadata) ||
      body.metadata === null)
  ) {
    return status(
      400,
      `${rt.kind} in version "${version}" cannot be handled as a ${
        rt.kind
      }: json: cannot unmarshal ${
        Array.isArray(body.metadata) ? 'array' : typeof body.metadata
      } into Go struct field ${rt.kind}.metadata of type v1.ObjectMeta`,
      'BadRequest',
    );
  }
  return undefined;
}

const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));

function sameJson(a: unknown, b: unknown) {
  return JSON.stringify(a) === JSON.stringify(b);
}

export async function handleCreate(
  ctx: SimContext,
  res: ServerResponse,
  body: any,
  t: WriteTarget,
) {
  const { rt, version, namespace } = t;
  const bad = checkTypeMeta(rt, version, body);
  if (bad) return sendStatus(res, bad);
  const obj: KObject = clone(body);
  obj.apiVersion = apiVersionOf(rt, version);
  obj.kind = rt.kind;
  obj.metadata = obj.metadata ?? {};
  if (rt.namespaced) {
    if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
      return sendStatus(
        res,
        status(
          400,
          'the namespace of the provided object does not match the namespace sent on the request',
          'BadRequest',
        ),
      );
    }
    obj.metadata.namespace = namespace;
  } else {
    delete obj.metadata.namespace;
  }
  if (!obj.metadata.name && obj.metadata.generateName) {
    obj.metadata.name = `${obj.metadata.generateName}${ctx.runtimePrng.hex(5)}`;
  }
  // a CRD with a status subresource ignores status on create
  if (rt.statusSubresource) delete obj.status;
  const invalidStatus = validateObject(ctx, rt, obj);
  if (invalidStatus) return sendStatus(res, invalidStatus);
  if (
    rt.namespaced &&
    !ctx.store.get(HUB, typeKey(TYPE.namespace), undefined, namespace!)
  ) {
    return sendStatus(
      res,
      status(404, `namespaces "${namespace}" not found`, 'NotFound', {
        name: namespace,
        kind: 'namespaces',
      }),
    );
  }
  if (
    ctx.store.get(HUB, typeKey(rt), obj.metadata.namespace, obj.metadata.name!)
  ) {
    return sendStatus(
      res,
      status(
        409,
        `${resourceLabel(rt.group, rt.plural)} "${
          obj.metadata.name
        }" already exists`,
        'AlreadyExists',
        { name: obj.metadata.name, group: rt.group, kind: rt.plural },
      ),
    );
  }
  obj.metadata.uid = newUid();
  obj.metadata.creationTimestamp = ctx.now().replace(/\.\d+Z$/, 'Z');
  obj.metadata.generation = 1;
  if (rt.kind === 'Namespace') obj.status = { phase: 'Active' };
  const stored = ctx.store.put(HUB, typeKey(rt), obj);
  return sendJson(res, 201, stored);
}

/** Apply a change computed by `mutate` (replace or patch) to an existing object. */
function commitUpdate(
  ctx: SimContext,
  res: ServerResponse,
  t: WriteTarget,
  current: KObject,
  next: any,
  expectRv?: string,
) {
  const { rt } = t;
  const bad = checkTypeMeta(rt, t.version, next);
  if (bad) return sendStatus(res, bad);
  if (expectRv && expectRv !== current.metadata.resourceVersion) {
    return sendStatus(
      res,
      status(
        409,
        `Operation cannot be fulfilled on ${resourceLabel(
          rt.group,
          rt.plural,
        )} "${
          t.name
        }": the object has been modified; please apply your changes to the latest version and try again`,
        'Conflict',
        { name: t.name, group: rt.group, kind: rt.plural },
      ),
    );
  }
  if (
    next.metadata?.name !== undefined &&
    next.metadata.name !== current.metadata.name
  ) {
    return sendStatus(
      res,
      invalid(rt, t.name!, [
        {
          reason: 'FieldValueInvalid',
          field: 'metadata.name',
          message: `Invalid value: "${next.metadata.name}": field is immutable`,
        },
      ]),
    );
  }
  const obj: KObject = next;
  obj.apiVersion = current.apiVersion;
  obj.kind = current.kind;
  // system-owned metadata is kept from the stored object
  obj.metadata = {
    ...(next.metadata ?? {}),
    name: current.metadata.name,
    uid: current.metadata.uid,
    creationTimestamp: current.metadata.creationTimestamp,
    generation: current.metadata.generation,
  };
  if (current.metadata.namespace)
    obj.metadata.namespace = current.metadata.namespace;
  if (rt.statusSubresource) {
    if (t.subresource === 'status') {
      // the status endpoint changes only status
      const onlyStatus = clone(current);
      onlyStatus.status = obj.status;
      return store(onlyStatus);
    }
    if (current.status !== undefined) obj.status = current.status;
    else delete obj.status;
  }
  if (!sameJson(obj.spec, current.spec))
    obj.metadata.generation = (current.metadata.generation ?? 1) + 1;
  return store(obj);

  function store(o: KObject) {
    const invalidStatus = validateObject(ctx, rt, o);
    if (invalidStatus) return sendStatus(res, invalidStatus);
    // a no-op write keeps the resourceVersion, as upstream
    const { resourceVersion: _a, ...m1 } = o.metadata;
    const { resourceVersion: _b, ...m2 } = current.metadata;
    if (sameJson({ ...o, metadata: m1 }, { ...current, metadata: m2 }))
      return sendJson(res, 200, current);
    const stored = ctx.store.put(HUB, typeKey(rt), o);
    return sendJson(res, 200, stored);
  }
}

function getCurrent(
  ctx: SimContext,
  res: ServerResponse,
  t: WriteTarget,
): KObject | undefined {
  const cur = ctx.store.get(HUB, typeKey(t.rt), t.namespace, t.name!);
  if (!cur) sendStatus(res, notFound(t.rt.group, t.rt.plural, t.name!));
  return cur;
}

export function handleReplace(
  ctx: SimContext,
  res: ServerResponse,
  body: any,
  t: WriteTarget,
) {
  const cur = getCurrent(ctx, res, t);
  if (!cur) return undefined;
  const bad = checkTypeMeta(t.rt, t.version, body);
  if (bad) return sendStatus(res, bad);
  return commitUpdate(
    ctx,
    res,
    t,
    cur,
    clone(body),
    body?.metadata?.resourceVersion,
  );
}

export function handlePatch(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  body: any,
  t: WriteTarget,
  q: URLSearchParams = new URLSearchParams(),
) {
  const ct = String(req.headers['content-type'] ?? '')
    .split(';')[0]
    .trim();
  if (ct === 'application/apply-patch+yaml')
    return serverSideApply(ctx, res, body, t, q);
  if (
    ct !== 'application/merge-patch+json' &&
    ct !== 'application/json-patch+json'
  ) {
    // CRDs accept no strategic merge patch
    return sendStatus(
      res,
      status(
        415,
        `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
        'UnsupportedMediaType',
      ),
    );
  }
  const cur = getCurrent(ctx, res, t);
  if (!cur) return undefined;
  let next: any;
  try {
    next =
      ct === 'application/merge-patch+json'
        ? mergePatch(clone(cur), body)
        : applyJsonPatch(clone(cur), body);
  } catch (e) {
    const msg = e instanceof PatchError ? e.message : 'invalid patch';
    return sendStatus(
      res,
      status(
        ct === 'application/json-patch+json' ? 422 : 400,
        msg,
        ct === 'application/json-patch+json' ? 'Invalid' : 'BadRequest',
      ),
    );
  }
  return commitUpdate(
    ctx,
    res,
    t,
    cur,
    next,
    body && !Array.isArray(body) ? body.metadata?.resourceVersion : undefined,
  );
}

/**
 * Server-side apply, simplified: no managedFields or conflict detection between managers.
 * The applied configuration creates the object or is merged into it (maps merge, lists are
 * replaced), which is what a single field manager observes.
 */
function serverSideApply(
  ctx: SimContext,
  res: ServerResponse,
  body: any,
  t: WriteTarget,
  q: URLSearchParams,
) {
  if (!q.get('fieldManager')) {
    return sendStatus(
      res,
      status(
        422,
        'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
        'Invalid',
        {
          group: 'meta.k8s.io',
          kind: 'PatchOptions',
          causes: [
            {
              reason: 'FieldValueRequired',
              message: 'Required value: is required for apply patch',
              field: 'fieldManager',
            },
          ],
        },
      ),
    );
  }
  const bad = checkTypeMeta(t.rt, t.version, body);
  if (bad) return sendStatus(res, bad);
  if (!body.apiVersion || !body.kind) {
    return sendStatus(
      res,
      status(
        400,
        'apiVersion and kind must be set in an apply patch',
        'BadRequest',
      ),
    );
  }
  if (body.metadata?.name !== undefined && body.metadata.name !== t.name) {
    return sendStatus(
      res,
      status(
        400,
        `the name of the object (${body.metadata.name}) does not match the name on the URL (${t.name})`,
        'BadRequest',
      ),
    );
  }
  const cur = ctx.store.get(HUB, typeKey(t.rt), t.namespace, t.name!);
  if (!cur)
    return handleCreate(
      ctx,
      res,
      { ...body, metadata: { ...(body.metadata ?? {}), name: t.name } },
      t,
    );
  const { resourceVersion: _rv, ...meta } = body.metadata ?? {};
  return commitUpdate(
    ctx,
    res,
    t,
    cur,
    mergePatch(clone(cur), { ...body, metadata: meta }),
  );
}

export function handleDelete(
  ctx: SimContext,
  res: ServerResponse,
  t: WriteTarget,
) {
  const cur = getCurrent(ctx, res, t);
  if (!cur) return;
  const gone = ctx.store.remove(HUB, typeKey(t.rt), t.namespace, t.name!);
  sendJson(res, 200, gone);
}
