import type { IncomingMessage, ServerResponse } from 'http';
import { HUB, SimContext } from '../context';
import { bearerToken, sendJson } from '../http/util';
import {
  apiGroup,
  apiGroupList,
  apiVersions,
  DiscoveryScope,
  resourceList,
  versionInfo,
} from '../k8s/discovery';
import { asVersion } from '../k8s/list';
import {
  apiVersionOf,
  findType,
  RESOURCE_TYPES,
  ResourceType,
  typeKey,
  TYPE,
} from '../k8s/registry';
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
} from '../k8s/selectors';
import {
  methodNotAllowed,
  noResource,
  notFound,
  sendStatus,
  status,
  unauthorized,
} from '../k8s/status';
import { objectKey } from '../store/store';
import { KObject } from '../store/types';
import { clusterObjects, POD_METRICS } from './workloads';

/**
 * A stand-in for ACM's cluster-proxy user server (`cluster-proxy-addon-user`, the
 * `cluster-proxy-user` route): `/cluster-proxy/<managed cluster>/<kube-api path>` reaches
 * that cluster's kube-apiserver with the caller's hub token. Here every cluster serves a
 * read-only subset: the kinds the Backstage Kubernetes plugin lists by default.
 */

/** The kinds a managed cluster serves through the proxy (the plugin's defaults, and a few it is often configured for). */
const SERVED = new Set([
  'pods',
  'services',
  'configmaps',
  'limitranges',
  'resourcequotas',
  'deployments.apps',
  'replicasets.apps',
  'statefulsets.apps',
  'daemonsets.apps',
  'horizontalpodautoscalers.autoscaling',
  'jobs.batch',
  'cronjobs.batch',
  'ingresses.networking.k8s.io',
  'routes.route.openshift.io',
  POD_METRICS,
]);

const SCOPE: DiscoveryScope = {
  types: RESOURCE_TYPES.filter(rt => SERVED.has(typeKey(rt))),
  // no watch: the proxy here answers gets and lists only
  verbs: () => ['get', 'list'],
};

const MC = typeKey(TYPE.managedCluster);
const AVAILABLE = 'ManagedClusterConditionAvailable';

const unreachable = (name: string, why: string) =>
  status(
    503,
    `cluster "${name}" cannot be reached through the cluster proxy: ${why}`,
    'ServiceUnavailable',
    { name, group: TYPE.managedCluster.group, kind: 'managedclusters' },
  );

/** The hub's own ManagedCluster, whatever its name: ACM labels and annotates it. */
export function isHubCluster(mc: KObject): boolean {
  return (
    mc.metadata.labels?.['local-cluster'] === 'true' ||
    mc.metadata.annotations?.[
      'installer.multicluster.openshift.io/is-local-cluster'
    ] === 'true'
  );
}

function clusterVersion(mc: KObject) {
  const base = versionInfo();
  const kube: unknown = mc.status?.version?.kubernetes;
  const m = typeof kube === 'string' ? /^v(\d+)\.(\d+)/.exec(kube) : null;
  if (!m) return base;
  return { ...base, major: m[1], minor: m[2], gitVersion: kube as string };
}

function serverAddress(mc: KObject, req: IncomingMessage): string {
  const u = mc.spec?.managedClusterClientConfigs?.[0]?.url;
  try {
    if (typeof u === 'string') return new URL(u).host;
  } catch {
    // a malformed URL in a fixture: fall back to the address the client used
  }
  return `${req.headers.host ?? 'localhost'}`;
}

/** A built-in list's items carry no TypeMeta (kube-apiserver leaves it out of each item). */
function listItem(o: KObject): Record<string, unknown> {
  const { kind: _kind, apiVersion: _apiVersion, ...rest } = o;
  return rest;
}

function encodeContinue(start: string): string {
  return Buffer.from(
    JSON.stringify({ v: 'fleet-simulator-proxy/v1', start }),
  ).toString('base64url');
}

function decodeContinue(raw: string): string | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (t?.v === 'fleet-simulator-proxy/v1' && typeof t.start === 'string')
      return t.start;
  } catch {
    // an undecodable token is a 400, as upstream
  }
  return undefined;
}

export async function handleClusterProxy(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  cluster: string | undefined,
  rest: string,
) {
  const method = req.method ?? 'GET';
  if (method !== 'GET') req.resume();
  // the proxy authenticates every caller against the hub: no anonymous access, even to /version
  const auth = ctx.tokens.check(bearerToken(req));
  if (!auth.ok) {
    ctx.counters.inc('errors.auth');
    return sendStatus(res, unauthorized());
  }
  if (!cluster) return sendStatus(res, noResource());
  const mc = ctx.store.get(HUB, MC, undefined, cluster);
  if (!mc)
    return sendStatus(
      res,
      notFound(TYPE.managedCluster.group, 'managedclusters', cluster),
    );
  const available = ((mc.status?.conditions ?? []) as any[]).find(
    c => c?.type === AVAILABLE,
  );
  if (!mc.spec?.hubAcceptsClient || !available)
    return sendStatus(res, unreachable(cluster, 'it has not joined the hub'));
  if (available.status !== 'True')
    return sendStatus(
      res,
      unreachable(
        cluster,
        `it is not available (${AVAILABLE} is ${available.status})`,
      ),
    );

  const segs = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const read = method === 'GET';
  const discovery = (body: unknown) => {
    if (!read) return sendStatus(res, methodNotAllowed());
    ctx.counters.inc('proxy.discovery', rest);
    return body ? sendJson(res, 200, body) : sendStatus(res, noResource());
  };
  if (segs.length === 1 && segs[0] === 'version')
    return discovery(clusterVersion(mc));
  if (segs.length === 1 && segs[0] === 'api')
    return discovery(apiVersions(serverAddress(mc, req)));
  if (segs.length === 1 && segs[0] === 'apis')
    return discovery(apiGroupList(SCOPE));
  if (segs.length === 2 && segs[0] === 'apis')
    return discovery(apiGroup(segs[1], SCOPE));
  let group: string;
  let version: string;
  let path: string[];
  if (segs[0] === 'api' && segs.length >= 2) {
    [group, version, path] = ['', segs[1], segs.slice(2)];
  } else if (segs[0] === 'apis' && segs.length >= 3) {
    [group, version, path] = [segs[1], segs[2], segs.slice(3)];
  } else {
    return sendStatus(res, noResource());
  }
  if (path.length === 0)
    return discovery(
      SCOPE.types.some(
        rt => rt.group === group && rt.versions.includes(version),
      )
        ? resourceList(group, version, SCOPE)
        : undefined,
    );

  let namespace: string | undefined;
  if (path[0] === 'namespaces' && path.length >= 3) {
    namespace = path[1];
    path = path.slice(2);
  }
  const [plural, name, ...extra] = path;
  const rt = findType(group, version, plural);
  if (
    !rt ||
    !SERVED.has(typeKey(rt)) ||
    extra.length > 0 ||
    (namespace !== undefined && !rt.namespaced) ||
    (name !== undefined && rt.namespaced && namespace === undefined)
  )
    return sendStatus(res, noResource());
  if (!read)
    return sendStatus(
      res,
      methodNotAllowed({ group: rt.group, kind: rt.plural }),
    );
  const watch = url.searchParams.get('watch');
  if (watch === 'true' || watch === '1')
    return sendStatus(
      res,
      status(
        405,
        'the fleet simulator serves no watches through the cluster proxy: list instead',
        'MethodNotAllowed',
        { group: rt.group, kind: rt.plural },
      ),
    );

  const storeCluster = isHubCluster(mc) ? HUB : cluster;
  const region: string | undefined = mc.metadata.labels?.region;
  const objects = clusterObjects(
    ctx,
    cluster,
    storeCluster,
    region,
    typeKey(rt),
  );
  if (name !== undefined) {
    ctx.counters.inc('proxy.get', typeKey(rt));
    const o = objects.find(
      x => x.metadata.name === name && x.metadata.namespace === namespace,
    );
    return o
      ? sendJson(res, 200, asVersion(o, rt, version))
      : sendStatus(res, notFound(rt.group, rt.plural, name));
  }
  ctx.counters.inc('proxy.list', typeKey(rt));
  return sendList(ctx, res, url.searchParams, rt, version, namespace, objects);
}

function sendList(
  ctx: SimContext,
  res: ServerResponse,
  q: URLSearchParams,
  rt: ResourceType,
  version: string,
  namespace: string | undefined,
  objects: KObject[],
) {
  let labels;
  let fields;
  try {
    labels = parseLabelSelector(q.get('labelSelector'));
    fields = parseFieldSelector(q.get('fieldSelector'), rt.plural);
  } catch (e) {
    return sendStatus(res, status(400, (e as Error).message, 'BadRequest'));
  }
  const limitRaw = q.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (limitRaw && (!Number.isInteger(limit) || limit < 0))
    return sendStatus(
      res,
      status(400, `invalid value for limit: "${limitRaw}"`, 'BadRequest'),
    );
  let startAfter: string | undefined;
  const cont = q.get('continue');
  if (cont) {
    startAfter = decodeContinue(cont);
    if (startAfter === undefined)
      return sendStatus(
        res,
        status(
          400,
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
          'BadRequest',
        ),
      );
  }
  const selected = objects.filter(
    o =>
      (namespace === undefined || o.metadata.namespace === namespace) &&
      (startAfter === undefined ||
        objectKey(o.metadata.namespace, o.metadata.name!) > startAfter) &&
      matchesLabels(labels, o.metadata.labels) &&
      matchesFields(fields, o.metadata),
  );
  const page = limit > 0 ? selected.slice(0, limit) : selected;
  const metadata: Record<string, unknown> = {
    resourceVersion: String(ctx.store.resourceVersion),
  };
  if (page.length < selected.length) {
    const last = page[page.length - 1];
    metadata.continue = encodeContinue(
      objectKey(last.metadata.namespace, last.metadata.name!),
    );
    // upstream omits remainingItemCount when a selector is used
    if (labels.length === 0 && fields.length === 0)
      metadata.remainingItemCount = selected.length - page.length;
  }
  return sendJson(res, 200, {
    kind: rt.listKind,
    apiVersion: apiVersionOf(rt, version),
    metadata,
    items: page.map(o => listItem(asVersion(o, rt, version))),
  });
}
