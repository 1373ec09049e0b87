// Over 400 lines because the objects are written out field by field, as ACM writes them, so a
// reader can compare them with the upstream shapes line by line.
import { KObject } from '../store/types';
import { Prng } from '../util/prng';
import { Cloud, Release } from './catalog';

/**
 * ManagedCluster, ManagedClusterInfo, KlusterletAddonConfig and cluster Namespace objects,
 * shaped as ACM 2.16 writes them (upstream-apis.md §B).
 */

export type ClusterState = 'available' | 'unavailable' | 'pending';

export interface ClusterModel {
  name: string;
  isHub: boolean;
  cloud: Cloud;
  region: string;
  release: Release;
  product: string;
  group: string;
  state: ClusterState;
  workers: number;
  clusterId: string;
  uid: string;
  infoUid: string;
  created: string;
  apiUrl: string;
  consoleUrl: string;
  /**
   * The OpenShift cluster's own name where it differs from its ManagedCluster name: a hub's
   * ManagedCluster is `local-cluster`, but its API and console URLs carry the hub's name.
   */
  openshiftName?: string;
}

export const BASE_DOMAIN = 'fleet.example.com';
export const UNREACHABLE_TAINT =
  'cluster.open-cluster-management.io/unreachable';

/** Deterministic timestamps: the fleet's history is anchored at a fixed instant. */
export const EPOCH = Date.parse('2026-06-01T00:00:00Z');
export const ts = (msBeforeEpoch: number) =>
  new Date(EPOCH - msBeforeEpoch).toISOString().replace(/\.\d+Z$/, 'Z');
const DAY = 86400000;

export function clusterUrls(name: string) {
  return {
    apiUrl: `https://api.${name}.${BASE_DOMAIN}:6443`,
    consoleUrl: `https://console-openshift-console.apps.${name}.${BASE_DOMAIN}`,
  };
}

/** A base64 PEM-looking CA bundle; clients only pass it through. */
function caBundle(name: string): string {
  const pem = `-----BEGIN CERTIFICATE-----\n${Buffer.from(
    `fleet-simulator ca for ${name}`,
  ).toString('base64')}\n-----END CERTIFICATE-----\n`;
  return Buffer.from(pem).toString('base64');
}

const cond = (
  type: string,
  status: 'True' | 'False' | 'Unknown',
  reason: string,
  message: string,
  at: string,
) => ({ type, status, reason, message, lastTransitionTime: at });

export function availableCondition(available: boolean, at: string) {
  return available
    ? cond(
        'ManagedClusterConditionAvailable',
        'True',
        'ManagedClusterAvailable',
        'Managed cluster is available',
        at,
      )
    : cond(
        'ManagedClusterConditionAvailable',
        'Unknown',
        'ManagedClusterLeaseUpdateStopped',
        'Registration agent stopped updating its lease.',
        at,
      );
}

function vendorLabel(product: string) {
  // the foundation's `vendor` label uses the managed-service names for ROSA/ARO clusters too
  return product === 'ROSA' || product === 'ARO' ? 'OpenShift' : product;
}

function quantity(workers: number) {
  const nodes = workers + 3;
  return {
    cpu: String(nodes * 16),
    memory: `${nodes * 65843896}Ki`,
    pods: String(nodes * 250),
    'ephemeral-storage': `${nodes * 125293548}Ki`,
  };
}

export function managedCluster(c: ClusterModel, pattern: string): KObject {
  const [major, minor] = c.release.version.split('.');
  const pending = c.state === 'pending';
  const labels: Record<string, string> = pending
    ? {
        cloud: 'auto-detect',
        vendor: 'auto-detect',
        name: c.name,
        'cluster.open-cluster-management.io/clusterset': 'default',
        clusterGroup: c.group,
      }
    : {
        cloud: c.cloud.label,
        vendor: vendorLabel(c.product),
        name: c.name,
        clusterID: c.clusterId,
        openshiftVersion: c.release.version,
        'openshiftVersion-major': major,
        'openshiftVersion-major-minor': `${major}.${minor}`,
        'cluster.open-cluster-management.io/clusterset': 'default',
        clusterGroup: c.group,
        region: c.region,
        'feature.open-cluster-management.io/addon-application-manager':
          'available',
        'feature.open-cluster-management.io/addon-cert-policy-controller':
          'available',
        'feature.open-cluster-management.io/addon-cluster-proxy': 'available',
        'feature.open-cluster-management.io/addon-config-policy-controller':
          'available',
        'feature.open-cluster-management.io/addon-governance-policy-framework':
          'available',
        'feature.open-cluster-management.io/addon-search-collector':
          'available',
        'feature.open-cluster-management.io/addon-work-manager': 'available',
      };
  if (c.isHub) {
    labels['local-cluster'] = 'true';
    labels['velero.io/exclude-from-backup'] = 'true';
  }
  void pattern;
  const created = c.created;
  const obj: KObject = {
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: {
      name: c.name,
      uid: c.uid,
      generation: 1,
      creationTimestamp: created,
      labels,
      annotations: c.isHub
        ? {
            'open-cluster-management/created-via': 'other',
            'installer.multicluster.openshift.io/is-local-cluster': 'true',
          }
        : { 'open-cluster-management/created-via': 'other' },
      finalizers: ['cluster.open-cluster-management.io/api-resource-cleanup'],
    },
    spec: {
      hubAcceptsClient: !pending,
      leaseDurationSeconds: 60,
      managedClusterClientConfigs: [
        { url: c.apiUrl, caBundle: caBundle(c.name) },
      ],
    },
  };
  // A cluster the hub has not accepted has no `status` at all: the apiserver drops status on
  // create for a CRD with a status subresource, and the hub's registration controller writes
  // nothing until hubAcceptsClient is true. (`status: {}` made the OCM peer's
  // `mc.status?.conditions.find(...)` throw, failing its whole /status answer.)
  if (pending) return obj;
  const joined = ts(
    Date.parse('2026-06-01T00:00:00Z') - Date.parse(created) - 600000,
  );
  obj.status = {
    conditions: [
      cond(
        'HubAcceptedManagedCluster',
        'True',
        'HubClusterAdminAccepted',
        'Accepted by hub cluster admin',
        created,
      ),
      cond(
        'ManagedClusterJoined',
        'True',
        'ManagedClusterJoined',
        'Managed cluster joined',
        joined,
      ),
      availableCondition(
        c.state === 'available',
        c.state === 'available' ? joined : ts(3 * 3600000),
      ),
      cond(
        'ManagedClusterConditionClockSynced',
        'True',
        'ManagedClusterClockSynced',
        'The clock of the managed cluster is synced with the hub.',
        joined,
      ),
      ...(c.isHub
        ? []
        : [
            cond(
              'ManagedClusterImportSucceeded',
              'True',
              'ManagedClusterImported',
              'Import succeeded',
              joined,
            ),
          ]),
    ],
    capacity: quantity(c.workers),
    allocatable: quantity(Math.max(1, c.workers - 1)),
    version: { kubernetes: c.release.kubernetes },
    clusterClaims: [
      { name: 'id.k8s.io', value: c.name },
      {
        name: 'kubeversion.open-cluster-management.io',
        value: c.release.kubernetes,
      },
      { name: 'platform.open-cluster-management.io', value: c.cloud.platform },
      { name: 'product.open-cluster-management.io', value: c.product },
      {
        name: 'consoleurl.cluster.open-cluster-management.io',
        value: c.consoleUrl,
      },
      { name: 'controlplanetopology.openshift.io', value: 'HighlyAvailable' },
      { name: 'id.openshift.io', value: c.clusterId },
      {
        name: 'infrastructure.openshift.io',
        value: JSON.stringify({
          infraName: `${(c.openshiftName ?? c.name).slice(
            0,
            20,
          )}-${c.clusterId.slice(0, 5)}`,
        }),
      },
      { name: 'region.open-cluster-management.io', value: c.region },
      { name: 'version.openshift.io', value: c.release.version },
    ],
  };
  if (c.state === 'unavailable') {
    obj.spec.taints = [
      {
        key: UNREACHABLE_TAINT,
        effect: 'NoSelect',
        timeAdded: ts(3 * 3600000),
      },
    ];
  }
  return obj;
}

export function managedClusterInfo(c: ClusterModel, prng: Prng): KObject {
  const available = c.state === 'available';
  const ocp: Record<string, unknown> = {
    version: c.release.version,
    desiredVersion: c.release.version,
    channel: c.release.channel,
    availableUpdates: [...c.release.updates],
    versionAvailableUpdates: c.release.updates.map(v => ({
      version: v,
      image: `ocp-release@sha256:${prng.hex(64)}`,
      url: `https://access.redhat.com/errata/RHBA-2026:${
        1000 + prng.int(8000)
      }`,
      channels: [c.release.channel],
    })),
    desired: {
      version: c.release.version,
      image: `ocp-release@sha256:${prng.hex(64)}`,
      channels: [c.release.channel],
    },
    versionHistory: [
      {
        state: 'Completed',
        version: c.release.version,
        image: `ocp-release@sha256:${prng.hex(64)}`,
        verified: false,
      },
    ],
    upgradeFailed: false,
    managedClusterClientConfig: { url: c.apiUrl, caBundle: caBundle(c.name) },
    lastAppliedAPIServerURL: c.apiUrl,
  };
  const nodes = [];
  if (available) {
    for (let i = 0; i < 3 + c.workers; i++) {
      const master = i < 3;
      nodes.push({
        name: `ip-10-0-${(i * 37) % 250}-${(i * 91 + 7) % 250}.${
          c.region
        }.compute.internal`,
        labels: {
          'node-role.kubernetes.io/worker': '',
          ...(master
            ? {
                'node-role.kubernetes.io/master': '',
                'node-role.kubernetes.io/control-plane': '',
              }
            : {}),
          'node.kubernetes.io/instance-type': master
            ? 'm6i.xlarge'
            : 'm6i.4xlarge',
          'topology.kubernetes.io/region': c.region,
        },
        capacity: {
          cpu: master ? '4' : '16',
          memory: master ? '16Gi' : '64Gi',
        },
        conditions: [{ type: 'Ready', status: 'True' }],
      });
    }
  }
  return {
    apiVersion: 'internal.open-cluster-management.io/v1beta1',
    kind: 'ManagedClusterInfo',
    metadata: {
      name: c.name,
      namespace: c.name,
      uid: c.infoUid,
      generation: 1,
      creationTimestamp: c.created,
      labels: {
        cloud: c.cloud.label,
        vendor: vendorLabel(c.product),
        clusterID: c.clusterId,
        name: c.name,
        clusterGroup: c.group,
        ...(c.isHub ? { 'local-cluster': 'true' } : {}),
      },
    },
    spec: {
      masterEndpoint: c.apiUrl,
      loggingCA: caBundle(`${c.name}-logging`),
    },
    status: {
      conditions: [
        cond(
          'HubAcceptedManagedCluster',
          'True',
          'HubClusterAdminAccepted',
          'Accepted by hub cluster admin',
          c.created,
        ),
        cond(
          'ManagedClusterJoined',
          'True',
          'ManagedClusterJoined',
          'Managed cluster joined',
          c.created,
        ),
        availableCondition(available, c.created),
        cond(
          'ManagedClusterInfoSynced',
          available ? 'True' : 'False',
          available
            ? 'ManagedClusterInfoSynced'
            : 'ManagedClusterInfoSyncFailed',
          available
            ? 'Managed cluster info is synced'
            : 'Managed cluster is unavailable',
          c.created,
        ),
      ],
      version: c.release.kubernetes,
      kubeVendor: 'OpenShift',
      cloudVendor: c.cloud.label,
      clusterID: c.clusterId,
      consoleURL: c.consoleUrl,
      distributionInfo: { type: 'OCP', ocp },
      nodeList: nodes,
      loggingPort: { name: 'https', port: 443, protocol: 'TCP' },
    },
  };
}

export function klusterletAddonConfig(c: ClusterModel): KObject {
  const on = { enabled: true };
  return {
    apiVersion: 'agent.open-cluster-management.io/v1',
    kind: 'KlusterletAddonConfig',
    metadata: {
      name: c.name,
      namespace: c.name,
      uid: `${c.uid.slice(0, 24)}${c.clusterId.slice(24)}`,
      generation: 1,
      creationTimestamp: c.created,
    },
    spec: {
      clusterName: c.name,
      clusterNamespace: c.name,
      clusterLabels: { cloud: c.cloud.label, vendor: vendorLabel(c.product) },
      applicationManager: { ...on, proxyPolicy: 'Disabled' },
      policyController: { ...on, proxyPolicy: 'Disabled' },
      searchCollector: { ...on, proxyPolicy: 'Disabled' },
      certPolicyController: { ...on, proxyPolicy: 'Disabled' },
    },
    status: {},
  };
}

export function namespace(
  name: string,
  uid: string,
  created: string,
  labels: Record<string, string> = {},
): KObject {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name,
      uid,
      creationTimestamp: created,
      labels: { 'kubernetes.io/metadata.name': name, ...labels },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

export function makeClusterModel(
  prng: Prng,
  name: string,
  cloud: Cloud,
  region: string,
  release: Release,
  product: string,
  group: string,
  state: ClusterState,
  isHub: boolean,
): ClusterModel {
  return {
    name,
    isHub,
    cloud,
    region,
    release,
    product,
    group,
    state,
    workers: 3 + prng.int(10),
    clusterId: prng.uuid(),
    uid: prng.uuid(),
    infoUid: prng.uuid(),
    created: ts((isHub ? 400 : 30 + prng.int(300)) * DAY + prng.int(DAY)),
    ...clusterUrls(name),
  };
}
