import type { IncomingMessage, ServerResponse } from 'http';
import { HUB, SimContext } from '../context';
import { bearerToken, BodyError, readBody, sendJson } from '../http/util';
import {
  apiGroup,
  apiGroupList,
  apiVersions,
  resourceList,
  versionInfo,
} from './discovery';
import { handleList, handleWatch, asVersion } from './list';
import { findType, ResourceType, typeKey, RESOURCE_TYPES } from './registry';
import {
  forbidden,
  methodNotAllowed,
  noResource,
  notFound,
  sendStatus,
  status,
  unauthorized,
} from './status';
import {
  handleCreate,
  handleDelete,
  handlePatch,
  handleReplace,
} from './write';

/**
 * Routes of the simulated hub kube-apiserver: /version, /api, /apis and the resource paths
 * /apis/{g}/{v}[/namespaces/{ns}]/{res}[/{name}[/status]] (core under /api/v1).
 */

interface Parsed {
  group: string;
  version: string;
  rest: string[];
}

function parsePath(
  pathname: string,
): Parsed | 'api-root' | 'apis-root' | { group: string } | undefined {
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segs[0] === 'api') {
    if (segs.length === 1) return 'api-root';
    return { group: '', version: segs[1], rest: segs.slice(2) };
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return 'apis-root';
    if (segs.length === 2) return { group: segs[1] };
    return { group: segs[1], version: segs[2], rest: segs.slice(3) };
  }
  return undefined;
}

const VERB_OF: Record<string, string> = {
  POST: 'create',
  PUT: 'update',
  PATCH: 'patch',
  DELETE: 'delete',
};

export async function handleK8s(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
) {
  const method = req.method ?? 'GET';
  if (url.pathname === '/version' || url.pathname === '/version/') {
    // /version is open to anonymous users upstream too
    ctx.counters.inc('k8s.discovery', 'version');
    return sendJson(res, 200, versionInfo());
  }
  const auth = ctx.tokens.check(bearerToken(req));
  if (!auth.ok) {
    ctx.counters.inc('errors.auth');
    if (auth.reason === 'missing') {
      // OpenShift treats a request without credentials as system:anonymous: 403, not 401
      return sendStatus(
        res,
        status(
          403,
          `forbidden: User "system:anonymous" cannot ${
            method === 'GET' ? 'get' : VERB_OF[method] ?? 'get'
          } path "${url.pathname}"`,
          'Forbidden',
          {},
        ),
      );
    }
    return sendStatus(res, unauthorized());
  }

  const p = parsePath(url.pathname);
  if (p === undefined) return sendStatus(res, noResource());
  if (p === 'api-root' || p === 'apis-root' || 'rest' in p === false) {
    if (method !== 'GET') return sendStatus(res, methodNotAllowed());
    ctx.counters.inc('k8s.discovery', url.pathname);
    if (p === 'api-root')
      return sendJson(
        res,
        200,
        apiVersions(`${req.headers.host ?? 'localhost'}`),
      );
    if (p === 'apis-root') return sendJson(res, 200, apiGroupList());
    const g = apiGroup((p as { group: string }).group);
    return g ? sendJson(res, 200, g) : sendStatus(res, noResource());
  }
  const { group, version, rest } = p as Parsed;
  if (rest.length === 0) {
    if (method !== 'GET') return sendStatus(res, methodNotAllowed());
    ctx.counters.inc('k8s.discovery', url.pathname);
    const rl = resourceList(group, version);
    return rl ? sendJson(res, 200, rl) : sendStatus(res, noResource());
  }

  // resource paths
  let namespace: string | undefined;
  let segs = rest;
  if (
    segs[0] === 'namespaces' &&
    segs.length >= 3 &&
    !(segs.length === 3 && (segs[2] === 'status' || segs[2] === 'finalize'))
  ) {
    namespace = segs[1];
    segs = segs.slice(2);
  }
  const [plural, name, subresource, ...extra] = segs;
  const rt = findType(group, version, plural);
  if (!rt || extra.length > 0 || (namespace !== undefined && !rt.namespaced))
    return sendStatus(res, noResource());
  if (
    subresource !== undefined &&
    !(subresource === 'status' && rt.statusSubresource)
  )
    return sendStatus(res, noResource());

  const watch =
    url.searchParams.get('watch') === 'true' ||
    url.searchParams.get('watch') === '1';
  let verb = VERB_OF[method];
  if (method === 'GET') verb = name ? 'get' : 'list';
  if (method === 'GET' && !name && watch) verb = 'watch';
  if (!verb) return sendStatus(res, methodNotAllowed());
  const isWrite = method !== 'GET';
  if (isWrite && auth.rights !== 'full') {
    ctx.counters.inc('errors.auth');
    return sendStatus(
      res,
      forbidden(auth.user, verb, rt.group, rt.plural, namespace, name),
    );
  }
  if (isWrite && !writable(rt, verb)) {
    return sendStatus(
      res,
      methodNotAllowed({ group: rt.group, kind: rt.plural }),
    );
  }

  const detail = typeKey(rt);
  switch (verb) {
    case 'list':
      ctx.counters.inc('k8s.list', detail);
      return handleList(ctx, req, res, url.searchParams, {
        rt,
        version,
        namespace,
      });
    case 'watch':
      ctx.counters.inc('k8s.watch', detail);
      return handleWatch(ctx, req, res, url.searchParams, {
        rt,
        version,
        namespace,
      });
    case 'get': {
      ctx.counters.inc('k8s.get', detail);
      if (!rt.namespaced || namespace !== undefined) {
        const o = ctx.store.get(HUB, typeKey(rt), namespace, name!);
        return o
          ? sendJson(res, 200, asVersion(o, rt, version))
          : sendStatus(res, notFound(rt.group, rt.plural, name!));
      }
      return sendStatus(res, noResource());
    }
    default:
      break;
  }
  ctx.counters.inc('k8s.write', `${verb} ${detail}`);
  if (rt.namespaced && namespace === undefined)
    return sendStatus(res, noResource());
  if (
    (verb === 'create') !== (name === undefined) &&
    !(verb === 'delete' && name)
  ) {
    // POST on an item, or PUT/PATCH/DELETE on a collection
    return sendStatus(res, methodNotAllowed());
  }
  let body: any;
  if (verb !== 'delete') {
    try {
      body = await readBody(req, true);
    } catch (e) {
      const be = e as BodyError;
      return sendStatus(
        res,
        status(
          be.status ?? 400,
          be.message,
          be.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest',
        ),
      );
    }
  } else {
    req.resume();
  }
  const t = { rt, version, namespace, name, subresource };
  switch (verb) {
    case 'create':
      return handleCreate(ctx, res, body, t);
    case 'update':
      return handleReplace(ctx, res, body, t);
    case 'patch':
      return handlePatch(ctx, req, res, body, t, url.searchParams);
    default:
      return handleDelete(ctx, res, t);
  }
}

function writable(rt: ResourceType, verb: string): boolean {
  if (rt.access === 'crud') return true;
  if (rt.access === 'create-get') return verb === 'create';
  return false;
}

export const K8S_TYPES = RESOURCE_TYPES;
