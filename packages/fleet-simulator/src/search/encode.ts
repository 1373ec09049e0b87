import { KObject } from '../store/types';
import { HUB } from '../context';

/**
 * Search item encoding as the ACM search collector/indexer + API produce it: every value is
 * a string, maps are "k=v; k2=v2" sorted by key, arrays are sorted, lower-cased and joined
 * with "; ", `_uid` is "<cluster>/<k8s uid>".
 */
export type Item = Record<string, string>;

export function encodeMap(
  m: Record<string, unknown> | undefined,
): string | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const keys = Object.keys(m).sort();
  if (!keys.length) return undefined;
  return keys.map(k => `${k}=${m[k]}`).join('; ');
}

export function encodeArray(a: unknown[]): string {
  return a
    .map(x => String(x).toLowerCase())
    .sort()
    .join('; ');
}

function put(item: Item, key: string, v: unknown) {
  if (v === undefined || v === null) return;
  if (typeof v === 'number') item[key] = String(Math.trunc(v));
  else if (typeof v === 'boolean') item[key] = v ? 'true' : 'false';
  else if (Array.isArray(v)) item[key] = encodeArray(v);
  else if (typeof v === 'object') {
    const s = encodeMap(v as Record<string, unknown>);
    if (s !== undefined) item[key] = s;
  } else item[key] = String(v);
}

function common(o: KObject, cluster: string, plural: string): Item {
  const [group, version] = o.apiVersion.includes('/')
    ? o.apiVersion.split('/')
    : ['', o.apiVersion];
  const item: Item = {
    _uid: `${cluster}/${
      o.metadata.uid ?? `${o.metadata.namespace ?? ''}-${o.metadata.name}`
    }`,
    cluster,
    kind: o.kind,
    kind_plural: plural,
    apiversion: version,
    name: o.metadata.name ?? '',
  };
  if (group) item.apigroup = group;
  if (o.metadata.namespace) item.namespace = o.metadata.namespace;
  if (o.metadata.creationTimestamp) item.created = o.metadata.creationTimestamp;
  put(item, 'label', o.metadata.labels);
  if (cluster === HUB) item._hubClusterResource = 'true';
  else item._clusterNamespace = cluster;
  return item;
}

/** Argo CD Application properties (search-collector argoapplication transform). */
function application(item: Item, o: KObject) {
  const owner = (o.metadata.ownerReferences as any[] | undefined)?.find(
    r => r.kind === 'ApplicationSet',
  );
  item.applicationSet = owner?.name ?? '';
  const d = o.spec?.destination ?? {};
  item.destinationName = d.name ?? '';
  item.destinationNamespace = d.namespace ?? '';
  item.destinationServer = d.server ?? '';
  // only spec.source is read: multi-source apps index empty repoURL/path
  const s = o.spec?.source ?? {};
  item.path = s.path ?? '';
  item.chart = s.chart ?? '';
  item.repoURL = s.repoURL ?? '';
  item.targetRevision = s.targetRevision || 'HEAD';
  item.healthStatus = o.status?.health?.status ?? '';
  item.syncStatus = o.status?.sync?.status ?? '';
  for (const c of (o.status?.conditions ?? []) as any[]) {
    if (c?.type)
      item[`_condition${c.type}`] = String(c.message ?? '').slice(0, 512);
  }
  const op = o.status?.operationState;
  if (
    op &&
    !(item.healthStatus === 'Healthy' && item.syncStatus === 'Synced') &&
    op.phase !== 'Succeeded' &&
    op.message
  ) {
    item._conditionOperationError = String(op.message).slice(0, 512);
  }
  const missing = ((o.status?.resources ?? []) as any[]).filter(
    r => r.health?.status === 'Missing',
  );
  if (missing.length)
    item._missingResources = JSON.stringify(
      missing.map(r => ({
        kind: r.kind,
        name: r.name,
        namespace: r.namespace,
      })),
    );
}

function policy(item: Item, o: KObject) {
  put(item, 'compliant', o.status?.compliant);
  put(item, 'remediationAction', o.spec?.remediationAction);
  put(item, 'disabled', o.spec?.disabled);
  put(item, 'numRulesTotal', (o.spec?.['policy-templates'] ?? []).length);
}

function pod(item: Item, o: KObject) {
  const cs = (o.status?.containerStatuses ?? []) as any[];
  put(item, 'status', o.status?.phase);
  put(
    item,
    'restarts',
    cs.reduce((n, c) => n + (c.restartCount ?? 0), 0),
  );
  put(item, 'hostIP', o.status?.hostIP);
  put(item, 'podIP', o.status?.podIP);
  put(item, 'startedAt', o.status?.startTime);
  put(
    item,
    'container',
    (o.spec?.containers ?? []).map((c: any) => c.name),
  );
  put(
    item,
    'image',
    (o.spec?.containers ?? []).map((c: any) => c.image),
  );
}

function deployment(item: Item, o: KObject) {
  put(item, 'desired', o.spec?.replicas ?? 1);
  put(item, 'current', o.status?.replicas ?? 0);
  put(item, 'ready', o.status?.readyReplicas ?? 0);
  put(item, 'available', o.status?.availableReplicas ?? 0);
}

export function encodeObject(
  o: KObject,
  cluster: string,
  plural: string,
): Item {
  const item = common(o, cluster, plural);
  if (o.kind === 'Application' && item.apigroup === 'argoproj.io')
    application(item, o);
  else if (o.kind === 'Policy') policy(item, o);
  else if (o.kind === 'Pod') pod(item, o);
  else if (
    o.kind === 'Deployment' ||
    o.kind === 'ReplicaSet' ||
    o.kind === 'StatefulSet'
  )
    deployment(item, o);
  return item;
}

const ADDONS = [
  'application-manager',
  'cert-policy-controller',
  'cluster-proxy',
  'config-policy-controller',
  'governance-policy-framework',
  'iam-policy-controller',
  'observability-controller',
  'search-collector',
  'work-manager',
];

/** The Cluster node the search indexer builds from a ManagedCluster (+ its ManagedClusterInfo). */
export function encodeCluster(mc: KObject, info: KObject | undefined): Item {
  const name = mc.metadata.name!;
  const item: Item = {
    _uid: `cluster__${name}`,
    cluster: name,
    kind: 'Cluster',
    kind_plural: 'managedclusterinfos',
    apigroup: 'internal.open-cluster-management.io',
    name,
    _hubClusterResource: 'true',
  };
  if (mc.metadata.creationTimestamp)
    item.created = mc.metadata.creationTimestamp;
  put(item, 'label', mc.metadata.labels);
  const cap = mc.status?.capacity ?? {};
  if (cap.cpu !== undefined) item.cpu = String(parseInt(String(cap.cpu), 10));
  if (cap.memory !== undefined) item.memory = String(cap.memory);
  if (mc.status?.version?.kubernetes)
    item.kubernetesVersion = mc.status.version.kubernetes;
  const url = mc.spec?.managedClusterClientConfigs?.[0]?.url;
  if (url) item.apiEndpoint = url;
  const consoleURL =
    info?.status?.consoleURL ??
    (mc.status?.clusterClaims ?? []).find(
      (c: any) => c.name === 'consoleurl.cluster.open-cluster-management.io',
    )?.value;
  if (consoleURL) item.consoleURL = consoleURL;
  if (info) item.nodes = String((info.status?.nodeList ?? []).length);
  // the indexer derives `addon` from the feature.open-cluster-management.io/addon-<name> labels
  const labels = mc.metadata.labels ?? {};
  if (Object.keys(labels).length) {
    const addons: Record<string, string> = {};
    for (const a of ADDONS)
      addons[a] = String(
        labels[`feature.open-cluster-management.io/addon-${a}`] === 'available',
      );
    item.addon = encodeMap(addons)!;
  }
  for (const c of (mc.status?.conditions ?? []) as any[])
    if (c?.type) item[c.type] = String(c.status);
  return item;
}
