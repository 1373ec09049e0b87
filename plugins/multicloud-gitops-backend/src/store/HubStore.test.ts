import { patternCr } from '../__testUtils__/fleet';
import { HubStore } from './HubStore';
import { ApplicationRecord, ManagedClusterRecord } from './records';

const app = (
  cluster: string,
  name: string,
  extra: Partial<ApplicationRecord> = {},
): ApplicationRecord => ({
  name,
  namespace: 'openshift-gitops',
  hostCluster: cluster,
  sync: 'Synced',
  health: 'Healthy',
  repoURL: 'https://github.com/validatedpatterns/multicloud-gitops',
  path: `charts/all/${name}`,
  targetRevision: 'main',
  labels: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
  ...extra,
});

describe('HubStore Search polls', () => {
  const fleet = () => [app('c1', 'x'), app('c1', 'y'), app('c2', 'x')];

  // A worker with no poll to compare with hands back every item: the whole set.
  const poll = (store: HubStore, records: ApplicationRecord[]) =>
    store.applySearchPoll({
      upserts: records,
      removedKeys: [],
      complete: true,
    });

  it('makes no change for a poll that returns the same set, and keeps the stored records', () => {
    const store = new HubStore('hub');
    expect(poll(store, fleet())).toBe(true);
    const stored = store.searchApps;
    expect(poll(store, fleet().reverse())).toBe(false);
    expect(store.searchApps).toBe(stored);
  });

  it('changes for a changed, added, removed or duplicated application', () => {
    const store = new HubStore('hub');
    poll(store, fleet());
    const [x1, y1, x2] = fleet();

    expect(poll(store, [x1, y1, { ...x2, health: 'Degraded' }])).toBe(true);
    expect(store.searchApps.find(a => a.hostCluster === 'c2')?.health).toBe(
      'Degraded',
    );
    expect(poll(store, [x1, y1, x2])).toBe(true);

    expect(poll(store, [x1, y1, x2, app('c3', 'x')])).toBe(true);
    expect(store.searchApps).toHaveLength(4);
    expect(poll(store, [x1, y1])).toBe(true);
    expect(store.searchApps).toHaveLength(2);
    // Two records under one key and one missing: the count alone would not tell.
    expect(poll(store, [x1, x1])).toBe(true);
  });

  it('reuses the unchanged records of a poll that changes some', () => {
    const store = new HubStore('hub');
    poll(store, fleet());
    const before = store.searchApps.find(a => a.name === 'y');
    const [x1, y1, x2] = fleet();
    poll(store, [x1, y1, { ...x2, sync: 'OutOfSync' }]);
    expect(store.searchApps.find(a => a.name === 'y')).toBe(before);
  });

  it('applies only what changed when the worker compared the poll with the last one', () => {
    const store = new HubStore('hub');
    poll(store, fleet());
    const [x1, , x2] = fleet();
    const stored = store.searchApps;
    // The worker flags items whose raw form changed; a change no view shows is no change.
    expect(
      store.applySearchPoll({
        upserts: [x1],
        removedKeys: [],
        complete: false,
      }),
    ).toBe(false);
    expect(store.searchApps).toBe(stored);
    expect(
      store.applySearchPoll({
        upserts: [{ ...x2, sync: 'OutOfSync' }],
        removedKeys: ['c1/openshift-gitops/y', 'c9/openshift-gitops/gone'],
        complete: false,
      }),
    ).toBe(true);
    expect(
      store.searchApps.map(a => `${a.hostCluster}/${a.name}/${a.sync}`).sort(),
    ).toEqual(['c1/x/Synced', 'c2/x/OutOfSync']);
    // A key already gone is no change.
    expect(
      store.applySearchPoll({
        upserts: [],
        removedKeys: ['c1/openshift-gitops/y'],
        complete: false,
      }),
    ).toBe(false);
  });
});

describe('HubStore Search index', () => {
  it('drops a cluster whose applications all went, and takes it back when they return', () => {
    const store = new HubStore('hub');
    const apps = [app('c1', 'x'), app('c1', 'y'), app('c2', 'x')];
    store.replaceSearchApps(apps);
    expect(
      store.applySearchPoll({
        upserts: [],
        removedKeys: [
          'c1/openshift-gitops/x',
          'c1/openshift-gitops/y',
          'not-a-key',
        ],
        complete: false,
      }),
    ).toBe(true);
    expect(store.searchApps.map(a => a.hostCluster)).toEqual(['c2']);
    expect(store.replaceSearchApps([apps[2], apps[1]])).toBe(true);
    expect(store.searchApps.map(a => `${a.hostCluster}/${a.name}`)).toEqual([
      'c2/x',
      'c1/y',
    ]);
    // A complete poll without a cluster's applications removes them.
    expect(store.replaceSearchApps([apps[1]])).toBe(true);
    expect(store.searchApps).toEqual([apps[1]]);
    store.dispose();
  });
});

describe('HubStore writes', () => {
  const cluster = (
    name: string,
    labels: Record<string, string> = {},
  ): ManagedClusterRecord => ({
    name,
    labels,
    hubAcceptsClient: true,
    clientUrls: [],
    taints: [],
    conditions: [],
    claims: {},
  });

  it('makes a new version for a new or different record, and none for an equal one', () => {
    const store = new HubStore('hub');
    expect(store.upsert('clusters', 'east', cluster('east'))).toBe(true);
    expect(store.version).toBe(1);
    // A relist (or an annotation) sends the same record again: nothing a view shows.
    expect(store.upsert('clusters', 'east', cluster('east'))).toBe(false);
    expect(store.version).toBe(1);
    expect(
      store.upsert('clusters', 'east', cluster('east', { clusterGroup: 'g' })),
    ).toBe(true);
    expect(store.version).toBe(2);
    expect(store.clusters.get('east')?.labels).toEqual({ clusterGroup: 'g' });
    store.dispose();
  });

  it('makes a new version for a removal, and none for removing what is not there', () => {
    const store = new HubStore('hub');
    store.upsert('policies', 'ns/p', {
      name: 'p',
      namespace: 'ns',
      clusters: { east: 'Compliant' },
      disabled: false,
    });
    expect(store.remove('policies', 'ns/p')).toBe(true);
    expect(store.version).toBe(2);
    expect(store.policies.size).toBe(0);
    expect(store.remove('policies', 'ns/p')).toBe(false);
    expect(store.version).toBe(2);
    store.dispose();
  });

  it('replaces a whole kind, with a new version only when its content differs', () => {
    const store = new HubStore('hub');
    const view = store.patterns;
    expect(
      store.replaceAll(
        'patterns',
        new Map([['ns/mcg', patternCr('multicloud-gitops', 'ns')]]),
      ),
    ).toBe(true);
    expect(
      store.replaceAll(
        'patterns',
        new Map([['ns/mcg', patternCr('multicloud-gitops', 'ns')]]),
      ),
    ).toBe(false);
    expect(store.version).toBe(1);
    expect(store.replaceAll('patterns', new Map())).toBe(true);
    expect(store.version).toBe(2);
    // A map handed out before stays current.
    expect(view.size).toBe(0);
    store.dispose();
  });

  it("keeps each Argo CD instance's applications, the first list always a change", () => {
    const store = new HubStore('hub');
    expect(store.replaceArgoApps('gitops', new Map())).toBe(true);
    expect(store.replaceArgoApps('gitops', new Map())).toBe(false);
    const a = app('', 'a', { instance: 'gitops' });
    expect(store.upsertArgoApp('gitops', 'openshift-gitops/a', a)).toBe(true);
    expect(store.upsertArgoApp('gitops', 'openshift-gitops/a', { ...a })).toBe(
      false,
    );
    expect(
      store.upsertArgoApp('gitops', 'openshift-gitops/a', {
        ...a,
        sync: 'OutOfSync',
      }),
    ).toBe(true);
    expect(store.argoApps.get('gitops')?.get('openshift-gitops/a')?.sync).toBe(
      'OutOfSync',
    );
    expect(store.removeArgoApp('gitops', 'openshift-gitops/a')).toBe(true);
    expect(store.removeArgoApp('other', 'openshift-gitops/a')).toBe(false);
    expect(store.version).toBe(4);
    store.dispose();
  });

  it('keeps generic ACM objects without making a new version', () => {
    const store = new HubStore('hub');
    store.keepObject('placements', 'ns/p', { metadata: { name: 'p' } });
    expect(store.objectsOf('placements').get('ns/p')).toEqual({
      metadata: { name: 'p' },
    });
    store.dropObject('placements', 'ns/p');
    expect(store.objectsOf('placements').size).toBe(0);
    expect(store.version).toBe(0);
  });

  it('makes a new version for a Search poll that changes something, and tells listeners once per burst', async () => {
    const store = new HubStore('hub', 5);
    const heard: number[] = [];
    store.onChange(v => heard.push(v));
    store.replaceSearchApps([app('c1', 'x')]);
    store.upsert('clusters', 'c1', cluster('c1'));
    store.upsert('clusters', 'c2', cluster('c2'));
    expect(store.version).toBe(3);
    expect(store.publishedVersion).toBe(0);
    await new Promise(r => setTimeout(r, 30));
    expect(heard).toEqual([3]);
    expect(store.publishedVersion).toBe(3);
    // The same set again is no change: no version, no announcement.
    expect(store.replaceSearchApps([app('c1', 'x')])).toBe(false);
    await new Promise(r => setTimeout(r, 30));
    expect(heard).toEqual([3]);
    store.dispose();
  });
});
