/**
 * Static facts the generated fleet draws from: clouds and regions, OpenShift releases,
 * and the applications the multicloud-gitops pattern deploys (values-hub.yaml and
 * values-group-one.yaml of the upstream pattern).
 */

export interface Cloud {
  /** short name used in cluster names */
  short: string;
  /** `cloud` label value set by the ACM foundation */
  label: string;
  /** platform.open-cluster-management.io claim */
  platform: string;
  regions: string[];
  weight: number;
  /** products other than plain OpenShift seen on this cloud */
  products: [string, number][];
}

export const CLOUDS: Cloud[] = [
  {
    short: 'aws',
    label: 'Amazon',
    platform: 'AWS',
    regions: [
      'us-east-1',
      'us-east-2',
      'us-west-2',
      'eu-west-1',
      'eu-central-1',
      'ap-southeast-2',
    ],
    weight: 40,
    products: [
      ['OpenShift', 80],
      ['ROSA', 20],
    ],
  },
  {
    short: 'azure',
    label: 'Azure',
    platform: 'Azure',
    regions: ['eastus', 'westeurope', 'northeurope', 'japaneast'],
    weight: 25,
    products: [
      ['OpenShift', 75],
      ['ARO', 25],
    ],
  },
  {
    short: 'gcp',
    label: 'Google',
    platform: 'GCP',
    regions: ['us-central1', 'europe-west4', 'asia-east1'],
    weight: 20,
    products: [['OpenShift', 100]],
  },
  {
    short: 'vsphere',
    label: 'VSphere',
    platform: 'VSphere',
    regions: ['dc1', 'dc2'],
    weight: 10,
    products: [['OpenShift', 100]],
  },
  {
    short: 'metal',
    label: 'BareMetal',
    platform: 'BareMetal',
    regions: ['edge', 'lab'],
    weight: 5,
    products: [['OpenShift', 100]],
  },
];

export interface Release {
  version: string;
  kubernetes: string;
  channel: string;
  /** newer z-streams offered as updates */
  updates: string[];
}

export const RELEASES: Release[] = [
  {
    version: '4.14.38',
    kubernetes: 'v1.27.16+03a907c',
    channel: 'stable-4.14',
    updates: ['4.14.40', '4.14.42'],
  },
  {
    version: '4.15.35',
    kubernetes: 'v1.28.14+7ac7f2a',
    channel: 'stable-4.15',
    updates: ['4.15.41'],
  },
  {
    version: '4.16.21',
    kubernetes: 'v1.29.9+5865c5b',
    channel: 'stable-4.16',
    updates: ['4.16.24', '4.16.30'],
  },
  {
    version: '4.17.8',
    kubernetes: 'v1.30.6+a6aad32',
    channel: 'stable-4.17',
    updates: ['4.17.12'],
  },
  {
    version: '4.18.2',
    kubernetes: 'v1.31.6+fa2b4b7',
    channel: 'stable-4.18',
    updates: [],
  },
];

export const RELEASE_WEIGHTS: [number, number][] = [
  [0, 10],
  [1, 15],
  [2, 35],
  [3, 25],
  [4, 15],
];

/** The hub's release (ACM 2.16 hubs run a recent OpenShift). */
export const HUB_RELEASE = RELEASES[3];

export interface AppDef {
  name: string;
  namespace: string;
  project: string;
  chart?: string;
  chartVersion?: string;
  path?: string;
  /** workload kinds the app deploys (for status.resources and the resource tree) */
  workloads: { kind: string; group: string; version: string; name: string }[];
  images?: string[];
}

const deployment = (name: string) => [
  { kind: 'Deployment', group: 'apps', version: 'v1', name },
  { kind: 'Service', group: '', version: 'v1', name },
  { kind: 'ConfigMap', group: '', version: 'v1', name: `${name}-config` },
];

/** The same three apps run on the hub and in every group; only ESO's Argo project differs. */
const externalSecrets = (project: string): AppDef => ({
  name: 'golang-external-secrets',
  namespace: 'golang-external-secrets',
  project,
  chart: 'golang-external-secrets',
  chartVersion: '0.1.*',
  workloads: [
    {
      kind: 'ClusterSecretStore',
      group: 'external-secrets.io',
      version: 'v1',
      name: 'vault-backend',
    },
  ],
});

const exampleApp = (name: string): AppDef => ({
  name,
  namespace: name,
  project: name,
  path: `charts/all/${name}`,
  workloads: deployment(name),
  images: ['ubi9/httpd-24:latest'],
});
const CONFIG_DEMO = exampleApp('config-demo');
const HELLO_WORLD = exampleApp('hello-world');

export const PATTERN_REPO =
  'https://github.com/validatedpatterns/multicloud-gitops';

/** values-hub.yaml: clusterGroup.applications */
export const HUB_APPS: AppDef[] = [
  {
    name: 'acm',
    namespace: 'open-cluster-management',
    project: 'hub',
    chart: 'acm',
    chartVersion: '0.2.*',
    workloads: [
      {
        kind: 'MultiClusterHub',
        group: 'operator.open-cluster-management.io',
        version: 'v1',
        name: 'multiclusterhub',
      },
    ],
  },
  {
    name: 'vault',
    namespace: 'vault',
    project: 'hub',
    chart: 'hashicorp-vault',
    chartVersion: '0.1.*',
    workloads: [
      { kind: 'StatefulSet', group: 'apps', version: 'v1', name: 'vault' },
      { kind: 'Service', group: '', version: 'v1', name: 'vault' },
    ],
    images: ['hashicorp/vault:1.18.1'],
  },
  // the app the team's contract and example catalog name: golang-external-secrets (what the
  // pattern deployed until its values files switched to openshift-external-secrets)
  externalSecrets('hub'),
  CONFIG_DEMO,
  HELLO_WORLD,
];

/** values-group-one.yaml: clusterGroup.applications (used for every managed group) */
export const GROUP_APPS: AppDef[] = [
  externalSecrets('golang-external-secrets'),
  CONFIG_DEMO,
  HELLO_WORLD,
];

/** Extra team apps when --apps-per-cluster asks for more than the pattern deploys. */
const EXTRA_NAMES = [
  'catalog',
  'checkout',
  'payments',
  'inventory',
  'shipping',
  'notifications',
  'orders',
  'billing',
  'recommendations',
  'ledger',
  'auth-gateway',
  'reporting',
  'metrics-exporter',
  'log-forwarder',
  'cache',
  'queue-workers',
  'profile',
  'media',
  'analytics',
  'search-ui',
  'pricing',
  'loyalty',
  'returns',
  'fraud-check',
];

export function extraApp(i: number): AppDef {
  const base = EXTRA_NAMES[i % EXTRA_NAMES.length];
  const name =
    i < EXTRA_NAMES.length
      ? base
      : `${base}-${Math.floor(i / EXTRA_NAMES.length) + 1}`;
  return {
    name,
    namespace: name,
    project: 'default',
    path: `charts/apps/${name}`,
    workloads: deployment(name),
    images: [`apps/${base}:1.${i % 7}.0`],
  };
}

const NUMBER_WORDS = [
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

/** group-one, group-two, ... (the first matches the upstream values-group-one.yaml). */
export function groupName(i: number): string {
  return `group-${NUMBER_WORDS[i] ?? String(i + 1)}`;
}
