/*
 * ManagedClusters -> catalog entities, as pure functions of what the hub holds, so the
 * provider can derive every entity again after any change and compare it with what it last
 * emitted. Entities carry only what changes rarely (names, labels, versions, links): a
 * cluster's availability, leases and conditions change every minute and would churn the
 * catalog, so they stay in the Multicloud GitOps views, which read them live.
 */
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
  EntityLink,
  KubernetesValidatorFunctions,
} from '@backstage/catalog-model';
import {
  acmClusterConsoleUrl,
  CLUSTER_ANNOTATION,
  CLUSTER_ENTITY_TYPE,
  CLUSTER_GROUP_ANNOTATION,
  CLUSTER_GROUP_ENTITY_TYPE,
  CLUSTER_GROUP_LABEL,
  CLUSTER_PROXY_AUTH_PROVIDER,
  clusterEntityName,
  clusterGroupEntityName,
  DNS1123_LABEL,
  DNS1123_MAX,
  findHubCluster,
  HUB_ANNOTATION,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  argoInstancesByCluster,
  caDataBase64,
  HubSettings,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

/** What an entity is derived from: the parts of a ManagedCluster that rarely change. */
export interface ClusterRecord {
  name: string;
  labels: Record<string, string>;
  claims: Record<string, string>;
  kubernetesVersion?: string;
}

export class MalformedClusterError extends Error {}

const CLAIM_PLATFORM = 'platform.open-cluster-management.io';
const CLAIM_PRODUCT = 'product.open-cluster-management.io';
const CLAIM_REGION = 'region.open-cluster-management.io';
const CLAIM_OPENSHIFT_VERSION = 'version.openshift.io';
const CLAIM_CONSOLE = 'consoleurl.cluster.open-cluster-management.io';
const CLUSTERSET_LABEL = 'cluster.open-cluster-management.io/clusterset';
/** The name of the hub cluster's group when the hub cluster carries no clusterGroup label. */
const HUB_GROUP = 'hub';
// Placeholders ACM writes until the klusterlet has detected the real value.
const PLACEHOLDERS = new Set(['auto-detect', '']);

const isObject = (v: unknown): v is Record<string, any> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads a ManagedCluster; throws MalformedClusterError for what cannot become an entity. */
export function toClusterRecord(obj: unknown): ClusterRecord {
  const meta = isObject(obj) ? obj.metadata : undefined;
  const name = isObject(meta) ? meta.name : undefined;
  if (typeof name !== 'string' || !name)
    throw new MalformedClusterError('ManagedCluster without metadata.name');
  if (name.length > DNS1123_MAX || !DNS1123_LABEL.test(name))
    throw new MalformedClusterError(
      `ManagedCluster "${name}": name is not a DNS-1123 label`,
    );
  const labels = meta.labels ?? {};
  if (
    !isObject(labels) ||
    Object.values(labels).some(v => typeof v !== 'string')
  )
    throw new MalformedClusterError(
      `ManagedCluster ${name}: metadata.labels is not a map of strings`,
    );
  const status = isObject((obj as any).status) ? (obj as any).status : {};
  const claims: Record<string, string> = {};
  if (Array.isArray(status.clusterClaims)) {
    for (const c of status.clusterClaims) {
      if (isObject(c) && typeof c.name === 'string' && c.value !== undefined)
        claims[c.name] = String(c.value);
    }
  }
  const kubernetesVersion =
    isObject(status.version) && typeof status.version.kubernetes === 'string'
      ? status.version.kubernetes
      : undefined;
  return {
    name,
    labels: labels as Record<string, string>,
    claims,
    kubernetesVersion,
  };
}

/** Everything besides the clusters that decides the entities. */
export interface EntityContext {
  hub: HubSettings;
  /** The pattern's name (its System), when known. */
  pattern?: string;
  defaultOwner: string;
  ownerLabel: string;
  /** The `managed-by-location` of every entity. */
  location: string;
  /** Called for an owner label whose value is not an entity name. */
  onBadOwner?(cluster: string, value: string): void;
}

function usable(v: string | undefined): string | undefined {
  return v === undefined || PLACEHOLDERS.has(v) ? undefined : v;
}

function httpUrl(v: string | undefined): string | undefined {
  return v && /^https?:\/\/[^\s/]+/.test(v) ? v.replace(/\/+$/, '') : undefined;
}

function labelValue(v: string | undefined): string | undefined {
  const value = usable(v);
  return value && KubernetesValidatorFunctions.isValidLabelValue(value)
    ? value
    : undefined;
}

/** The cluster group of a cluster: its clusterGroup label; the hub cluster is always grouped. */
export function groupOf(c: ClusterRecord, isHub: boolean): string | undefined {
  const label = c.labels[CLUSTER_GROUP_LABEL];
  if (label && KubernetesValidatorFunctions.isValidObjectName(label))
    return label;
  return isHub ? HUB_GROUP : undefined;
}

function describeCluster(c: ClusterRecord, hubTitle: string, isHub: boolean) {
  const vendor = usable(c.labels.vendor) ?? usable(c.claims[CLAIM_PRODUCT]);
  const openshift =
    usable(c.claims[CLAIM_OPENSHIFT_VERSION]) ??
    usable(c.labels.openshiftVersion);
  const platform = usable(c.claims[CLAIM_PLATFORM]) ?? usable(c.labels.cloud);
  const region = usable(c.claims[CLAIM_REGION]) ?? usable(c.labels.region);
  let what: string | undefined;
  if (openshift) what = `${vendor ?? 'OpenShift'} ${openshift}`;
  else if (c.kubernetesVersion)
    what = `${vendor ? `${vendor}, ` : ''}Kubernetes ${c.kubernetesVersion}`;
  else what = vendor;
  const where = [platform && `on ${platform}`, region && `in ${region}`]
    .filter(Boolean)
    .join(' ');
  const role = isHub
    ? `The hub cluster of ${hubTitle}`
    : `Managed cluster of hub ${hubTitle}`;
  const detail = [what, where].filter(Boolean).join(' ');
  return detail
    ? `${role}: ${detail}.`
    : `${role} (platform and version not reported yet).`;
}

function commonAnnotations(
  ctx: EntityContext,
  group?: string,
): Record<string, string> {
  return {
    [ANNOTATION_LOCATION]: ctx.location,
    [ANNOTATION_ORIGIN_LOCATION]: ctx.location,
    [HUB_ANNOTATION]: ctx.hub.name,
    ...(ctx.pattern ? { [PATTERN_ANNOTATION]: ctx.pattern } : {}),
    ...(group ? { [CLUSTER_GROUP_ANNOTATION]: group } : {}),
  };
}

function ownerOf(c: ClusterRecord, ctx: EntityContext): string {
  const value = c.labels[ctx.ownerLabel];
  if (value === undefined) return ctx.defaultOwner;
  if (KubernetesValidatorFunctions.isValidObjectName(value))
    return `group:default/${value}`;
  ctx.onBadOwner?.(c.name, value);
  return ctx.defaultOwner;
}

/**
 * The entities of one hub: one per ManagedCluster (the hub cluster included) and one per
 * cluster group seen on it, sorted by name.
 */
export function buildEntities(
  clusters: Iterable<ClusterRecord>,
  ctx: EntityContext,
): Entity[] {
  const { hub } = ctx;
  const all = [...clusters].sort((a, b) => (a.name < b.name ? -1 : 1));
  const hubCluster = findHubCluster(all);
  const hubConsole =
    hub.consoleUrl ?? httpUrl(hubCluster?.claims[CLAIM_CONSOLE]);
  const argo = argoInstancesByCluster(hub.argocd, hubCluster?.name);
  const system = ctx.pattern ? `system:default/${ctx.pattern}` : undefined;
  const proxy = hub.clusterProxy;
  const groups = new Set<string>();
  const out: Entity[] = [];

  for (const c of all) {
    const isHub = c === hubCluster;
    const group = groupOf(c, isHub);
    if (group) groups.add(group);
    const consoleUrl = httpUrl(c.claims[CLAIM_CONSOLE]);

    const labels: Record<string, string> = {};
    const putLabel = (key: string, value: string | undefined) => {
      const v = labelValue(value);
      if (v) labels[key] = v;
    };
    putLabel('cloud', c.labels.cloud);
    putLabel('vendor', c.labels.vendor);
    putLabel('region', c.claims[CLAIM_REGION] ?? c.labels.region);
    putLabel('clusterGroup', group);
    putLabel(CLUSTERSET_LABEL, c.labels[CLUSTERSET_LABEL]);

    const links: EntityLink[] = [];
    if (consoleUrl)
      links.push({
        title: 'OpenShift console',
        url: consoleUrl,
        type: 'openshift-console',
      });
    if (hubConsole)
      links.push({
        title: 'ACM console',
        url: acmClusterConsoleUrl(hubConsole, c.name),
        type: 'acm-console',
      });
    const instance = argo.get(c.name);
    if (instance)
      links.push({
        title: `Argo CD (${instance.name})`,
        url: instance.uiUrl,
        type: 'argocd',
      });

    const annotations: Record<string, string> = {
      ...commonAnnotations(ctx, group),
      [CLUSTER_ANNOTATION]: c.name,
    };
    if (proxy) {
      annotations['kubernetes.io/api-server'] = `${proxy.url}/${c.name}`;
      annotations['kubernetes.io/api-server-certificate-authority'] =
        caDataBase64(proxy.caData) ?? '';
      annotations['kubernetes.io/auth-provider'] = CLUSTER_PROXY_AUTH_PROVIDER;
      annotations['kubernetes.io/skip-metrics-lookup'] = 'true';
      if (proxy.skipTLSVerify)
        annotations['kubernetes.io/skip-tls-verify'] = 'true';
      if (consoleUrl) {
        annotations['kubernetes.io/dashboard-url'] = consoleUrl;
        annotations['kubernetes.io/dashboard-app'] = 'openshift';
      }
    }

    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: clusterEntityName(hub.name, c.name),
        namespace: 'default',
        title: isHub ? `${c.name} (hub ${hub.title})` : c.name,
        description: describeCluster(c, hub.title, isHub),
        labels,
        annotations,
        links,
      },
      spec: {
        type: CLUSTER_ENTITY_TYPE,
        owner: ownerOf(c, ctx),
        lifecycle: 'production',
        ...(group && system ? { system } : {}),
        ...(group
          ? {
              dependencyOf: [
                `resource:default/${clusterGroupEntityName(hub.name, group)}`,
              ],
            }
          : {}),
      },
    });
  }

  for (const group of [...groups].sort()) {
    const members =
      group === HUB_GROUP &&
      hubCluster &&
      !hubCluster.labels[CLUSTER_GROUP_LABEL]
        ? 'the hub cluster'
        : `the managed clusters labelled ${CLUSTER_GROUP_LABEL}=${group}`;
    out.push({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Resource',
      metadata: {
        name: clusterGroupEntityName(hub.name, group),
        namespace: 'default',
        title: group,
        description: `Cluster group ${group} of hub ${hub.title}${
          ctx.pattern ? ` in pattern ${ctx.pattern}` : ''
        }: ${members}.`,
        labels: { clusterGroup: group },
        annotations: commonAnnotations(ctx, group),
      },
      spec: {
        type: CLUSTER_GROUP_ENTITY_TYPE,
        owner: ctx.defaultOwner,
        lifecycle: 'production',
        ...(system ? { system } : {}),
        ...(hubCluster
          ? {
              dependsOn: [
                `resource:default/${clusterEntityName(
                  hub.name,
                  hubCluster.name,
                )}`,
              ],
            }
          : {}),
      },
    });
  }
  return out;
}
