import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  AuthenticationStrategy,
  ClusterDetails,
  kubernetesAuthStrategyExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { CLUSTER_PROXY_AUTH_PROVIDER } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { kubernetesModuleMulticloudGitops } from './module';

const hubs = [
  {
    name: 'east',
    url: 'https://api.east.example.com:6443',
    serviceAccountToken: 'east-token-secret',
    clusterProxy: { url: 'https://cluster-proxy-user.apps.east.example.com' },
  },
  {
    name: 'lab',
    url: 'http://127.0.0.1:7008',
    serviceAccountToken: 'lab-token-secret',
    clusterProxy: { url: 'http://127.0.0.1:7008/cluster-proxy/' },
  },
  {
    name: 'legacy',
    url: 'https://api.legacy.example.com:6443',
    serviceAccountToken: 'legacy-token-secret',
  },
];

/** Records registrations, with the Kubernetes plugin's own rule on strategy names. */
function fakeExtensionPoint() {
  const strategies = new Map<string, AuthenticationStrategy>();
  return {
    strategies,
    extensionPoint: {
      addAuthStrategy(key: string, strategy: AuthenticationStrategy) {
        if (key.includes('-')) {
          throw new Error('Strategy name can not include dashes');
        }
        strategies.set(key, strategy);
      },
    },
  };
}

const cluster = (url: string) =>
  ({ name: 'c', url, authMetadata: {} } as ClusterDetails);

describe('kubernetesModuleMulticloudGitops', () => {
  it('keeps the Kubernetes backend serving its config clusters with built-in auth providers', async () => {
    // With only our strategy registered, the Kubernetes backend refuses to start on a
    // serviceAccount cluster: a module must not break the clusters a portal already has.
    const { server } = await startTestBackend({
      features: [
        kubernetesPlugin,
        kubernetesModuleMulticloudGitops,
        catalogServiceMock.factory(),
        mockServices.rootConfig.factory({
          data: {
            multicloudGitops: { hubs },
            kubernetes: {
              serviceLocatorMethod: { type: 'multiTenant' },
              clusterLocatorMethods: [
                {
                  type: 'config',
                  clusters: [
                    {
                      name: 'existing',
                      url: 'https://api.existing.example.com:6443',
                      authProvider: 'serviceAccount',
                      serviceAccountToken: 'existing-token',
                    },
                  ],
                },
              ],
            },
          },
        }),
      ],
    });
    const res = await request(server).get('/api/kubernetes/clusters');
    expect(res.status).toBe(200);
    expect(res.body.items.map((c: { name: string }) => c.name)).toEqual([
      'existing',
    ]);
  });

  it('registers the cluster-proxy strategy under the catalog entities auth provider', async () => {
    const { strategies, extensionPoint } = fakeExtensionPoint();
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [[kubernetesAuthStrategyExtensionPoint, extensionPoint]],
      features: [
        kubernetesModuleMulticloudGitops,
        mockServices.rootConfig.factory({
          data: { multicloudGitops: { hubs } },
        }),
        logger.factory,
      ],
    });

    expect([...strategies.keys()].sort()).toEqual(
      [
        'aks',
        'aws',
        'azure',
        'google',
        'googleServiceAccount',
        'localKubectlProxy',
        'oidc',
        'serviceAccount',
        CLUSTER_PROXY_AUTH_PROVIDER,
      ].sort(),
    );
    const strategy = strategies.get(CLUSTER_PROXY_AUTH_PROVIDER)!;
    await expect(
      strategy.getCredential(
        cluster('https://cluster-proxy-user.apps.east.example.com/spoke-1'),
        {},
      ),
    ).resolves.toEqual({ type: 'bearer token', token: 'east-token-secret' });
    await expect(
      strategy.getCredential(
        cluster('http://127.0.0.1:7008/cluster-proxy/spoke-2'),
        {},
      ),
    ).resolves.toEqual({ type: 'bearer token', token: 'lab-token-secret' });
    await expect(
      strategy.getCredential(
        cluster('https://api.legacy.example.com:6443/spoke-3'),
        {},
      ),
    ).resolves.toEqual({ type: 'anonymous' });

    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
      logger.debug.mock.calls,
    ]);
    expect(logged).toMatch(/hub\(s\) (east, lab|lab, east)/);
    expect(logged).toContain("not under any hub's cluster-proxy");
    expect(logged).not.toMatch(/token-secret/);
  });

  it('warns when no hub has a cluster-proxy', async () => {
    const { strategies, extensionPoint } = fakeExtensionPoint();
    const logger = mockServices.logger.mock();
    await startTestBackend({
      extensionPoints: [[kubernetesAuthStrategyExtensionPoint, extensionPoint]],
      features: [
        kubernetesModuleMulticloudGitops,
        mockServices.rootConfig.factory({
          data: { multicloudGitops: { hubs: [hubs[2]] } },
        }),
        logger.factory,
      ],
    });
    expect(strategies.has(CLUSTER_PROXY_AUTH_PROVIDER)).toBe(true);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('multicloudGitops.hubs[].clusterProxy.url'),
    );
  });

  it('fails startup on an invalid hub config, naming the key', async () => {
    const { extensionPoint } = fakeExtensionPoint();
    await expect(
      startTestBackend({
        extensionPoints: [
          [kubernetesAuthStrategyExtensionPoint, extensionPoint],
        ],
        features: [
          kubernetesModuleMulticloudGitops,
          mockServices.rootConfig.factory({
            data: {
              multicloudGitops: {
                hubs: [{ ...hubs[0], clusterProxy: { url: 'proxy' } }],
              },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/multicloudGitops\.hubs\[0\]\.clusterProxy\.url/);
  });
});
