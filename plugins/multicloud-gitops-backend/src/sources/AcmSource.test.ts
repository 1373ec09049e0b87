import { HubStore } from '../store/HubStore';
import { MalformedObjectError } from '../store/records';
import { describeKubernetesError } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { ACM_RESOURCES } from './AcmSource';

const resource = (plural: string) =>
  ACM_RESOURCES.find(r => r.plural === plural)!;

const managedCluster = (name: string, labels: Record<string, string> = {}) => ({
  metadata: { name, labels },
  spec: { hubAcceptsClient: true },
});

describe('ACM resources into the store', () => {
  it('keeps ManagedClusters by name, with a new version only for what a view shows', () => {
    const store = new HubStore('hub');
    const apply = resource('managedclusters').apply;
    apply(store, managedCluster('east', { clusterGroup: 'one' }), false);
    expect(store.clusters.get('east')?.labels).toEqual({ clusterGroup: 'one' });
    const version = store.version;
    // A watch event for an annotation: the record is the same.
    apply(
      store,
      {
        ...managedCluster('east', { clusterGroup: 'one' }),
        metadata: {
          name: 'east',
          labels: { clusterGroup: 'one' },
          annotations: { touched: 'yes' },
        },
      },
      false,
    );
    expect(store.version).toBe(version);
    apply(store, managedCluster('east'), true);
    expect(store.clusters.size).toBe(0);
    expect(store.version).toBe(version + 1);
  });

  it('keeps root policies by namespace/name and ignores their copies in cluster namespaces', () => {
    const store = new HubStore('hub');
    const apply = resource('policies').apply;
    const policy = (
      namespace: string,
      labels: Record<string, string> = {},
    ) => ({
      metadata: { name: 'p', namespace, labels },
      spec: { remediationAction: 'Inform' },
      status: { status: [{ clustername: 'east', compliant: 'Compliant' }] },
    });
    apply(store, policy('policies'), false);
    apply(
      store,
      policy('east', {
        'policy.open-cluster-management.io/root-policy': 'policies.p',
      }),
      false,
    );
    expect([...store.policies.keys()]).toEqual(['policies/p']);
    expect(store.policies.get('policies/p')).toMatchObject({
      remediationAction: 'inform',
      clusters: { east: 'Compliant' },
    });
    apply(store, policy('policies'), true);
    expect(store.policies.size).toBe(0);
  });

  it('keeps Pattern CR names, and rejects a Pattern without a name', () => {
    const store = new HubStore('hub');
    const apply = resource('patterns').apply;
    apply(
      store,
      {
        metadata: {
          name: 'multicloud-gitops',
          namespace: 'openshift-operators',
        },
      },
      false,
    );
    expect([...store.patterns]).toEqual([
      ['openshift-operators/multicloud-gitops', 'multicloud-gitops'],
    ]);
    expect(() => apply(store, { metadata: {} }, false)).toThrow(
      MalformedObjectError,
    );
  });

  it('keeps cluster sets and placements for details without a new version', () => {
    const store = new HubStore('hub');
    const placement = { metadata: { name: 'p', namespace: 'ns' } };
    resource('placements').apply(store, placement, false);
    expect(store.objectsOf('placements').get('ns/p')).toBe(placement);
    resource('placements').apply(store, placement, true);
    expect(store.objectsOf('placements').size).toBe(0);
    expect(store.version).toBe(0);
  });
});

describe('describeKubernetesError', () => {
  const credential = 'token multicloudGitops.hubs[0].serviceAccountToken';
  const url = 'https://api.hub:6443';
  const say = (err: unknown) =>
    describeKubernetesError(err, {
      url,
      resource: 'managedclusters',
      credential,
    });

  it('names the credential and what to do about a 401 or 403', () => {
    expect(say({ code: 401 })).toBe(
      `hub API at ${url} rejected the ${credential} (401 Unauthorized) while listing managedclusters: renew or replace that token`,
    );
    expect(
      say({
        code: 403,
        body: JSON.stringify({ message: 'managedclusters is forbidden' }),
      }),
    ).toBe(
      `the ${credential} may not list managedclusters on ${url} (403 Forbidden): managedclusters is forbidden: grant list/watch on it to that service account`,
    );
  });

  it('says a missing resource may mean ACM is not installed, and an unreachable hub once for all resources', () => {
    expect(say({ statusCode: 404 })).toBe(
      `managedclusters is not served by ${url} (404): is ACM installed on this hub?`,
    );
    expect(say({ code: 500, body: { message: 'etcd timeout' } })).toBe(
      `hub API at ${url} answered 500 while listing managedclusters: etcd timeout`,
    );
    expect(say({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' })).toBe(
      `cannot reach the hub API at ${url} (ECONNREFUSED)`,
    );
    expect(say(new Error('socket hang up\nat ...'))).toBe(
      `cannot reach the hub API at ${url} (socket hang up)`,
    );
  });
});
