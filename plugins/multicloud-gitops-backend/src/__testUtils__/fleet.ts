/*
 * A small fleet written straight into a hub's store, for tests of what is built on the
 * store (topology, views, routes) without any upstream.
 */
import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { HubStore } from '../store/HubStore';
import {
  ApplicationRecord,
  toArgoApplication,
  toManagedCluster,
  toPattern,
  toSearchApplication,
} from '../store/records';

export const hubSettings = (extra: Partial<HubSettings> = {}): HubSettings => ({
  name: 'hub',
  title: 'Hub',
  api: { url: 'https://api.hub:6443', token: 't' },
  pattern: 'mcg',
  argocd: [],
  ...extra,
});

/** A joined, available ManagedCluster, with its API URL if given. */
export const cluster = (
  name: string,
  labels: Record<string, string>,
  url?: string,
) =>
  toManagedCluster({
    metadata: { name, labels },
    spec: {
      hubAcceptsClient: true,
      managedClusterClientConfigs: url ? [{ url }] : [],
    },
    status: {
      conditions: [
        { type: 'ManagedClusterJoined', status: 'True' },
        { type: 'ManagedClusterConditionAvailable', status: 'True' },
      ],
    },
  });

/** An application as ACM Search reports it. */
export const searchApp = (name: string, on: string, extra: object = {}) =>
  toSearchApplication({
    name,
    cluster: on,
    namespace: 'openshift-gitops',
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    label: 'team=payments; tier="web"',
    ...extra,
  });

/** An application as an Argo CD instance on the hub reports it. */
export const argoApp = (
  name: string,
  instance: string,
  labels: Record<string, string> = {},
) =>
  toArgoApplication(
    {
      metadata: { name, namespace: 'openshift-gitops', labels },
      spec: {
        project: 'default',
        destination: { server: 'https://kubernetes.default.svc' },
      },
      status: { sync: { status: 'Synced' }, health: { status: 'Healthy' } },
    },
    '',
    instance,
  );

/** An Argo CD instance that has answered, with its applications (on the hub). */
export function addArgoInstance(
  store: HubStore,
  instance: string,
  apps: ApplicationRecord[],
) {
  store.registerSource(`argocd/${instance}`, 'argocd');
  store.setSource(`argocd/${instance}`, 'ok');
  store.replaceArgoApps(
    instance,
    new Map(apps.map(a => [`${a.namespace}/${a.name}`, a])),
  );
}

/** Hub `the-hub` (group hub) and spokes `east` (group-one) and `west` (group-two). */
export function storeWithClusters(debounceMs = 0): HubStore {
  const store = new HubStore('hub', debounceMs);
  for (const c of [
    cluster('the-hub', { 'local-cluster': 'true', clusterGroup: 'hub' }),
    cluster('east', { clusterGroup: 'group-one' }),
    cluster('west', { clusterGroup: 'group-two' }),
  ])
    store.upsert('clusters', c.name, c);
  return store;
}

/** Waits until the store has announced its writes (its debounce is 0 in these tests). */
export const published = () => new Promise(r => setTimeout(r, 10));

/** A Pattern CR as the patterns operator leaves it. */
export const patternCr = (
  name: string,
  namespace = 'openshift-operators',
  extra: { spec?: object; status?: object } = {},
) =>
  toPattern({
    metadata: { name, namespace },
    spec: {
      clusterGroupName: 'hub',
      gitSpec: { targetRepo: `https://git.example.com/${name}.git` },
      ...extra.spec,
    },
    status: extra.status ?? {},
  });
