/**
 * The resource types the simulated hub kube-apiserver serves. Names, kinds, scopes and
 * short names follow the upstream CRDs in shared/reference/crds (and core Kubernetes for
 * the built-in kinds). This table drives routing, discovery, list kinds and validation.
 */
export type Access =
  /** full CRUD + watch (ACM and Argo CD custom resources) */
  | 'crud'
  /** create/get only (core Namespace and Secret, for cluster import) plus list */
  | 'create-get'
  /** read-only (list/get/watch): workloads shown by the Kubernetes plugin */
  | 'read';

export interface ResourceType {
  group: string; // '' for core
  versions: string[]; // first one is the storage version
  plural: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  shortNames?: string[];
  access: Access;
  /** file in the package's crds/ or shared/reference/crds with the schema that validates writes */
  crdFile?: string;
  /** whether the CRD declares a status subresource (writes to the main resource keep status) */
  statusSubresource?: boolean;
  /** kinds the search collector skips (it never indexes Secrets) */
  noSearch?: boolean;
}

const t = (
  r: Omit<ResourceType, 'listKind'> & { listKind?: string },
): ResourceType => ({
  listKind: `${r.kind}List`,
  ...r,
});

/** The types the simulator's own code refers to by name; RESOURCE_TYPES lists them first. */
export const TYPE = {
  // ACM / OCM
  managedCluster: t({
    group: 'cluster.open-cluster-management.io',
    versions: ['v1'],
    plural: 'managedclusters',
    singular: 'managedcluster',
    kind: 'ManagedCluster',
    namespaced: false,
    shortNames: ['mcl', 'mcls'],
    access: 'crud',
    crdFile:
      '0000_00_clusters.open-cluster-management.io_managedclusters.crd.yaml',
    statusSubresource: true,
  }),
  managedClusterSet: t({
    group: 'cluster.open-cluster-management.io',
    versions: ['v1beta2'],
    plural: 'managedclustersets',
    singular: 'managedclusterset',
    kind: 'ManagedClusterSet',
    namespaced: false,
    shortNames: ['mclset', 'mclsets'],
    access: 'crud',
    crdFile:
      '0000_00_clusters.open-cluster-management.io_managedclustersets.crd.yaml',
    statusSubresource: true,
  }),
  managedClusterSetBinding: t({
    group: 'cluster.open-cluster-management.io',
    versions: ['v1beta2'],
    plural: 'managedclustersetbindings',
    singular: 'managedclustersetbinding',
    kind: 'ManagedClusterSetBinding',
    namespaced: true,
    shortNames: ['mclsetbinding', 'mclsetbindings'],
    access: 'crud',
    crdFile:
      '0000_01_clusters.open-cluster-management.io_managedclustersetbindings.crd.yaml',
    statusSubresource: true,
  }),
  placement: t({
    group: 'cluster.open-cluster-management.io',
    versions: ['v1beta1'],
    plural: 'placements',
    singular: 'placement',
    kind: 'Placement',
    namespaced: true,
    access: 'crud',
    crdFile: '0000_02_clusters.open-cluster-management.io_placements.crd.yaml',
    statusSubresource: true,
  }),
  placementDecision: t({
    group: 'cluster.open-cluster-management.io',
    versions: ['v1beta1'],
    plural: 'placementdecisions',
    singular: 'placementdecision',
    kind: 'PlacementDecision',
    namespaced: true,
    access: 'crud',
    crdFile:
      '0000_03_clusters.open-cluster-management.io_placementdecisions.crd.yaml',
    statusSubresource: true,
  }),
  managedClusterInfo: t({
    group: 'internal.open-cluster-management.io',
    versions: ['v1beta1'],
    plural: 'managedclusterinfos',
    singular: 'managedclusterinfo',
    kind: 'ManagedClusterInfo',
    namespaced: true,
    access: 'crud',
    crdFile: 'internal.open-cluster-management.io_managedclusterinfos.crd.yaml',
    statusSubresource: true,
  }),
  policy: t({
    group: 'policy.open-cluster-management.io',
    versions: ['v1'],
    plural: 'policies',
    singular: 'policy',
    kind: 'Policy',
    namespaced: true,
    shortNames: ['plc'],
    access: 'crud',
    crdFile: 'policy.open-cluster-management.io_policies.yaml',
    statusSubresource: true,
  }),
  placementBinding: t({
    group: 'policy.open-cluster-management.io',
    versions: ['v1'],
    plural: 'placementbindings',
    singular: 'placementbinding',
    kind: 'PlacementBinding',
    namespaced: true,
    shortNames: ['pb'],
    access: 'crud',
    crdFile: 'policy.open-cluster-management.io_placementbindings.yaml',
    statusSubresource: true,
  }),
  klusterletAddonConfig: t({
    group: 'agent.open-cluster-management.io',
    versions: ['v1'],
    plural: 'klusterletaddonconfigs',
    singular: 'klusterletaddonconfig',
    kind: 'KlusterletAddonConfig',
    namespaced: true,
    access: 'crud',
    crdFile: 'agent.open-cluster-management.io_klusterletaddonconfigs.crd.yaml',
    statusSubresource: true,
  }),
  // ACM foundation: actions and views carried out by a managed cluster's klusterlet (CRDs in crds/)
  managedClusterAction: t({
    group: 'action.open-cluster-management.io',
    versions: ['v1beta1'],
    plural: 'managedclusteractions',
    singular: 'managedclusteraction',
    kind: 'ManagedClusterAction',
    namespaced: true,
    access: 'crud',
    crdFile: 'action.open-cluster-management.io_managedclusteractions.crd.yaml',
    statusSubresource: true,
  }),
  managedClusterView: t({
    group: 'view.open-cluster-management.io',
    versions: ['v1beta1'],
    plural: 'managedclusterviews',
    singular: 'managedclusterview',
    kind: 'ManagedClusterView',
    namespaced: true,
    access: 'crud',
    crdFile: 'view.open-cluster-management.io_managedclusterviews.crd.yaml',
    statusSubresource: true,
  }),
  // Validated Patterns operator
  pattern: t({
    group: 'gitops.hybrid-cloud-patterns.io',
    versions: ['v1alpha1'],
    plural: 'patterns',
    singular: 'pattern',
    kind: 'Pattern',
    namespaced: true,
    shortNames: ['patt'],
    access: 'crud',
    crdFile: 'gitops.hybrid-cloud-patterns.io_patterns.yaml',
    statusSubresource: true,
  }),
  // Argo CD (no status subresource upstream: status is written with the object)
  application: t({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'applications',
    singular: 'application',
    kind: 'Application',
    namespaced: true,
    shortNames: ['app', 'apps'],
    access: 'crud',
    crdFile: 'argoproj.io_applications.crd.yaml',
  }),
  appProject: t({
    group: 'argoproj.io',
    versions: ['v1alpha1'],
    plural: 'appprojects',
    singular: 'appproject',
    kind: 'AppProject',
    namespaced: true,
    shortNames: ['appproj', 'appprojs'],
    access: 'crud',
    crdFile: 'argoproj.io_appprojects.crd.yaml',
  }),
  // core
  namespace: t({
    group: '',
    versions: ['v1'],
    plural: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    access: 'create-get',
  }),
  secret: t({
    group: '',
    versions: ['v1'],
    plural: 'secrets',
    singular: 'secret',
    kind: 'Secret',
    namespaced: true,
    access: 'create-get',
    noSearch: true,
  }),
};

export const RESOURCE_TYPES: ResourceType[] = [
  ...Object.values(TYPE),
  // core, read-only
  t({
    group: '',
    versions: ['v1'],
    plural: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    access: 'read',
  }),
  t({
    group: '',
    versions: ['v1'],
    plural: 'services',
    singular: 'service',
    kind: 'Service',
    namespaced: true,
    shortNames: ['svc'],
    access: 'read',
  }),
  t({
    group: '',
    versions: ['v1'],
    plural: 'configmaps',
    singular: 'configmap',
    kind: 'ConfigMap',
    namespaced: true,
    shortNames: ['cm'],
    access: 'read',
  }),
  t({
    group: '',
    versions: ['v1'],
    plural: 'limitranges',
    singular: 'limitrange',
    kind: 'LimitRange',
    namespaced: true,
    shortNames: ['limits'],
    access: 'read',
  }),
  t({
    group: '',
    versions: ['v1'],
    plural: 'resourcequotas',
    singular: 'resourcequota',
    kind: 'ResourceQuota',
    namespaced: true,
    shortNames: ['quota'],
    access: 'read',
  }),
  t({
    group: '',
    versions: ['v1'],
    plural: 'events',
    singular: 'event',
    kind: 'Event',
    namespaced: true,
    shortNames: ['ev'],
    access: 'read',
    noSearch: true,
  }),
  t({
    group: 'apps',
    versions: ['v1'],
    plural: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    access: 'read',
  }),
  t({
    group: 'apps',
    versions: ['v1'],
    plural: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    access: 'read',
  }),
  t({
    group: 'apps',
    versions: ['v1'],
    plural: 'statefulsets',
    singular: 'statefulset',
    kind: 'StatefulSet',
    namespaced: true,
    shortNames: ['sts'],
    access: 'read',
  }),
  t({
    group: 'apps',
    versions: ['v1'],
    plural: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    access: 'read',
  }),
  t({
    group: 'batch',
    versions: ['v1'],
    plural: 'jobs',
    singular: 'job',
    kind: 'Job',
    namespaced: true,
    access: 'read',
  }),
  t({
    group: 'batch',
    versions: ['v1'],
    plural: 'cronjobs',
    singular: 'cronjob',
    kind: 'CronJob',
    namespaced: true,
    shortNames: ['cj'],
    access: 'read',
  }),
  t({
    group: 'networking.k8s.io',
    versions: ['v1'],
    plural: 'ingresses',
    singular: 'ingress',
    kind: 'Ingress',
    namespaced: true,
    shortNames: ['ing'],
    access: 'read',
  }),
  t({
    group: 'autoscaling',
    versions: ['v2', 'v1'],
    plural: 'horizontalpodautoscalers',
    singular: 'horizontalpodautoscaler',
    kind: 'HorizontalPodAutoscaler',
    namespaced: true,
    shortNames: ['hpa'],
    access: 'read',
  }),
  // more read-only kinds a hub serves and plugins may list (mostly empty here)
  ...(
    [
      [
        '',
        'v1',
        'persistentvolumeclaims',
        'PersistentVolumeClaim',
        true,
        ['pvc'],
      ],
      ['', 'v1', 'serviceaccounts', 'ServiceAccount', true, ['sa']],
      ['', 'v1', 'endpoints', 'Endpoints', true, ['ep']],
      ['', 'v1', 'nodes', 'Node', false, ['no']],
      [
        'networking.k8s.io',
        'v1',
        'networkpolicies',
        'NetworkPolicy',
        true,
        ['netpol'],
      ],
      [
        'policy',
        'v1',
        'poddisruptionbudgets',
        'PodDisruptionBudget',
        true,
        ['pdb'],
      ],
      ['route.openshift.io', 'v1', 'routes', 'Route', true, []],
    ] as const
  ).map(([group, version, plural, kind, namespaced, shortNames]) =>
    t({
      group,
      versions: [version],
      plural,
      singular: kind.toLowerCase(),
      kind,
      namespaced,
      ...(shortNames.length ? { shortNames: [...shortNames] } : {}),
      access: 'read',
    }),
  ),
  // the Kubernetes plugin asks for pod metrics unless told not to: empty lists, not 404s
  t({
    group: 'metrics.k8s.io',
    versions: ['v1beta1'],
    plural: 'pods',
    singular: '',
    kind: 'PodMetrics',
    namespaced: true,
    access: 'read',
    noSearch: true,
  }),
];

/** Store key of a type: "plural.group" (as kubectl spells a resource), "plural" for core. */
export function typeKey(rt: Pick<ResourceType, 'group' | 'plural'>): string {
  return rt.group ? `${rt.plural}.${rt.group}` : rt.plural;
}

const byPath = new Map<string, ResourceType>();
const byKind = new Map<string, ResourceType>();
for (const rt of RESOURCE_TYPES) {
  for (const v of rt.versions) {
    byPath.set(`${rt.group}/${v}/${rt.plural}`, rt);
    byKind.set(`${rt.group ? `${rt.group}/` : ''}${v}/${rt.kind}`, rt);
  }
}

export function findType(
  group: string,
  version: string,
  plural: string,
): ResourceType | undefined {
  return byPath.get(`${group}/${version}/${plural}`);
}

/** Resolve a type from an object's apiVersion + kind (fixtures, create bodies). */
export function findTypeByKind(
  apiVersion: string,
  kind: string,
): ResourceType | undefined {
  return byKind.get(`${apiVersion}/${kind}`);
}

export function apiVersionOf(
  rt: ResourceType,
  version = rt.versions[0],
): string {
  return rt.group ? `${rt.group}/${version}` : version;
}

export function groupVersions(
  types: ResourceType[] = RESOURCE_TYPES,
): Map<string, string[]> {
  // group -> versions, preferred first (used for discovery)
  const m = new Map<string, string[]>();
  for (const rt of types) {
    if (!rt.group) continue;
    const vs = m.get(rt.group) ?? [];
    for (const v of rt.versions) if (!vs.includes(v)) vs.push(v);
    m.set(rt.group, vs);
  }
  return m;
}
