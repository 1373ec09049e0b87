import { mockServices } from '@backstage/backend-test-utils';
import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { toManagedCluster, toSearchApplication } from '../store/records';
import { Scope, TopologyService } from './TopologyService';

const settings: HubSettings = {
  name: 'hub',
  title: 'Hub',
  api: { url: 'https://api.hub:6443', token: 't' },
  pattern: 'mcg',
  argocd: [],
};

const cluster = (name: string, labels: Record<string, string>) =>
  toManagedCluster({
    metadata: { name, labels },
    spec: { hubAcceptsClient: true },
    status: {
      conditions: [
        { type: 'ManagedClusterJoined', status: 'True' },
        { type: 'ManagedClusterConditionAvailable', status: 'True' },
      ],
    },
  });

const app = (name: string, on: string, extra: object = {}) =>
  toSearchApplication({
    name,
    cluster: on,
    namespace: 'openshift-gitops',
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    label: 'team=payments; tier="web"',
    ...extra,
  });

describe('TopologyService views', () => {
  it('writes each answer exactly as JSON.stringify of its scoped topology, before and after a change', async () => {
    const service = new TopologyService({
      hubs: [settings],
      logger: mockServices.logger.mock(),
      debounceMs: 0,
    });
    const store = service.store('hub');
    store.upsert(
      'clusters',
      'the-hub',
      cluster('the-hub', { 'local-cluster': 'true', clusterGroup: 'hub' }),
    );
    store.upsert(
      'clusters',
      'east',
      cluster('east', { clusterGroup: 'group-one' }),
    );
    store.upsert(
      'clusters',
      'west',
      cluster('west', { clusterGroup: 'group-two' }),
    );
    // Values a hand-written serialiser could get wrong: quotes, backslashes, unicode.
    store.replaceSearchApps([
      app('a', 'east', { targetRevision: 'feature/"quoted"\\path' }),
      app('b', 'west', { targetRevision: 'réplica ✓' }),
      app('mcg-group-one', 'east'),
    ]);
    // The store announces its writes after its debounce (0 here).
    const published = () => new Promise(r => setTimeout(r, 10));
    await published();

    const scopes: Scope[] = [
      {},
      { group: 'group-one' },
      { applications: ['b'], entityRef: 'component:default/b' },
      { group: 'nowhere' },
    ];
    const check = () => {
      for (const scope of scopes) {
        const view = service.view('hub', scope);
        expect(view.json.toString('utf8')).toBe(
          JSON.stringify(service.scoped('hub', scope)),
        );
      }
    };
    check();
    const before = service.view('hub', {});

    store.replaceSearchApps([
      store.searchApps[0],
      app('b', 'west', { healthStatus: 'Degraded' }),
      store.searchApps[2],
    ]);
    await published();
    check();
    const after = service.view('hub', {});
    expect(after.etag).not.toBe(before.etag);
    expect(
      JSON.parse(after.json.toString('utf8')).applications.find(
        (a: any) => a.name === 'b',
      ).health,
    ).toBe('Degraded');
    await service.stop();
  });
});
