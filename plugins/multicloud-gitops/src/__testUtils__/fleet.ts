import {
  ApplicationSummary,
  ClusterDetails,
  ClusterSummary,
  FleetApplication,
  FleetCluster,
  FleetResponse,
  GroupSummary,
  HealthStatus,
  HubInfo,
  HubsResponse,
  SourceStatus,
  SyncStatus,
  TopologyResponse,
  clusterStatusSeverity,
  rollupApplications,
  rollupClusters,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import type { FleetRequest } from '../api';
import { applyFilters } from '../lib/filters';

/**
 * A small, realistic Multicloud GitOps fleet: the hub, two cluster groups, five clusters
 * (one unavailable, one still pending import) and applications in mixed sync/health states.
 * Roll-ups are computed with the shared helpers, exactly as the backend does.
 */

export const HUB: HubInfo = {
  id: 'prod-hub',
  title: 'Production hub',
  clusterName: 'local-cluster',
  pattern: 'multicloud-gitops',
  patternSource: 'pattern-cr',
  consoleUrl: 'https://console-openshift-console.apps.hub.example.com',
  acmConsoleUrl:
    'https://console-openshift-console.apps.hub.example.com/multicloud/infrastructure/clusters',
  argocdUrl:
    'https://hub-gitops-server-multicloud-gitops-hub.apps.hub.example.com',
};

const NOW = '2026-11-25T10:00:00.000Z';

function cluster(
  name: string,
  group: string,
  status: ClusterSummary['status'],
  extra: Partial<ClusterSummary> = {},
): ClusterSummary {
  return {
    name,
    group,
    status,
    isHub: false,
    cloud: 'Amazon',
    vendor: 'OpenShift',
    region: 'us-east-1',
    openshiftVersion: '4.16.12',
    kubernetesVersion: 'v1.29.8',
    consoleUrl: `https://console-openshift-console.apps.${name}.example.com`,
    clusterSet: 'default',
    policies: { compliant: 3, nonCompliant: 0, pending: 0 },
    argocdInstance: group === 'hub' ? 'hub' : `${name}-gitops`,
    ...extra,
  };
}

export const CLUSTERS: ClusterSummary[] = [
  cluster('local-cluster', 'hub', 'available', {
    isHub: true,
    availableUpgrade: '4.16.14',
  }),
  cluster('east-1', 'group-one', 'available'),
  cluster('west-1', 'group-one', 'unavailable', {
    cloud: 'Azure',
    region: 'westeurope',
    statusReason:
      'ManagedClusterLeaseUpdateStopped: Registration agent stopped updating its lease.',
    policies: { compliant: 1, nonCompliant: 2, pending: 0 },
  }),
  cluster('edge-1', 'group-two', 'available', {
    cloud: 'Google',
    region: 'europe-west4',
  }),
  cluster('edge-2', 'group-two', 'pending-import', {
    cloud: 'BareMetal',
    region: undefined,
    openshiftVersion: undefined,
    kubernetesVersion: undefined,
    consoleUrl: undefined,
    statusReason: 'The klusterlet has not been imported yet.',
    policies: { compliant: 0, nonCompliant: 0, pending: 0 },
    argocdInstance: undefined,
  }),
];

function app(
  clusterName: string,
  name: string,
  sync: SyncStatus,
  health: HealthStatus,
  extra: Partial<ApplicationSummary> = {},
): ApplicationSummary {
  const c = CLUSTERS.find(x => x.name === clusterName)!;
  const namespace = c.isHub
    ? 'multicloud-gitops-hub'
    : `multicloud-gitops-${c.group}`;
  return {
    name,
    namespace,
    cluster: clusterName,
    instance: c.argocdInstance ?? 'hub',
    sync,
    health,
    targetRevision: 'main',
    revision: '5f3c2a1d9e8b7c6a5f4e3d2c1b0a9f8e7d6c5b4a',
    appOfApps: false,
    argocdUrl: `${HUB.argocdUrl}/applications/${namespace}/${name}`,
    ...extra,
  };
}

export const APPLICATIONS: ApplicationSummary[] = [
  app('local-cluster', 'multicloud-gitops-hub', 'Synced', 'Healthy', {
    appOfApps: true,
  }),
  app('local-cluster', 'vault', 'Synced', 'Healthy'),
  app('local-cluster', 'golang-external-secrets', 'Synced', 'Healthy'),
  app('local-cluster', 'config-demo', 'OutOfSync', 'Healthy'),
  app('east-1', 'multicloud-gitops-group-one', 'Synced', 'Healthy', {
    appOfApps: true,
  }),
  app('east-1', 'config-demo', 'Synced', 'Healthy'),
  app('east-1', 'hello-world', 'Synced', 'Degraded', {
    operationPhase: 'Failed',
  }),
  app('west-1', 'config-demo', 'Unknown', 'Unknown'),
  app('west-1', 'hello-world', 'OutOfSync', 'Missing'),
  app('edge-1', 'config-demo', 'Synced', 'Healthy'),
  app('edge-1', 'hello-world', 'Synced', 'Progressing', {
    operationPhase: 'Running',
  }),
];

export const SOURCES_OK: SourceStatus[] = [
  { name: 'acm', kind: 'acm', state: 'ok', since: NOW, lastSuccess: NOW },
  { name: 'search', kind: 'search', state: 'ok', since: NOW, lastSuccess: NOW },
  {
    name: 'argocd/hub',
    kind: 'argocd',
    state: 'ok',
    since: NOW,
    lastSuccess: NOW,
  },
];

export const SOURCE_ERROR: SourceStatus = {
  name: 'argocd/hub',
  kind: 'argocd',
  state: 'error',
  since: '2026-11-25T09:42:00.000Z',
  lastSuccess: '2026-11-25T09:41:30.000Z',
  message:
    'Argo CD answered 401 Unauthorized: renew the token of instance "hub".',
};

export function buildTopology(
  clusters: ClusterSummary[] = CLUSTERS,
  applications: ApplicationSummary[] = APPLICATIONS,
  overrides: Partial<TopologyResponse> = {},
): TopologyResponse {
  const groupNames = [...new Set(clusters.map(c => c.group))].sort();
  const groups: GroupSummary[] = groupNames.map(name => {
    const members = clusters.filter(c => c.group === name);
    const memberNames = new Set(members.map(c => c.name));
    return {
      name,
      clusters: members.map(c => c.name).sort(),
      clusterRollup: rollupClusters(members),
      applicationRollup: rollupApplications(
        applications.filter(a => memberNames.has(a.cluster)),
      ),
    };
  });
  return {
    hub: HUB,
    pattern: 'multicloud-gitops',
    groups,
    clusters,
    applications,
    sources: SOURCES_OK,
    storeId: 'store-a',
    version: 42,
    generatedAt: NOW,
    clusterRollup: rollupClusters(clusters),
    applicationRollup: rollupApplications(applications),
    ...overrides,
  };
}

export const TOPOLOGY: TopologyResponse = buildTopology();

export const HUBS: HubsResponse = {
  hubs: [
    {
      ...HUB,
      sources: SOURCES_OK,
      clusterCount: CLUSTERS.length,
      applicationCount: APPLICATIONS.length,
    },
  ],
};

/** Where an app's manifests come from, as the clustergroup chart renders it. */
function sourceOf(a: ApplicationSummary) {
  const charts: Record<string, [string, string]> = {
    vault: ['hashicorp-vault', '0.1.*'],
    'golang-external-secrets': ['golang-external-secrets', '0.1.*'],
  };
  const chart = a.appOfApps ? ['clustergroup', '0.9.*'] : charts[a.name];
  return chart
    ? {
        repoURL: 'https://charts.validatedpatterns.io',
        chart: chart[0],
        chartVersion: chart[1],
      }
    : {
        repoURL: 'https://github.com/validatedpatterns/multicloud-gitops',
        path: `charts/all/${a.name}`,
      };
}

export function clusterDetails(name: string): ClusterDetails {
  const c = CLUSTERS.find(x => x.name === name)!;
  return {
    hub: HUB,
    cluster: {
      ...c,
      labels: {
        ...(c.isHub ? { 'local-cluster': 'true' } : {}),
        clusterGroup: c.group,
        name: c.name,
      },
    },
    conditions: [
      {
        type: 'ManagedClusterConditionAvailable',
        status: c.status === 'available' ? 'True' : 'Unknown',
        reason:
          c.status === 'available'
            ? 'ManagedClusterAvailable'
            : 'ManagedClusterLeaseUpdateStopped',
        message: c.statusReason ?? 'Managed cluster is available',
        lastTransitionTime: '2026-11-24T08:00:00.000Z',
      },
      {
        type: 'ManagedClusterJoined',
        status: 'True',
        reason: 'ManagedClusterJoined',
        message: 'Managed cluster joined',
        lastTransitionTime: '2026-11-01T08:00:00.000Z',
      },
    ],
    taints: [],
    claims: {
      'platform.open-cluster-management.io': 'AWS',
      'region.open-cluster-management.io': c.region ?? '',
    },
    nodes: [
      {
        name: `${name}-master-0`,
        roles: ['control-plane', 'master'],
        ready: true,
        cpu: '8',
        memory: '32Gi',
      },
      {
        name: `${name}-worker-0`,
        roles: ['worker'],
        ready: true,
        cpu: '16',
        memory: '64Gi',
      },
      {
        name: `${name}-worker-1`,
        roles: ['worker'],
        ready: false,
        cpu: '16',
        memory: '64Gi',
      },
    ],
    availableUpgrades: c.availableUpgrade ? [c.availableUpgrade] : [],
    policies: [
      {
        name: 'openshift-gitops-policy',
        namespace: 'open-cluster-management',
        compliance: 'Compliant',
        remediationAction: 'enforce',
        severity: 'medium',
      },
      {
        name: 'hub-argo-ca-policy',
        namespace: 'open-cluster-management',
        compliance: c.policies.nonCompliant ? 'NonCompliant' : 'Compliant',
        remediationAction: 'enforce',
        severity: 'high',
      },
    ],
    applications: APPLICATIONS.filter(a => a.cluster === name).map(a => ({
      ...a,
      project: c.group,
      ...sourceOf(a),
      destinationServer: 'https://kubernetes.default.svc',
      destinationNamespace: a.name,
      labels: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
    })),
    links: [
      ...(c.consoleUrl
        ? [
            {
              title: 'OpenShift console',
              url: c.consoleUrl,
              kind: 'openshift-console' as const,
            },
          ]
        : []),
      {
        title: 'ACM console',
        url: `${HUB.acmConsoleUrl}/details/${name}/${name}/overview`,
        kind: 'acm-console' as const,
      },
      {
        title: 'Argo CD',
        url: `${HUB.argocdUrl}/applications?cluster=${name}`,
        kind: 'argocd' as const,
      },
    ],
    sources: SOURCES_OK,
  };
}

/**
 * A synthetic fleet of `clusterCount` clusters spread over `groupCount` groups with
 * `appsPerCluster` applications each; used by the scale tests.
 */
export function buildLargeTopology(
  clusterCount = 2000,
  appsPerCluster = 20,
  groupCount = 8,
): TopologyResponse {
  const syncs: SyncStatus[] = [
    'Synced',
    'Synced',
    'Synced',
    'OutOfSync',
    'Unknown',
  ];
  const healths: HealthStatus[] = [
    'Healthy',
    'Healthy',
    'Healthy',
    'Progressing',
    'Degraded',
    'Missing',
  ];
  const statuses: ClusterSummary['status'][] = [
    'available',
    'available',
    'available',
    'available',
    'unavailable',
    'pending-import',
    'unknown',
  ];
  const clusters: ClusterSummary[] = [];
  const applications: ApplicationSummary[] = [];
  for (let i = 0; i < clusterCount; i++) {
    const group = `group-${i % groupCount}`;
    const name = `cluster-${String(i).padStart(4, '0')}`;
    clusters.push(cluster(name, group, statuses[i % statuses.length]));
    for (let j = 0; j < appsPerCluster; j++) {
      const appName = `app-${String(j).padStart(2, '0')}`;
      applications.push({
        name: appName,
        namespace: 'ns',
        cluster: name,
        instance: `${name}-gitops`,
        sync: syncs[(i + j) % syncs.length],
        health: healths[(i * 7 + j) % healths.length],
        appOfApps: false,
      });
    }
  }
  return buildTopology(clusters, applications);
}

/**
 * What the backend's `GET /fleet` answers over these topologies (one per hub), for tests of
 * the paged views: the browser's filter semantics, topology order, the page and window asked.
 */
export function fleetAnswer(
  request: FleetRequest,
  topologies: TopologyResponse[] = [TOPOLOGY],
): FleetResponse {
  const inView = topologies.filter(
    t => !request.hubs?.length || request.hubs.includes(t.hub.id),
  );
  const rows: FleetCluster[] = [];
  const apps: FleetApplication[] = [];
  for (const t of inView) {
    const f = applyFilters(t, {
      groups: request.groups ?? [],
      statuses: request.statuses ?? [],
      syncs: request.syncs ?? [],
      healths: request.healths ?? [],
      text: request.text ?? '',
    });
    for (const c of f.clusters)
      rows.push({
        ...c,
        hub: t.hub.id,
        applicationRollup: rollupApplications(
          f.appsByCluster.get(c.name) ?? [],
        ),
      });
    for (const a of f.applications) apps.push({ ...a, hub: t.hub.id });
  }
  // The backend's sorts (fleetQuery.ts); topology order is the order gathered.
  const severity = (c: FleetCluster) => clusterStatusSeverity(c.status);
  const sorts = {
    topology: () => 0,
    name: (a: FleetCluster, b: FleetCluster) => a.name.localeCompare(b.name),
    status: (a: FleetCluster, b: FleetCluster) =>
      severity(a) - severity(b) ||
      b.applicationRollup.problems - a.applicationRollup.problems,
    problems: (a: FleetCluster, b: FleetCluster) =>
      b.applicationRollup.problems - a.applicationRollup.problems ||
      severity(a) - severity(b),
  };
  rows.sort(sorts[request.sort ?? 'topology']);
  const offset = request.offset ?? 0;
  const limit = request.limit ?? 50;
  const appOffset = request.appOffset ?? 0;
  const appLimit = request.appLimit ?? 0;
  const page = rows.slice(offset, offset + limit);
  const names = [...new Set(apps.map(a => a.name))].sort();
  const window = names.slice(appOffset, appOffset + appLimit);
  const onPage = new Set(page.map(c => `${c.hub}/${c.name}`));
  return {
    hubs: topologies.map(t => ({
      hub: t.hub,
      pattern: t.pattern,
      sources: t.sources,
      storeId: t.storeId,
      version: t.version,
      generatedAt: t.generatedAt,
      groups: t.groups.map(g => ({
        name: g.name,
        clusterRollup: g.clusterRollup,
        applicationRollup: g.applicationRollup,
      })),
      clusterRollup: t.clusterRollup,
      applicationRollup: t.applicationRollup,
    })),
    sort: request.sort ?? 'topology',
    matched: {
      clusterRollup: rollupClusters(rows),
      applicationRollup: rollupApplications(apps),
    },
    clusters: { offset, total: rows.length, items: page },
    applicationNames: { offset: appOffset, total: names.length, items: window },
    applications: apps.filter(
      a => onPage.has(`${a.hub}/${a.cluster}`) && window.includes(a.name),
    ),
  };
}
