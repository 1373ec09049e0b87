import { mockServices } from '@backstage/backend-test-utils';
import { ConfigHubConnectionResolver } from './config';

const resolver = (hubs: Array<Record<string, string | boolean>>) =>
  ConfigHubConnectionResolver.fromConfig(
    mockServices.rootConfig({ data: { multicloudGitops: { hubs } } }),
  );

describe('ConfigHubConnectionResolver', () => {
  it('resolves the only hub by default and a named hub otherwise', async () => {
    const one = resolver([
      {
        name: 'east',
        url: 'https://api.east:6443/',
        serviceAccountToken: 'tok',
        caData: 'CA',
      },
    ]);
    await expect(one.resolve()).resolves.toEqual({
      url: 'https://api.east:6443',
      token: 'tok',
      caData: 'CA',
      skipTLSVerify: undefined,
    });
    const two = resolver([
      { name: 'east', url: 'https://e', serviceAccountToken: 'a' },
      {
        name: 'west',
        url: 'http://w',
        serviceAccountToken: 'b',
        skipTLSVerify: true,
      },
    ]);
    await expect(two.resolve('west')).resolves.toMatchObject({
      url: 'http://w',
      token: 'b',
      skipTLSVerify: true,
    });
    await expect(two.resolve()).rejects.toThrow(
      'several hubs are configured (east, west)',
    );
    await expect(two.resolve('north')).rejects.toThrow('unknown hub "north"');
  });

  it('refuses unusable hub entries at startup, in one line naming the key, as the backend plugin does', async () => {
    expect(() => resolver([{ name: 'ro', url: 'https://ro' }])).toThrow(
      'Invalid config at multicloudGitops.hubs[0].serviceAccountToken: is required with url',
    );
    expect(() =>
      resolver([
        { name: 'a', url: 'https://a', serviceAccountToken: 't' },
        { name: 'k8s', kubernetesCluster: 'hub-cluster' },
      ]),
    ).toThrow(
      'Invalid config at multicloudGitops.hubs[1].kubernetesCluster: no cluster named "hub-cluster"',
    );
    await expect(resolver([]).resolve()).rejects.toThrow(
      'no ACM hub is configured',
    );
  });

  it('takes url and credentials from a Kubernetes plugin cluster named by kubernetesCluster', async () => {
    const r = ConfigHubConnectionResolver.fromConfig(
      mockServices.rootConfig({
        data: {
          kubernetes: {
            clusterLocatorMethods: [
              { type: 'catalog' },
              {
                type: 'config',
                clusters: [
                  {
                    name: 'hub',
                    url: 'http://127.0.0.1:7008',
                    authProvider: 'serviceAccount',
                    serviceAccountToken: 'sim-token',
                    skipTLSVerify: true,
                  },
                ],
              },
            ],
          },
          multicloudGitops: {
            hubs: [
              { name: 'hub', title: 'Simulated hub', kubernetesCluster: 'hub' },
            ],
          },
        },
      }),
    );
    await expect(r.resolve()).resolves.toEqual({
      url: 'http://127.0.0.1:7008',
      token: 'sim-token',
      caData: undefined,
      skipTLSVerify: true,
    });
  });
});
