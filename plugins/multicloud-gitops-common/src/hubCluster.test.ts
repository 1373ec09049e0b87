import { acmClusterConsoleUrl, findHubCluster } from './hubCluster';

const cluster = (name: string, labels: Record<string, string> = {}) => ({
  name,
  labels,
});

describe('findHubCluster', () => {
  it('finds the cluster labelled local-cluster=true, whatever its name', () => {
    const hub = cluster('mgmt', { 'local-cluster': 'true' });
    expect(findHubCluster([cluster('east'), hub, cluster('west')])).toBe(hub);
  });

  it('ignores the name local-cluster and other label values', () => {
    expect(
      findHubCluster([
        cluster('local-cluster'),
        cluster('east', { 'local-cluster': 'false' }),
      ]),
    ).toBeUndefined();
    expect(findHubCluster([])).toBeUndefined();
  });

  it('picks the first name when two clusters carry the label, in any order', () => {
    const a = cluster('a-hub', { 'local-cluster': 'true' });
    const b = cluster('b-hub', { 'local-cluster': 'true' });
    expect(findHubCluster([b, a])).toBe(a);
    expect(
      findHubCluster(
        new Map([
          ['a', a],
          ['b', b],
        ]).values(),
      ),
    ).toBe(a);
  });
});

describe('acmClusterConsoleUrl', () => {
  it('links to the cluster overview in the hub console', () => {
    expect(acmClusterConsoleUrl('https://console.hub', 'east-1')).toBe(
      'https://console.hub/multicloud/infrastructure/clusters/details/east-1/east-1/overview',
    );
  });

  it('encodes the cluster name', () => {
    expect(acmClusterConsoleUrl('https://console.hub', 'a/b')).toBe(
      'https://console.hub/multicloud/infrastructure/clusters/details/a%2Fb/a%2Fb/overview',
    );
  });
});
