import {
  addArgoInstance,
  argoApp,
  cluster,
  hubSettings,
  searchApp,
  storeWithClusters,
} from '../__testUtils__/fleet';
import { TopologyService } from './TopologyService';

function fleet() {
  const store = storeWithClusters();
  addArgoInstance(store, 'gitops', [argoApp('hub-app', 'gitops')]);
  store.replaceSearchApps([
    searchApp('shop', 'east', { label: 'team=shop' }),
    searchApp('shop', 'west', { label: 'team=shop' }),
    searchApp('billing', 'west', { label: 'team=billing' }),
  ]);
  const settings = hubSettings({
    consoleUrl: 'https://console.hub',
    argocd: [{ name: 'gitops', url: 'https://argo', uiUrl: 'https://argo-ui' }],
  });
  return { store, service: new TopologyService([{ settings, store }]) };
}

const names = (xs: { name: string }[]) => xs.map(x => x.name);

describe('TopologyService', () => {
  it('rebuilds the topology only when the store changed', () => {
    const { store, service } = fleet();
    const first = service.full('hub');
    expect(service.full('hub')).toBe(first);
    store.upsert('clusters', 'north', cluster('north', {}));
    const next = service.full('hub');
    expect(next).not.toBe(first);
    expect(names(next.clusters)).toContain('north');
  });

  it('narrows an answer to a group, or to applications and the clusters they run on', () => {
    const { service } = fleet();
    const group = service.scoped('hub', { group: 'group-two' });
    expect(names(group.clusters)).toEqual(['west']);
    expect(names(group.applications)).toEqual(['billing', 'shop']);
    expect(names(group.groups)).toEqual(['group-two']);

    const apps = service.scoped('hub', { applications: ['shop'] });
    expect(names(apps.clusters)).toEqual(['east', 'west']);
    expect(apps.applicationRollup.total).toBe(2);

    const selected = service.scoped('hub', {
      selector: {
        text: 'team=billing',
        requirements: [{ key: 'team', op: 'in', values: ['billing'] }],
      },
    });
    expect(names(selected.applications)).toEqual(['billing']);
    expect(names(selected.clusters)).toEqual(['west']);

    // Applications found through Search have no Argo CD instance.
    const instance = service.scoped('hub', { instances: ['gitops'] });
    expect(names(instance.applications)).toEqual(['hub-app']);
    expect(names(instance.clusters)).toEqual(['the-hub']);
  });

  it('details a cluster: its policies by compliance, its applications and where to go next', () => {
    const { store, service } = fleet();
    const policy = (name: string, compliance: string) => ({
      name,
      namespace: 'policies',
      clusters: { east: compliance },
      disabled: false,
    });
    store.upsert('policies', 'policies/z', policy('z', 'Compliant'));
    store.upsert('policies', 'policies/a', policy('a', 'NonCompliant'));
    store.upsert('policies', 'policies/odd', policy('odd', 'Weird'));
    store.upsert('policies', 'policies/other', {
      ...policy('other', 'Compliant'),
      clusters: { west: 'Compliant' },
    });
    store.upsert('clusterInfos', 'east', {
      name: 'east',
      consoleUrl: 'https://console.east',
      availableUpgrades: ['4.16.2'],
      nodes: [],
    });
    const details = service.clusterDetails('hub', 'east');
    expect(details.policies.map(p => [p.name, p.compliance])).toEqual([
      ['z', 'Compliant'],
      ['a', 'NonCompliant'],
      ['odd', 'Unknown'],
    ]);
    expect(names(details.applications)).toEqual(['shop']);
    expect(details.availableUpgrades).toEqual(['4.16.2']);
    expect(details.links).toEqual([
      {
        title: 'OpenShift console',
        url: 'https://console.east',
        kind: 'openshift-console',
      },
      {
        title: 'ACM console',
        url: 'https://console.hub/multicloud/infrastructure/clusters/details/east/east/overview',
        kind: 'acm-console',
      },
    ]);
    expect(service.clusterDetails('hub', 'the-hub').links).toEqual([
      expect.objectContaining({ kind: 'acm-console' }),
      { title: 'Argo CD (gitops)', url: 'https://argo-ui', kind: 'argocd' },
    ]);
    expect(() => service.clusterDetails('hub', 'nope')).toThrow(
      'Hub "hub" has no managed cluster "nope"',
    );
  });

  it('names the configured hubs when asked for another', () => {
    const { service } = fleet();
    expect(() => service.full('nope')).toThrow(
      'Unknown hub "nope"; configured hubs: hub',
    );
    expect(service.hubs().hubs).toEqual([
      expect.objectContaining({
        id: 'hub',
        pattern: 'mcg',
        clusterCount: 3,
        applicationCount: 4,
      }),
    ]);
  });
});
