/*
 * Upstream objects are normalised into small records on arrival: the store keeps only what
 * views need (tens of thousands of applications fit in little memory), and a malformed
 * object is rejected here, once, with a reason, instead of breaking every view later.
 *
 * Every string of a record is the shared copy from the intern pool (intern.ts), and label
 * maps and short lists are shared frozen objects: a fleet repeats the same values in every
 * object, and a record must not hold its own copy of each, nor a view into the upstream
 * text it was read from. Records are never changed after they are made.
 */
import {
  HealthStatus,
  HEALTH_STATUSES,
  PatternCondition,
  SyncStatus,
  SYNC_STATUSES,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { intern, internLabels, internLabelsOf, internList } from './intern';
import { isObject } from './plainData';
import { isKeyedSearchItem } from './searchItem';

export class MalformedObjectError extends Error {}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export interface ManagedClusterRecord {
  name: string;
  labels: Record<string, string>;
  hubAcceptsClient: boolean;
  clientUrls: string[];
  taints: { key: string; effect: string; value?: string }[];
  conditions: Condition[];
  claims: Record<string, string>;
  kubernetesVersion?: string;
}

export interface ClusterInfoRecord {
  name: string;
  consoleUrl?: string;
  kubeVendor?: string;
  cloudVendor?: string;
  version?: string;
  openshiftVersion?: string;
  availableUpgrades: string[];
  nodes: {
    name: string;
    roles: string[];
    ready: boolean;
    cpu?: string;
    memory?: string;
  }[];
}

export interface PolicyRecord {
  name: string;
  namespace: string;
  remediationAction?: string;
  severity?: string;
  compliant?: string;
  /** Per-cluster compliance of a root policy. */
  clusters: Record<string, string>;
  disabled: boolean;
}

/** A Pattern CR: what it deploys and what the patterns operator reports. */
export interface PatternRecord {
  name: string;
  namespace: string;
  clusterGroupName?: string;
  targetRepo?: string;
  targetRevision?: string;
  conditions: PatternCondition[];
  lastStep?: string;
  lastError?: string;
}

export interface ApplicationRecord {
  name: string;
  namespace: string;
  /** Cluster where the Application object lives (Argo CD's host cluster). */
  hostCluster: string;
  instance?: string;
  project?: string;
  sync: SyncStatus;
  health: HealthStatus;
  operationPhase?: string;
  repoURL?: string;
  path?: string;
  chart?: string;
  /** The chart's version (range) in its Helm repository, for a chart source. */
  chartVersion?: string;
  targetRevision?: string;
  revision?: string;
  destinationServer?: string;
  destinationName?: string;
  destinationNamespace?: string;
  labels: Record<string, string>;
  /**
   * Why Argo CD cannot compare the application with its source (its ComparisonError
   * condition's message), e.g. a values file the chart cannot render.
   */
  comparisonError?: string;
}

const nonEmpty = (v: unknown): boolean => typeof v === 'string' && v !== '';

/** A non-empty string, shared (see intern.ts); anything else is undefined. */
function str(v: unknown): string | undefined {
  return nonEmpty(v) ? intern(v as string) : undefined;
}

/** Shared empty lists for what most records have none of (never changed: records are not). */
const NO_TAINTS: ManagedClusterRecord['taints'] = Object.freeze([]) as any;
const NO_CONDITIONS: Condition[] = Object.freeze([]) as any;

function metadataName(
  obj: unknown,
  kind: string,
): { name: string; namespace?: string; labels: Record<string, string> } {
  if (
    !isObject(obj) ||
    !isObject(obj.metadata) ||
    typeof obj.metadata.name !== 'string' ||
    !obj.metadata.name
  ) {
    throw new MalformedObjectError(`${kind} without metadata.name`);
  }
  const labels = obj.metadata.labels ?? {};
  if (
    !isObject(labels) ||
    Object.values(labels).some(v => typeof v !== 'string')
  ) {
    throw new MalformedObjectError(
      `${kind} ${obj.metadata.name}: metadata.labels is not a map of strings`,
    );
  }
  return {
    name: intern(obj.metadata.name),
    namespace: str(obj.metadata.namespace),
    labels: internLabels(labels as Record<string, string>),
  };
}

function conditions(list: unknown, what: string): Condition[] {
  if (list === undefined || list === null) return NO_CONDITIONS;
  if (!Array.isArray(list))
    throw new MalformedObjectError(`${what}: status.conditions is not a list`);
  return list
    .filter(isObject)
    .filter(c => typeof c.type === 'string' && typeof c.status === 'string')
    .map(c => ({
      type: intern(c.type),
      status: intern(c.status),
      reason: str(c.reason),
      message: str(c.message),
      lastTransitionTime: str(c.lastTransitionTime),
    }));
}

export function toManagedCluster(obj: unknown): ManagedClusterRecord {
  const { name, labels } = metadataName(obj, 'ManagedCluster');
  const o = obj as Record<string, any>;
  const spec = o.spec ?? {};
  const status = o.status ?? {};
  if (!isObject(spec) || !isObject(status)) {
    throw new MalformedObjectError(
      `ManagedCluster ${name}: spec or status is not an object`,
    );
  }
  const claims: Record<string, string> = {};
  if (Array.isArray(status.clusterClaims)) {
    for (const c of status.clusterClaims) {
      if (isObject(c) && typeof c.name === 'string')
        claims[intern(c.name)] = intern(String(c.value ?? ''));
    }
  }
  return {
    name,
    labels,
    hubAcceptsClient: spec.hubAcceptsClient === true,
    clientUrls: Array.isArray(spec.managedClusterClientConfigs)
      ? (spec.managedClusterClientConfigs
          .filter(isObject)
          .map((c: any) => str(c.url))
          .filter(Boolean) as string[])
      : [],
    taints:
      Array.isArray(spec.taints) && spec.taints.length
        ? spec.taints.filter(isObject).map((t: any) => ({
            key: intern(String(t.key)),
            effect: intern(String(t.effect ?? '')),
            value: str(t.value),
          }))
        : NO_TAINTS,
    conditions: conditions(status.conditions, `ManagedCluster ${name}`),
    claims,
    kubernetesVersion: isObject(status.version)
      ? str(status.version.kubernetes)
      : undefined,
  };
}

export function toClusterInfo(obj: unknown): ClusterInfoRecord {
  const { name } = metadataName(obj, 'ManagedClusterInfo');
  const status = (obj as any).status ?? {};
  if (!isObject(status))
    throw new MalformedObjectError(
      `ManagedClusterInfo ${name}: status is not an object`,
    );
  const ocp =
    isObject(status.distributionInfo) && isObject(status.distributionInfo.ocp)
      ? status.distributionInfo.ocp
      : {};
  // Prefer the current fields; the older ones are deprecated since ACM 2.3 but still filled.
  let upgrades: string[] = [];
  if (Array.isArray(ocp.versionAvailableUpdates)) {
    upgrades = ocp.versionAvailableUpdates
      .filter(isObject)
      .map((u: any) => str(u.version))
      .filter(Boolean) as string[];
  } else if (Array.isArray(ocp.availableUpdates)) {
    upgrades = ocp.availableUpdates.filter(
      (v: unknown) => typeof v === 'string',
    );
  }
  const nodes = Array.isArray(status.nodeList)
    ? status.nodeList.filter(isObject).map((n: any) => {
        const nodeLabels = isObject(n.labels) ? n.labels : {};
        return {
          name: intern(String(n.name ?? '')),
          roles: internList(
            Object.keys(nodeLabels)
              .filter(k => k.startsWith('node-role.kubernetes.io/'))
              .map(k => k.slice('node-role.kubernetes.io/'.length)),
          ),
          ready:
            Array.isArray(n.conditions) &&
            n.conditions.some(
              (c: any) => c?.type === 'Ready' && c?.status === 'True',
            ),
          cpu: isObject(n.capacity)
            ? str(String(n.capacity.cpu ?? ''))
            : undefined,
          memory: isObject(n.capacity)
            ? str(String(n.capacity.memory ?? ''))
            : undefined,
        };
      })
    : [];
  return {
    name,
    consoleUrl: str(status.consoleURL),
    kubeVendor: str(status.kubeVendor),
    cloudVendor: str(status.cloudVendor),
    version: str(status.version),
    openshiftVersion:
      str(isObject(ocp.desired) ? ocp.desired.version : undefined) ??
      str(ocp.version),
    availableUpgrades: internList(
      [...new Set(upgrades)].sort(compareVersions).reverse(),
    ),
    nodes,
  };
}

export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map(x => Number(x));
  const pb = b.split(/[.-]/).map(x => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] || 0) - (pb[i] || 0);
    if (d) return d;
  }
  return 0;
}

export function toPattern(obj: unknown): PatternRecord {
  const { name, namespace } = metadataName(obj, 'Pattern');
  const o = obj as Record<string, any>;
  const spec = isObject(o.spec) ? o.spec : {};
  const git = isObject(spec.gitSpec) ? spec.gitSpec : {};
  const status = isObject(o.status) ? o.status : {};
  const patternConditions: PatternCondition[] = [];
  if (Array.isArray(status.conditions)) {
    for (const c of status.conditions) {
      if (!isObject(c) || !nonEmpty(c.type) || !nonEmpty(c.status)) continue;
      patternConditions.push({
        type: c.type,
        status: c.status,
        reason: str(c.reason),
        message: str(c.message),
        lastTransitionTime: str(c.lastTransitionTime),
      });
    }
  }
  return {
    name,
    namespace: namespace ?? '',
    // `variant` is the operator's older name for the cluster group.
    clusterGroupName: str(spec.clusterGroupName) ?? str(spec.variant),
    targetRepo: str(git.targetRepo),
    targetRevision: str(git.targetRevision),
    conditions: patternConditions,
    lastStep: str(status.lastStep),
    lastError: str(status.lastError),
  };
}

export function toPolicy(obj: unknown): PolicyRecord {
  const { name, namespace } = metadataName(obj, 'Policy');
  const o = obj as Record<string, any>;
  if (!namespace)
    throw new MalformedObjectError(`Policy ${name} without metadata.namespace`);
  const spec = isObject(o.spec) ? o.spec : {};
  const status = isObject(o.status) ? o.status : {};
  const clusters: Record<string, string> = {};
  if (Array.isArray(status.status)) {
    for (const s of status.status) {
      if (isObject(s) && typeof s.clustername === 'string')
        clusters[intern(s.clustername)] = intern(
          String(s.compliant ?? 'Pending'),
        );
    }
  }
  return {
    name,
    namespace,
    remediationAction: str(str(spec.remediationAction)?.toLowerCase()),
    severity: str(
      o.metadata.annotations?.['policy.open-cluster-management.io/severity'],
    ),
    compliant: str(status.compliant),
    clusters,
    disabled: spec.disabled === true,
  };
}

/**
 * A copy of a root policy in a cluster's namespace, which carries the root-policy label.
 * Only root policies are kept: their status already lists every cluster.
 */
export function isReplicatedPolicy(obj: any): boolean {
  return Boolean(
    obj?.metadata?.labels?.['policy.open-cluster-management.io/root-policy'],
  );
}

// The list's own strings, not the upstream copies: every record shares them.
function syncOf(v: unknown): SyncStatus {
  const i = (SYNC_STATUSES as unknown[]).indexOf(v);
  return i < 0 ? 'Unknown' : SYNC_STATUSES[i];
}
function healthOf(v: unknown): HealthStatus {
  const i = (HEALTH_STATUSES as unknown[]).indexOf(v);
  return i < 0 ? 'Unknown' : HEALTH_STATUSES[i];
}

/** An Application as the Argo CD REST API (or the hub's k8s API) returns it. */
export function toArgoApplication(
  obj: unknown,
  hostCluster: string,
  instance: string,
): ApplicationRecord {
  const { name, namespace, labels } = metadataName(obj, 'Application');
  const o = obj as Record<string, any>;
  const spec = isObject(o.spec) ? o.spec : {};
  const status = isObject(o.status) ? o.status : {};
  // A multi-source app of a pattern (the app of apps, every chart app) lists the pattern
  // repo first, as a `ref` for value files, then the chart or path that holds the
  // manifests. The first source says which branch of the pattern is followed (and is what
  // Argo CD's `repo` filter matches); the manifests' source says what is deployed.
  const sources: Record<string, any>[] = Array.isArray(spec.sources)
    ? spec.sources.filter(isObject)
    : [];
  const single = isObject(spec.source) ? spec.source : undefined;
  const followed = single ?? sources[0] ?? {};
  const manifests =
    single ??
    sources.find(x => nonEmpty(x.chart) || nonEmpty(x.path)) ??
    followed;
  const chart = str(manifests.chart);
  const dest = isObject(spec.destination) ? spec.destination : {};
  return {
    name,
    namespace: namespace ?? '',
    hostCluster: intern(hostCluster),
    instance: intern(instance),
    project: str(spec.project),
    sync: syncOf(isObject(status.sync) ? status.sync.status : undefined),
    health: healthOf(
      isObject(status.health) ? status.health.status : undefined,
    ),
    operationPhase: isObject(status.operationState)
      ? str(status.operationState.phase)
      : undefined,
    repoURL: str(manifests.repoURL),
    path: str(manifests.path),
    chart,
    chartVersion: chart ? str(manifests.targetRevision) : undefined,
    targetRevision: str(followed.targetRevision),
    revision: deployedRevision(status),
    destinationServer: str(dest.server),
    destinationName: str(dest.name),
    destinationNamespace: str(dest.namespace),
    labels,
    comparisonError: comparisonErrorOf(status.conditions),
  };
}

/**
 * The commit an Application runs: its latest history entry's (what the last sync deployed),
 * else the one it was compared with. `status.sync.revision` alone is the target's commit
 * Argo CD compared with, which an application rolled back, or not yet synced to a new
 * commit, does not run. A multi-source application reports `revisions`, one per source;
 * the first is the followed (pattern repo) source's commit.
 */
function deployedRevision(status: Record<string, unknown>): string | undefined {
  const revisionOf = (x: unknown) =>
    isObject(x)
      ? str(x.revision) ??
        (Array.isArray(x.revisions) ? str(x.revisions[0]) : undefined)
      : undefined;
  const history = Array.isArray(status.history) ? status.history : [];
  return revisionOf(history[history.length - 1]) ?? revisionOf(status.sync);
}

/** The message of an Application's ComparisonError condition, if it has one. */
function comparisonErrorOf(list: unknown): string | undefined {
  if (!Array.isArray(list)) return undefined;
  const c = list.find(
    x => isObject(x) && x.type === 'ComparisonError' && nonEmpty(x.message),
  );
  // not interned: messages are long and seldom repeat from one application to the next
  return c ? (c.message as string) : undefined;
}

/** Search encodes labels as "k=v; k2=v2". */
export function parseSearchLabels(label: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof label !== 'string' || !label) return out;
  for (const pair of label.split('; ')) {
    const i = pair.indexOf('=');
    if (i > 0) out[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return out;
}

/** An Application item as ACM Search v2 returns it (every value a string). */
export function toSearchApplication(item: unknown): ApplicationRecord {
  if (!isKeyedSearchItem(item)) {
    throw new MalformedObjectError(
      'Search Application item without name or cluster',
    );
  }
  return {
    name: intern(item.name),
    namespace: str(item.namespace) ?? '',
    hostCluster: intern(item.cluster),
    sync: syncOf(item.syncStatus),
    health: healthOf(item.healthStatus),
    repoURL: str(item.repoURL),
    path: str(item.path),
    chart: str(item.chart),
    // Search reads only spec.source: a multi-source app (the pattern's chart apps and app of
    // apps) comes with no repoURL and a targetRevision of "HEAD" that it never had.
    targetRevision: nonEmpty(item.repoURL)
      ? str(item.targetRevision)
      : undefined,
    destinationServer: str(item.destinationServer),
    destinationName: str(item.destinationName),
    destinationNamespace: str(item.destinationNamespace),
    labels:
      typeof item.label === 'string'
        ? internLabelsOf(item.label, parseSearchLabels)
        : internLabels({}),
    operationPhase: nonEmpty(item._conditionOperationError)
      ? 'Failed'
      : undefined,
    // Search keeps each condition's message as _condition<Type> (at most 512 characters)
    comparisonError: nonEmpty(item._conditionComparisonError)
      ? (item._conditionComparisonError as string)
      : undefined,
  };
}
