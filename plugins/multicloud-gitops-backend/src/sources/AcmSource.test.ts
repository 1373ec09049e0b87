import http from 'node:http';
import { mockServices } from '@backstage/backend-test-utils';
import { ListWatch } from '@kubernetes/client-node';
import { HubStore } from '../store/HubStore';
import { MalformedObjectError } from '../store/records';
import {
  describeKubernetesError,
  hubKubeConfig,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { standIn, StandIn, until } from '../__testUtils__/http';
import { ACM_RESOURCES, AcmSource } from './AcmSource';

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

  it('keeps Pattern CRs, and rejects a Pattern without a name', () => {
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
      [
        'openshift-operators/multicloud-gitops',
        {
          name: 'multicloud-gitops',
          namespace: 'openshift-operators',
          conditions: [],
        },
      ],
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

describe('AcmSource against a hub API', () => {
  // What a hub sends: whole objects, with status and everything a record leaves out.
  const fullCluster = (
    name: string,
    resourceVersion: string,
    group: string,
  ) => ({
    apiVersion: 'cluster.open-cluster-management.io/v1',
    kind: 'ManagedCluster',
    metadata: {
      name,
      resourceVersion,
      labels: { clusterGroup: group, name },
      annotations: { big: 'x'.repeat(1000) },
    },
    spec: {
      hubAcceptsClient: true,
      managedClusterClientConfigs: [
        { url: `https://api.${name}:6443`, caBundle: 'Y2E='.repeat(100) },
      ],
    },
    status: {
      conditions: [
        {
          type: 'ManagedClusterConditionAvailable',
          status: 'True',
          reason: 'ManagedClusterAvailable',
        },
      ],
      capacity: { cpu: '16' },
    },
  });
  const fullInfo = (name: string) => ({
    metadata: { name, namespace: name, resourceVersion: '3' },
    status: {
      consoleURL: `https://console.${name}`,
      nodeList: [
        { name: 'n1', labels: { 'node-role.kubernetes.io/worker': '' } },
      ],
    },
  });

  let api: StandIn;
  let down = false;
  let clusters: unknown[];
  let watches: http.ServerResponse[];
  let source: AcmSource | undefined;
  let informers: ListWatch<any>[];
  beforeEach(async () => {
    watches = [];
    informers = [];
    clusters = [
      fullCluster('east', '4', 'one'),
      fullCluster('west', '4', 'one'),
    ];
    // Every informer the source starts, to look at what it keeps.
    const start = ListWatch.prototype.start;
    jest
      .spyOn(ListWatch.prototype, 'start')
      .mockImplementation(function recorded(this: ListWatch<any>) {
        if (!informers.includes(this)) informers.push(this);
        return start.call(this);
      });
    down = false;
    api = await standIn((req, _body, res) => {
      // A hub that went away: every connection reset.
      if (down) {
        req.socket.destroy();
        return;
      }
      const url = new URL(req.url!, 'http://x');
      const list = (items: unknown[]) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ metadata: { resourceVersion: '5' }, items }));
      };
      if (url.searchParams.get('watch')) {
        res.writeHead(200, { 'content-type': 'application/json' });
        if (url.pathname.endsWith('/managedclusters')) {
          res.write(
            `${JSON.stringify({
              type: 'MODIFIED',
              object: fullCluster('east', '6', 'two'),
            })}\n`,
          );
        }
        watches.push(res);
        return;
      }
      if (url.pathname.endsWith('/managedclusters')) list(clusters);
      else if (url.pathname.endsWith('/managedclusterinfos'))
        list([fullInfo('east')]);
      else {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 404 }));
      }
    });
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    for (const w of watches) w.end();
    await api.close();
    jest.restoreAllMocks();
  });

  /** A source reading the stand-in hub into a new store. */
  function startSource(): HubStore {
    const store = new HubStore('hub', 0);
    source = new AcmSource({
      store,
      kubeConfig: hubKubeConfig({
        name: 'hub',
        api: { url: api.url, token: 'hub-secret', skipTLSVerify: true },
      }),
      logger: mockServices.logger.mock(),
      credential: 'token multicloudGitops.hubs[0].serviceAccountToken',
      url: api.url,
    });
    source.start();
    return store;
  }

  it('keeps records of what it lists and watches, and only names and versions in the informer', async () => {
    const store = startSource();
    await until(
      () =>
        store.source('acm')?.state === 'ok' &&
        store.clusters.get('east')?.labels.clusterGroup === 'two',
    );
    expect(store.clusters.get('west')).toMatchObject({
      name: 'west',
      labels: { clusterGroup: 'one', name: 'west' },
      clientUrls: ['https://api.west:6443'],
      conditions: [
        { type: 'ManagedClusterConditionAvailable', status: 'True' },
      ],
    });
    expect(store.clusterInfos.get('east')?.consoleUrl).toBe(
      'https://console.east',
    );
    // The informer tells versions apart and relists by name: that is all it keeps.
    const kept = informers.flatMap(i => i.list());
    expect(kept.length).toBe(3);
    for (const obj of kept) {
      expect(JSON.parse(JSON.stringify(obj))).toEqual({
        metadata: {
          name: obj.metadata.name,
          ...(obj.metadata.namespace
            ? { namespace: obj.metadata.namespace }
            : {}),
          resourceVersion: obj.metadata.resourceVersion,
        },
      });
    }
    expect(
      kept.find(o => o.metadata.name === 'east' && !o.metadata.namespace)
        ?.metadata.resourceVersion,
    ).toBe('6');

    // A relist (the watch expired) without west: the informer names it from what it kept.
    clusters = [fullCluster('east', '6', 'two')];
    const watch = watches.find(w => w.req.url?.includes('/managedclusters'))!;
    watch.end(
      `${JSON.stringify({
        type: 'ERROR',
        object: { kind: 'Status', code: 410, reason: 'Expired' },
      })}\n`,
    );
    await until(() => !store.clusters.has('west'));
    expect([...store.clusters.keys()]).toEqual(['east']);
  });

  it('says why while the hub API is unreachable, and ok again once it answers', async () => {
    // Waits for real retries (about 1 s, then 2 s), hence the longer test timeout.
    const store = startSource();
    await until(() => store.source('acm')?.state === 'ok');
    down = true;
    for (const w of watches) w.socket?.destroy();
    await until(() => store.source('acm')?.state === 'error', 15000);
    expect(store.source('acm')?.message).toContain('cannot reach the hub API');
    // The informers resume their watches from the last version, without a list: the source
    // must still notice the hub is back.
    down = false;
    await until(() => store.source('acm')?.state === 'ok', 15000);
    expect(store.clusters.get('east')?.labels.clusterGroup).toBe('two');
  }, 20000);
});
