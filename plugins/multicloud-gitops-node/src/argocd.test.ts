import { argoInstancesByCluster, hubArgoInstance } from './argocd';
import { ArgoInstanceSettings } from './hubConfig';

const instance = (name: string, clusters?: string[]): ArgoInstanceSettings => ({
  name,
  url: `https://${name}.example.com`,
  uiUrl: `https://${name}.example.com`,
  token: 't',
  clusters,
});

describe('hubArgoInstance', () => {
  it('is the first instance without clusters', () => {
    const hub = instance('hub');
    expect(
      hubArgoInstance([instance('edge', ['east']), hub, instance('other')]),
    ).toBe(hub);
    expect(hubArgoInstance([instance('edge', ['east'])])).toBeUndefined();
  });

  it('counts an empty cluster list as none', () => {
    const hub = instance('hub', []);
    expect(hubArgoInstance([hub])).toBe(hub);
  });
});

describe('argoInstancesByCluster', () => {
  it('maps listed clusters to their instance and the hub cluster to the hub instance', () => {
    const hub = instance('hub');
    const edge = instance('edge', ['east', 'west']);
    const served = argoInstancesByCluster([hub, edge], 'mgmt');
    expect([...served.entries()]).toEqual([
      ['mgmt', hub],
      ['east', edge],
      ['west', edge],
    ]);
  });

  it('leaves the hub instance out while the hub cluster is unknown', () => {
    const served = argoInstancesByCluster(
      [instance('hub'), instance('edge', ['east'])],
      undefined,
    );
    expect([...served.keys()]).toEqual(['east']);
  });

  it('gives a cluster claimed twice to the first instance configured', () => {
    const first = instance('first');
    const second = instance('second');
    const a = instance('a', ['east']);
    const b = instance('b', ['east']);
    const served = argoInstancesByCluster([first, a, second, b], 'mgmt');
    expect(served.get('mgmt')).toBe(first);
    expect(served.get('east')).toBe(a);
  });
});
