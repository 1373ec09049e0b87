import { HUB, SimContext } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import { KObject } from '../store/types';
import { availableCondition, UNREACHABLE_TAINT } from './clusters';
import { Prng } from '../util/prng';
import { compareStrings } from '../util/compare';

/**
 * State changes applied to stored objects (admin "mutate" and the tick). Each goes through
 * the store, so it shows on every API: list, watch, Search, Argo CD list and stream.
 */

const MC = typeKey(TYPE.managedCluster);
const MCI = typeKey(TYPE.managedClusterInfo);
const PD = typeKey(TYPE.placementDecision);
const APP = typeKey(TYPE.application);
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o));
const iso = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export class MutationError extends Error {
  constructor(message: string, readonly status = 400) {
    super(message);
  }
}

/** nodeLists removed while a cluster is offline, restored when it comes back */
const savedNodes = new WeakMap<SimContext, Map<string, unknown[]>>();

export function setClusterAvailable(
  ctx: SimContext,
  name: string,
  available: boolean,
) {
  const mc = ctx.store.get(HUB, MC, undefined, name);
  if (!mc) throw new MutationError(`managed cluster "${name}" not found`, 404);
  if (!mc.spec?.hubAcceptsClient || !mc.status?.conditions?.length) {
    throw new MutationError(
      `managed cluster "${name}" has not joined the hub yet`,
      409,
    );
  }
  const at = iso();
  const next = clone(mc);
  const conds: any[] = next.status.conditions;
  const i = conds.findIndex(c => c.type === 'ManagedClusterConditionAvailable');
  const wasAvailable = i >= 0 && conds[i].status === 'True';
  if (wasAvailable === available) return;
  const c = availableCondition(available, at);
  if (i >= 0) conds[i] = c;
  else conds.push(c);
  const taints = (next.spec.taints ?? []).filter(
    (t: any) => t.key !== UNREACHABLE_TAINT,
  );
  if (!available)
    taints.push({ key: UNREACHABLE_TAINT, effect: 'NoSelect', timeAdded: at });
  if (taints.length) next.spec.taints = taints;
  else delete next.spec.taints;
  ctx.store.put(HUB, MC, next);

  const info = ctx.store.get(HUB, MCI, name, name);
  if (info) {
    const ni = clone(info);
    ni.status = ni.status ?? {};
    const ic: any[] = ni.status.conditions ?? [];
    const j = ic.findIndex(x => x.type === 'ManagedClusterConditionAvailable');
    if (j >= 0) ic[j] = c;
    ni.status.conditions = ic;
    let saved = savedNodes.get(ctx);
    if (!saved) savedNodes.set(ctx, (saved = new Map()));
    if (!available) {
      saved.set(name, ni.status.nodeList ?? []);
      ni.status.nodeList = [];
    } else if (saved.has(name)) {
      ni.status.nodeList = saved.get(name);
      saved.delete(name);
    }
    ctx.store.put(HUB, MCI, ni);
  }

  // placements drop clusters tainted unreachable (NoSelect) and take them back later
  const group = mc.metadata.labels?.clusterGroup;
  if (group) setDecision(ctx, group, name, available);
}

/** Add a cluster to (or drop it from) its group's PlacementDecision. */
export function setDecision(
  ctx: SimContext,
  group: string,
  name: string,
  include: boolean,
) {
  const pd = ctx.store
    .list(HUB, PD)
    .find(
      d =>
        d.metadata.labels?.['cluster.open-cluster-management.io/placement'] ===
        `${group}-placement`,
    );
  if (!pd) return;
  const np = clone(pd);
  const rest = ((np.status?.decisions ?? []) as any[]).filter(
    d => d.clusterName !== name,
  );
  const decisions = include
    ? [...rest, { clusterName: name, reason: '' }]
    : rest;
  decisions.sort((a, b) => compareStrings(a.clusterName, b.clusterName));
  np.status = { decisions };
  ctx.store.put(HUB, PD, np);
}

export function findApp(
  ctx: SimContext,
  cluster: string,
  name: string,
): KObject | undefined {
  const b = ctx.store.bucket(cluster, APP);
  if (!b) return undefined;
  for (const o of b.objects.values()) if (o.metadata.name === name) return o;
  return undefined;
}

const SYNC = ['Synced', 'OutOfSync', 'Unknown'];
const HEALTH = [
  'Healthy',
  'Degraded',
  'Progressing',
  'Missing',
  'Suspended',
  'Unknown',
];

export function setAppState(
  ctx: SimContext,
  cluster: string,
  name: string,
  sync?: string,
  health?: string,
  targetRevision?: string,
): KObject {
  if (
    targetRevision !== undefined &&
    (typeof targetRevision !== 'string' ||
      !/^[A-Za-z0-9._/-]{1,255}$/.test(targetRevision))
  )
    throw new MutationError(
      'targetRevision must be a branch, tag or commit (letters, digits, . _ / -)',
    );
  if (sync !== undefined && !SYNC.includes(sync))
    throw new MutationError(`sync must be one of ${SYNC.join(', ')}`);
  if (health !== undefined && !HEALTH.includes(health))
    throw new MutationError(`health must be one of ${HEALTH.join(', ')}`);
  const app = findApp(ctx, cluster, name);
  if (!app)
    throw new MutationError(
      `application "${name}" not found on cluster "${cluster}"`,
      404,
    );
  const next = clone(app);
  const at = iso();
  next.status = next.status ?? {};
  // Someone pointed the application at another branch, tag or commit (spec change). A
  // multi-source app of the pattern follows the pattern repo through its first (ref) source.
  if (targetRevision !== undefined) {
    const followed = next.spec?.source ?? next.spec?.sources?.[0];
    if (followed) followed.targetRevision = targetRevision;
  }
  if (sync !== undefined) {
    next.status.sync = { ...(next.status.sync ?? {}), status: sync };
    if (next.status.resources?.length)
      next.status.resources[0].status = sync === 'Synced' ? 'Synced' : sync;
  }
  if (health !== undefined && next.status.health?.status !== health) {
    next.status.health = { status: health, lastTransitionTime: at };
  }
  const s = next.status.sync?.status;
  const h = next.status.health?.status;
  if (s === 'Unknown') {
    next.status.conditions = [
      {
        type: 'ComparisonError',
        message:
          'Failed to load target state: rpc error: code = Unavailable desc = connection refused',
        lastTransitionTime: at,
      },
    ];
  } else if (h === 'Degraded') {
    next.status.conditions = [
      {
        type: 'SyncError',
        message: 'Failed sync attempt: one or more objects failed to apply',
        lastTransitionTime: at,
      },
    ];
  } else {
    delete next.status.conditions;
  }
  next.status.reconciledAt = at;
  return ctx.store.put(cluster, APP, next);
}

/** An upgrade appears for a cluster: a newer z-stream in its ManagedClusterInfo. */
export function offerUpgrade(
  ctx: SimContext,
  name: string,
  prng: Prng = ctx.runtimePrng,
): string | undefined {
  const info = ctx.store.get(HUB, MCI, name, name);
  const ocp = info?.status?.distributionInfo?.ocp;
  if (!info || !ocp?.version) return undefined;
  const next = clone(info);
  const o = next.status.distributionInfo.ocp;
  const all = [o.version, ...(o.availableUpdates ?? [])];
  const latest = all
    .map((v: string) => v.split('.').map(Number))
    .sort(
      (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2],
    )
    .pop()!;
  const version = `${latest[0]}.${latest[1]}.${latest[2] + 1 + prng.int(3)}`;
  o.availableUpdates = [...(o.availableUpdates ?? []), version];
  o.versionAvailableUpdates = [
    ...(o.versionAvailableUpdates ?? []),
    {
      version,
      image: `ocp-release@sha256:${prng.hex(64)}`,
      channels: [o.channel ?? `stable-${latest[0]}.${latest[1]}`],
    },
  ];
  ctx.store.put(HUB, MCI, next);
  return version;
}

/** A label value: empty, or up to 63 alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Kubernetes' rule for a label key (a qualified name): `[prefix/]name`. */
function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (!prefix) return 'the prefix part must be non-empty';
    if (prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return 'the prefix part must be a lowercase DNS-1123 subdomain of at most 253 characters';
  }
  if (!name) return 'the name part must be non-empty';
  if (name.length > 63)
    return 'the name part must be no more than 63 characters';
  if (!LABEL_NAME.test(name))
    return "the name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
  return undefined;
}

/**
 * Set (string value) or remove (null) labels on a ManagedCluster, as `oc label` would: one
 * write through the store, so watches see MODIFIED. Only metadata changes, so the generation
 * stays. Nothing to change: no write, the resourceVersion stays.
 */
export function setClusterLabels(
  ctx: SimContext,
  name: string,
  labels: unknown,
): KObject {
  if (!labels || typeof labels !== 'object' || Array.isArray(labels))
    throw new MutationError(
      'labels must be an object of label keys to a string value (set) or null (remove)',
    );
  const entries = Object.entries(labels as Record<string, unknown>);
  if (entries.length === 0)
    throw new MutationError('labels must name at least one label');
  for (const [key, value] of entries) {
    const problem = labelKeyProblem(key);
    if (problem)
      throw new MutationError(`invalid label key "${key}": ${problem}`);
    if (value === null) continue;
    if (typeof value !== 'string')
      throw new MutationError(
        `label "${key}" must be a string (set) or null (remove), got ${
          Array.isArray(value) ? 'array' : typeof value
        }`,
      );
    if (value.length > 63 || !LABEL_VALUE.test(value))
      throw new MutationError(
        `invalid value "${value}" for label "${key}": a label value must be empty or at most 63 characters: alphanumeric characters, '-', '_' or '.', starting and ending with an alphanumeric character`,
      );
  }
  const mc = ctx.store.get(HUB, MC, undefined, name);
  if (!mc) throw new MutationError(`managed cluster "${name}" not found`, 404);
  const next = clone(mc);
  const current: Record<string, string> = { ...(next.metadata.labels ?? {}) };
  let changed = false;
  for (const [key, value] of entries) {
    if (value === null) {
      if (key in current) {
        delete current[key];
        changed = true;
      }
    } else if (current[key] !== value) {
      current[key] = value as string;
      changed = true;
    }
  }
  if (!changed) return mc;
  if (Object.keys(current).length) next.metadata.labels = current;
  else delete next.metadata.labels;
  return ctx.store.put(HUB, MC, next);
}
