import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { addArgoInstance, cluster, patternCr } from '../__testUtils__/fleet';
import { HubStore } from '../store/HubStore';
import {
  MalformedObjectError,
  toArgoApplication,
  toManagedCluster,
  toSearchApplication,
} from '../store/records';
import { buildTopology, createSummaryCache } from './buildTopology';
import { groupSummaries } from './summaries';

const settings: HubSettings = {
  name: 'hub',
  title: 'Hub',
  api: { url: 'https://api.hub:6443', token: 't' },
  pattern: 'from-config',
  argocd: [{ name: 'gitops', url: 'https://argo', uiUrl: 'https://argo' }],
};

function storeWithFleet() {
  const store = new HubStore('hub');
  // The hub is found by its label, whatever its name.
  for (const c of [
    cluster('the-hub', { 'local-cluster': 'true', clusterGroup: 'hub' }),
    cluster('east', { clusterGroup: 'group-one' }, 'https://api.east:6443'),
    cluster('west', { clusterGroup: 'group-one' }, 'https://api.west:6443/'),
    cluster('lost', {}),
  ])
    store.upsert('clusters', c.name, c);
  store.registerSource('argocd/gitops', 'argocd');
  store.setSource('argocd/gitops', 'ok');
  return store;
}

const argoApp = (
  name: string,
  labels: Record<string, string>,
  destination: object,
  sync = 'Synced',
  health = 'Healthy',
) =>
  toArgoApplication(
    {
      metadata: { name, namespace: 'openshift-gitops', labels },
      spec: { project: 'default', destination },
      status: { sync: { status: sync }, health: { status: health } },
    },
    '',
    'gitops',
  );

describe('buildTopology', () => {
  it('lists applications by cluster, then name, in the order localeCompare gives DNS names', () => {
    const store = storeWithFleet();
    const names = ['ab', 'a-b', 'a.b', 'a0', 'a9b', 'b', 'a--b', 'a-0'];
    const hosts = ['east', 'west', 'lost'];
    store.replaceSearchApps(
      hosts.flatMap(host =>
        names.map(name =>
          toSearchApplication({
            name,
            cluster: host,
            namespace: 'openshift-gitops',
            syncStatus: 'Synced',
            healthStatus: 'Healthy',
          }),
        ),
      ),
    );
    const order = buildTopology(store, settings).applications.map(
      a => `${a.cluster}/${a.name}`,
    );
    const expected = hosts
      .flatMap(host => names.map(name => ({ host, name })))
      .sort(
        (a, b) => a.host.localeCompare(b.host) || a.name.localeCompare(b.name),
      )
      .map(a => `${a.host}/${a.name}`);
    expect(order).toEqual(expected);

    // Rebuilds that reuse the last order, or cannot (an application added), sort the same.
    const cache = createSummaryCache();
    const orderOf = (t: ReturnType<typeof buildTopology>) =>
      t.applications.map(a => `${a.cluster}/${a.name}/${a.health}`);
    buildTopology(store, settings, cache);
    store.replaceSearchApps(
      store.searchApps.map((r, i) =>
        i % 3
          ? r
          : toSearchApplication({
              name: r.name,
              cluster: r.hostCluster,
              namespace: 'openshift-gitops',
              syncStatus: 'Synced',
              healthStatus: 'Degraded',
            }),
      ),
    );
    expect(orderOf(buildTopology(store, settings, cache))).toEqual(
      orderOf(buildTopology(store, settings)),
    );
    store.replaceSearchApps([
      toSearchApplication({
        name: 'a-a',
        cluster: 'west',
        namespace: 'openshift-gitops',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      }),
      ...store.searchApps,
    ]);
    expect(orderOf(buildTopology(store, settings, cache))).toEqual(
      orderOf(buildTopology(store, settings)),
    );
  });

  it('keeps the summaries of unchanged applications across rebuilds, and derives changed ones again', () => {
    const store = storeWithFleet();
    const spoke = (name: string, on: string, health = 'Healthy') =>
      toSearchApplication({
        name,
        cluster: on,
        namespace: 'openshift-gitops',
        syncStatus: 'Synced',
        healthStatus: health,
      });
    store.replaceSearchApps([
      spoke('a', 'east'),
      spoke('b', 'east'),
      spoke('mcg-group', 'west'),
    ]);
    const cache = createSummaryCache();
    const first = buildTopology(store, { ...settings, pattern: 'mcg' }, cache);
    const byName = (t: typeof first) =>
      Object.fromEntries(t.applications.map(a => [a.name, a]));

    // One record replaced (as the store does on a change): only its summary is new.
    store.replaceSearchApps([
      store.searchApps[0],
      spoke('b', 'east', 'Degraded'),
      store.searchApps[2],
    ]);
    const second = buildTopology(store, { ...settings, pattern: 'mcg' }, cache);
    expect(byName(second).a).toBe(byName(first).a);
    expect(byName(second)['mcg-group']).toBe(byName(first)['mcg-group']);
    expect(byName(second).b).not.toBe(byName(first).b);
    expect(byName(second).b.health).toBe('Degraded');

    // What a summary depends on beyond its record changes: the cluster's group (here the
    // app-of-apps of the new group), or the cluster a destination URL belongs to.
    store.upsert(
      'clusters',
      'west',
      cluster('west', { clusterGroup: 'group' }, 'https://api.west:6443/'),
    );
    const third = buildTopology(store, { ...settings, pattern: 'mcg' }, cache);
    expect(byName(third)['mcg-group']).not.toBe(byName(second)['mcg-group']);
    expect(byName(third)['mcg-group'].appOfApps).toBe(true);
    expect(byName(third).a).toBe(byName(second).a);
    expect(third.applications).toEqual(
      buildTopology(store, { ...settings, pattern: 'mcg' }).applications,
    );
  });

  it("keeps untouched summaries through a fleet-sized change, sharing their records' label maps", () => {
    const store = storeWithFleet();
    const fleet = (health: (i: number) => string) =>
      Array.from({ length: 600 }, (_, i) =>
        toSearchApplication({
          name: `app-${i % 20}`,
          cluster: ['east', 'west', 'lost'][Math.floor(i / 20) % 3],
          namespace: `ns-${Math.floor(i / 60)}`,
          syncStatus: 'Synced',
          healthStatus: health(i),
          label: 'validatedpatterns.io/pattern=mcg',
        }),
      );
    store.replaceSearchApps(fleet(() => 'Healthy'));
    const cache = createSummaryCache();
    const first = buildTopology(store, settings, cache);
    expect(first.applications).toHaveLength(600);
    // One map for every application with the same labels, the record's own.
    expect(new Set(first.applications.map(a => a.labels)).size).toBe(1);
    expect(first.applications[0].labels).toBe(store.searchApps[0].labels);

    // Every tenth application changes: the store replaces those records only.
    const next = fleet(i => (i % 10 ? 'Healthy' : 'Degraded'));
    store.replaceSearchApps(
      store.searchApps.map((r, i) => (i % 10 ? r : next[i])),
    );
    const second = buildTopology(store, settings, cache);
    const before = new Set(first.applications);
    const kept = second.applications.filter(a => before.has(a));
    expect(kept).toHaveLength(540);
    expect(kept.every(a => a.health === 'Healthy')).toBe(true);
    expect(
      second.applications.filter(a => a.health === 'Degraded'),
    ).toHaveLength(60);
    // The same answer as a build from scratch, in the same order.
    expect(second.applications).toEqual(
      buildTopology(store, settings).applications,
    );
  });

  it('derives summaries again when the Argo CD UI they link to changes', () => {
    const store = storeWithFleet();
    store.replaceArgoApps(
      'gitops',
      new Map([['a', argoApp('hub-app', {}, { name: 'in-cluster' })]]),
    );
    const cache = createSummaryCache();
    const first = buildTopology(store, settings, cache);
    expect(first.applications[0].argocdUrl).toBe(
      'https://argo/applications/openshift-gitops/hub-app',
    );
    expect(buildTopology(store, settings, cache).applications[0]).toBe(
      first.applications[0],
    );
    const moved = buildTopology(
      store,
      {
        ...settings,
        argocd: [{ ...settings.argocd[0], uiUrl: 'https://argo-ui' }],
      },
      cache,
    );
    expect(moved.applications[0].argocdUrl).toBe(
      'https://argo-ui/applications/openshift-gitops/hub-app',
    );
  });

  it('joins applications to the cluster they run on, by destination URL, name or host', () => {
    const store = storeWithFleet();
    store.replaceArgoApps(
      'gitops',
      new Map([
        [
          'a',
          argoApp(
            'hub-app',
            { 'validatedpatterns.io/pattern': 'mcg' },
            { server: 'https://kubernetes.default.svc' },
          ),
        ],
        [
          'b',
          argoApp(
            'to-west',
            {},
            { server: 'https://API.west:6443' },
            'OutOfSync',
          ),
        ],
        ['c', argoApp('to-east', {}, { name: 'east' })],
      ]),
    );
    store.replaceSearchApps([
      toSearchApplication({
        name: 'spoke-app',
        cluster: 'east',
        namespace: 'openshift-gitops',
        syncStatus: 'Synced',
        healthStatus: 'Degraded',
        label: 'app=x; team=y',
      }),
      // The hub is served by our Argo CD instance, so Search's copy of its apps is not used.
      toSearchApplication({
        name: 'hub-app',
        cluster: 'the-hub',
        namespace: 'openshift-gitops',
        syncStatus: 'Unknown',
        healthStatus: 'Unknown',
      }),
    ]);
    const t = buildTopology(store, settings);
    const where = Object.fromEntries(
      t.applications.map(a => [`${a.name}`, a.cluster]),
    );
    expect(where).toEqual({
      'hub-app': 'the-hub',
      'to-west': 'west',
      'to-east': 'east',
      'spoke-app': 'east',
    });
    expect(t.applications.find(a => a.name === 'hub-app')?.sync).toBe('Synced');
    expect(t.applications.find(a => a.name === 'spoke-app')?.labels).toEqual({
      app: 'x',
      team: 'y',
    });
    expect(t.hub.clusterName).toBe('the-hub');
    expect(t.hub.pattern).toBe('mcg');
    expect(t.hub.patternSource).toBe('argocd-label');
    expect(t.clusters.find(c => c.name === 'lost')?.group).toBe('(ungrouped)');
    expect(t.applications.find(a => a.name === 'hub-app')?.argocdUrl).toBe(
      'https://argo/applications/openshift-gitops/hub-app',
    );
  });

  it('prefers the Pattern CR, then the app label, then config for the pattern name', () => {
    const store = storeWithFleet();
    expect(buildTopology(store, settings).hub).toMatchObject({
      pattern: 'from-config',
      patternSource: 'config',
    });
    store.upsert(
      'patterns',
      'openshift-operators/multicloud-gitops',
      patternCr('multicloud-gitops'),
    );
    expect(buildTopology(store, settings).hub).toMatchObject({
      pattern: 'multicloud-gitops',
      patternSource: 'pattern-cr',
    });
  });

  it("reports the Pattern CR's conditions and what its app of apps last deployed", () => {
    const store = storeWithFleet();
    store.upsert(
      'patterns',
      'openshift-operators/multicloud-gitops',
      patternCr('multicloud-gitops', 'openshift-operators', {
        spec: {
          gitSpec: {
            targetRepo: 'https://git/mcg.git',
            targetRevision: 'main',
          },
        },
        status: {
          lastStep: 'update status',
          lastError: 'values-hub.yaml: clusterGroup.applications.x: bad',
          conditions: [
            {
              type: 'Degraded',
              status: 'True',
              reason: 'Degraded',
              message: 'not all applications are healthy',
              lastUpdateTime: '2026-12-05T00:00:00Z',
            },
            { type: 'no-status' },
          ],
        },
      }),
    );
    addArgoInstance(store, 'hub-gitops', [
      toArgoApplication(
        {
          metadata: {
            name: 'multicloud-gitops-hub',
            namespace: 'openshift-gitops',
          },
          spec: { destination: { server: 'https://kubernetes.default.svc' } },
          status: {
            sync: { status: 'OutOfSync', revision: 'abc123' },
            health: { status: 'Degraded' },
          },
        },
        '',
        'hub-gitops',
      ),
    ]);
    expect(buildTopology(store, settings).hub.patternStatus).toEqual({
      name: 'multicloud-gitops',
      namespace: 'openshift-operators',
      clusterGroupName: 'hub',
      targetRepo: 'https://git/mcg.git',
      targetRevision: 'main',
      lastStep: 'update status',
      lastError: 'values-hub.yaml: clusterGroup.applications.x: bad',
      // A condition without a status is not one the operator writes: left out.
      conditions: [
        {
          type: 'Degraded',
          status: 'True',
          reason: 'Degraded',
          message: 'not all applications are healthy',
        },
      ],
      appOfApps: {
        name: 'multicloud-gitops-hub',
        sync: 'OutOfSync',
        health: 'Degraded',
        revision: 'abc123',
      },
    });
  });

  it('falls back to Search for the hub when our Argo CD instance has never answered', () => {
    const fresh = new HubStore('hub');
    for (const [k, v] of storeWithFleet().clusters)
      fresh.upsert('clusters', k, v);
    fresh.registerSource('argocd/gitops', 'argocd');
    fresh.setSource('argocd/gitops', 'error', 'down');
    fresh.replaceSearchApps([
      toSearchApplication({
        name: 'hub-app',
        cluster: 'the-hub',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      }),
    ]);
    const t = buildTopology(fresh, settings);
    expect(t.applications.map(a => a.name)).toEqual(['hub-app']);
    expect(t.sources.find(s => s.name === 'argocd/gitops')?.state).toBe(
      'error',
    );
  });

  it('rolls groups up with the hub first and the ungrouped bucket last', () => {
    const store = storeWithFleet();
    store.replaceSearchApps([
      toSearchApplication({
        name: 'a',
        cluster: 'east',
        syncStatus: 'OutOfSync',
        healthStatus: 'Healthy',
      }),
      toSearchApplication({
        name: 'a',
        cluster: 'west',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      }),
    ]);
    const t = buildTopology(store, { ...settings, argocd: [] });
    const groups = groupSummaries(t.clusters, t.applications);
    expect(
      groups.map(g => [
        g.name,
        g.clusters.length,
        g.applicationRollup.total,
        g.applicationRollup.problems,
      ]),
    ).toEqual([
      ['hub', 1, 0, 0],
      ['group-one', 2, 2, 1],
      ['(ungrouped)', 1, 0, 0],
    ]);
  });
});

describe('malformed upstream objects', () => {
  it.each([
    [{}, /without metadata.name/],
    [
      { metadata: { name: 'x', labels: { a: 1 } } },
      /labels is not a map of strings/,
    ],
    [
      { metadata: { name: 'x' }, status: 'broken' },
      /spec or status is not an object/,
    ],
    [
      { metadata: { name: 'x' }, status: { conditions: 'nope' } },
      /conditions is not a list/,
    ],
  ])('rejects ManagedCluster %j with a reason', (obj, reason) => {
    expect(() => toManagedCluster(obj)).toThrow(MalformedObjectError);
    expect(() => toManagedCluster(obj)).toThrow(reason);
  });

  it('tolerates a ManagedCluster without status (not yet joined)', () => {
    expect(
      toManagedCluster({
        metadata: { name: 'new' },
        spec: { hubAcceptsClient: false },
      }).conditions,
    ).toEqual([]);
  });

  it('maps unknown Argo CD codes to Unknown instead of failing', () => {
    const r = toArgoApplication(
      {
        metadata: { name: 'a' },
        status: { sync: { status: 42 }, health: { status: 'Weird' } },
      },
      '',
      'i',
    );
    expect([r.sync, r.health]).toEqual(['Unknown', 'Unknown']);
  });
});
