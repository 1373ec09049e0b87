import {
  rollupApplications,
  rollupClusters,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { cluster, hubSettings, searchApp } from '../__testUtils__/fleet';
import { HubStore } from '../store/HubStore';
import { toManagedCluster } from '../store/records';
import { FleetFilter, FleetPage, FleetQuery, NO_FILTER } from './fleetQuery';
import { TopologyService } from './TopologyService';

const unavailable = (name: string, group: string) =>
  toManagedCluster({
    metadata: { name, labels: { clusterGroup: group } },
    spec: { hubAcceptsClient: true },
    status: {
      conditions: [
        { type: 'ManagedClusterJoined', status: 'True' },
        { type: 'ManagedClusterConditionAvailable', status: 'False' },
      ],
    },
  });

/**
 * A hub with its own cluster and `spokes` spokes, alternately in group-one and group-two,
 * each running `app-0` .. `app-2`; the spokes named in `broken` run app-1 OutOfSync and
 * Degraded, the ones in `down` are unavailable.
 */
function hubStore(
  id: string,
  spokes: number,
  opts: { broken?: string[]; down?: string[]; cloud?: string } = {},
) {
  const store = new HubStore(id, 0);
  store.upsert(
    'clusters',
    `${id}-local`,
    cluster(`${id}-local`, { 'local-cluster': 'true', clusterGroup: 'hub' }),
  );
  const apps = [];
  for (let i = 0; i < spokes; i++) {
    const name = `${id}-spoke-${String(i).padStart(2, '0')}`;
    const group = i % 2 ? 'group-two' : 'group-one';
    store.upsert(
      'clusters',
      name,
      opts.down?.includes(name)
        ? unavailable(name, group)
        : cluster(name, {
            clusterGroup: group,
            cloud: opts.cloud ?? 'Amazon',
          }),
    );
    for (const app of ['app-0', 'app-1', 'app-2']) {
      const bad = app === 'app-1' && opts.broken?.includes(name);
      apps.push(
        searchApp(
          app,
          name,
          bad ? { syncStatus: 'OutOfSync', healthStatus: 'Degraded' } : {},
        ),
      );
    }
  }
  store.replaceSearchApps(apps);
  return store;
}

function fleet() {
  const a = hubStore('a', 12, {
    broken: ['a-spoke-03', 'a-spoke-07'],
    down: ['a-spoke-05'],
  });
  const b = hubStore('b', 5, { broken: ['b-spoke-02'], cloud: 'Azure' });
  const service = new TopologyService([
    { settings: hubSettings({ name: 'a', title: 'A' }), store: a },
    { settings: hubSettings({ name: 'b', title: 'B' }), store: b },
  ]);
  return { a, b, service, query: new FleetQuery(service) };
}

const ALL = { hubs: ['a', 'b'], scope: {} };
const page = (p: Partial<FleetPage> = {}): FleetPage => ({
  sort: 'topology',
  offset: 0,
  limit: 50,
  appOffset: 0,
  appLimit: 0,
  ...p,
});
const filter = (f: Partial<FleetFilter>): FleetFilter => ({
  ...NO_FILTER,
  ...f,
});
const names = (r: { clusters: { items: { name: string }[] } }) =>
  r.clusters.items.map(c => c.name);

describe('FleetQuery', () => {
  it('lists every hub, in configuration order and topology order, one page at a time', () => {
    const { query } = fleet();
    const first = query.answer(ALL, NO_FILTER, page({ limit: 5 }));
    expect(first.hubs.map(h => [h.hub.id, h.clusterRollup.total])).toEqual([
      ['a', 13],
      ['b', 6],
    ]);
    expect(first.hubs[0].groups.map(g => g.name)).toEqual([
      'hub',
      'group-one',
      'group-two',
    ]);
    // Group summaries are counts: no cluster lists travel with them.
    expect(first.hubs[0].groups[1]).not.toHaveProperty('clusters');
    expect(first.clusters.total).toBe(19);
    expect(names(first)).toEqual([
      'a-local',
      'a-spoke-00',
      'a-spoke-02',
      'a-spoke-04',
      'a-spoke-06',
    ]);
    expect(first.clusters.items[0]).toMatchObject({
      hub: 'a',
      isHub: true,
      applicationRollup: { total: 0 },
    });
    expect(first.clusters.items[1].applicationRollup).toMatchObject({
      total: 3,
      problems: 0,
    });
    expect(first.clusters.items[0]).not.toHaveProperty('labels');
    expect(first.matched.applicationRollup.total).toBe(51);
    expect(first.applications).toEqual([]);

    const last = query.answer(ALL, NO_FILTER, page({ offset: 15, limit: 5 }));
    expect(names(last)).toEqual([
      'b-spoke-02',
      'b-spoke-04',
      'b-spoke-01',
      'b-spoke-03',
    ]);
    expect(last.clusters).toMatchObject({ offset: 15, total: 19 });
  });

  it('answers a page past the end with no rows and the real total', () => {
    const { query } = fleet();
    const r = query.answer(ALL, NO_FILTER, page({ offset: 19, limit: 10 }));
    expect(r.clusters).toEqual({ offset: 19, total: 19, items: [] });
    expect(
      query.answer(ALL, NO_FILTER, page({ offset: 500 })).clusters.items,
    ).toEqual([]);
  });

  it('filters by group across hubs, by hub, and by cluster status', () => {
    const { query } = fleet();
    const two = query.answer(ALL, filter({ groups: ['group-two'] }), page());
    expect(two.clusters.total).toBe(8);
    expect(new Set(two.clusters.items.map(c => c.hub))).toEqual(
      new Set(['a', 'b']),
    );
    expect(
      query.answer(ALL, filter({ hubs: ['b'] }), page()).clusters.total,
    ).toBe(6);
    const down = query.answer(
      ALL,
      filter({ statuses: ['unavailable'] }),
      page(),
    );
    expect(names(down)).toEqual(['a-spoke-05']);
    expect(down.matched.clusterRollup.status.unavailable).toBe(1);
    // The hubs' summaries stay whole under a filter: they are the map of the fleet.
    expect(down.hubs[0].clusterRollup.total).toBe(13);
  });

  it('lists the clusters of several groups in the order of the whole fleet, each with the roll-up of its applications', () => {
    const { query } = fleet();
    const whole = query.answer(ALL, NO_FILTER, page({ limit: 100 }));
    const wanted = ['hub', 'group-two'];
    const some = query.answer(
      ALL,
      filter({ groups: ['group-two', 'hub'] }),
      page({ limit: 100 }),
    );
    expect(some.clusters.items).toEqual(
      whole.clusters.items.filter(c => wanted.includes(c.group)),
    );
    // A cluster whose applications are all kept has the same roll-up under any such filter.
    const broken = query.answer(
      ALL,
      filter({ statuses: ['available'], groups: ['group-two'] }),
      page({ limit: 100 }),
    );
    const spoke = broken.clusters.items.find(c => c.name === 'a-spoke-07');
    expect(spoke?.applicationRollup).toEqual(
      whole.clusters.items.find(c => c.name === 'a-spoke-07')
        ?.applicationRollup,
    );
    expect(spoke?.applicationRollup).toMatchObject({ total: 3, problems: 1 });
    expect(
      query.answer(ALL, filter({ groups: ['no-such-group'] }), page()).clusters,
    ).toEqual({ offset: 0, total: 0, items: [] });
  });

  it('keeps only matching applications, and the clusters that run one, for sync and health', () => {
    const { query } = fleet();
    const r = query.answer(
      ALL,
      filter({ syncs: ['OutOfSync'] }),
      page({ appLimit: 10 }),
    );
    expect(names(r)).toEqual(['a-spoke-03', 'a-spoke-07', 'b-spoke-02']);
    expect(r.applicationNames).toEqual({
      offset: 0,
      total: 1,
      items: ['app-1'],
    });
    expect(r.applications.map(a => `${a.hub}/${a.cluster}/${a.name}`)).toEqual([
      'a/a-spoke-03/app-1',
      'a/a-spoke-07/app-1',
      'b/b-spoke-02/app-1',
    ]);
    expect(r.matched.applicationRollup).toMatchObject({
      total: 3,
      problems: 3,
    });
    expect(
      query.answer(ALL, filter({ healths: ['Degraded'], hubs: ['b'] }), page())
        .clusters.total,
    ).toBe(1);
  });

  it('matches text against a cluster (all its applications) or an application name', () => {
    const { query } = fleet();
    const byCluster = query.answer(
      ALL,
      filter({ text: 'SPOKE-1' }),
      page({ appLimit: 10 }),
    );
    expect(names(byCluster)).toEqual(['a-spoke-10', 'a-spoke-11']);
    expect(byCluster.applications).toHaveLength(6);
    const byCloud = query.answer(ALL, filter({ text: 'azure' }), page());
    expect(byCloud.clusters.total).toBe(5);
    const byApp = query.answer(
      ALL,
      filter({ text: 'app-2' }),
      page({ appLimit: 10 }),
    );
    expect(byApp.clusters.total).toBe(17);
    expect(byApp.applicationNames.items).toEqual(['app-2']);
    expect(
      query.answer(ALL, filter({ text: 'nothing-like-it' }), page()).clusters,
    ).toEqual({ offset: 0, total: 0, items: [] });
  });

  it('gives a matrix window: names from appOffset, applications of the page only', () => {
    const { query } = fleet();
    const r = query.answer(
      ALL,
      NO_FILTER,
      page({ offset: 1, limit: 2, appOffset: 1, appLimit: 1 }),
    );
    expect(r.applicationNames).toEqual({
      offset: 1,
      total: 3,
      items: ['app-1'],
    });
    expect(r.applications.map(a => `${a.cluster}/${a.name}`)).toEqual([
      'a-spoke-00/app-1',
      'a-spoke-02/app-1',
    ]);
    expect(r.applications[0]).toMatchObject({
      hub: 'a',
      sync: 'Synced',
      health: 'Healthy',
      namespace: 'openshift-gitops',
    });
    const beyond = query.answer(
      ALL,
      NO_FILTER,
      page({ appOffset: 3, appLimit: 5 }),
    );
    expect(beyond.applicationNames.items).toEqual([]);
    expect(beyond.applications).toEqual([]);
  });

  it("sums each hub's part into the totals exactly as rolling up every match would", () => {
    const { query, service } = fleet();
    for (const f of [
      NO_FILTER,
      filter({ groups: ['group-one'] }),
      filter({ healths: ['Degraded', 'Healthy'] }),
      filter({ text: 'app-1' }),
    ]) {
      const r = query.answer(ALL, f, page({ limit: 200, appLimit: 100 }));
      const apps = r.applications;
      expect(r.matched.applicationRollup).toEqual(rollupApplications(apps));
      const clusters = ['a', 'b'].flatMap(h =>
        service
          .full(h)
          .clusters.filter(c =>
            r.clusters.items.some(x => x.hub === h && x.name === c.name),
          ),
      );
      expect(r.matched.clusterRollup).toEqual(rollupClusters(clusters));
    }
  });

  it('sorts by problems, by status and by name', () => {
    const { query } = fleet();
    expect(
      names(query.answer(ALL, NO_FILTER, page({ sort: 'problems', limit: 3 }))),
    ).toEqual(['a-spoke-03', 'a-spoke-07', 'b-spoke-02']);
    expect(
      names(query.answer(ALL, NO_FILTER, page({ sort: 'status', limit: 2 }))),
    ).toEqual(['a-spoke-05', 'a-spoke-03']);
    const byName = names(query.answer(ALL, NO_FILTER, page({ sort: 'name' })));
    expect(byName).toEqual([...byName].sort());
  });

  it('follows store changes: a new version gives new answers and keys', async () => {
    const { query, b } = fleet();
    const before = query.key(ALL, NO_FILTER, page());
    expect(query.answer(ALL, NO_FILTER, page()).clusters.total).toBe(19);
    b.upsert(
      'clusters',
      'b-new',
      cluster('b-new', { clusterGroup: 'group-three' }),
    );
    await new Promise(r => setTimeout(r, 10));
    expect(query.key(ALL, NO_FILTER, page())).not.toBe(before);
    const after = query.answer(ALL, NO_FILTER, page());
    expect(after.clusters.total).toBe(20);
    expect(after.hubs[1].groups.map(g => g.name)).toContain('group-three');
  });

  it('narrows to an entity scope: its group only, in summaries and rows', () => {
    const { query } = fleet();
    const r = query.answer(
      {
        hubs: ['a'],
        scope: { group: 'group-one', entityRef: 'system:default/x' },
      },
      NO_FILTER,
      page(),
    );
    expect(r.hubs.map(h => h.hub.id)).toEqual(['a']);
    expect(r.hubs[0].groups.map(g => g.name)).toEqual(['group-one']);
    expect(r.clusters.total).toBe(6);
    expect(r.scope).toMatchObject({
      group: 'group-one',
      entityRef: 'system:default/x',
    });
  });
});
