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

    expect([...strategies.keys()]).toEqual([CLUSTER_PROXY_AUTH_PROVIDER]);
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
    ).rejects.toThrow(/not under any hub's cluster-proxy/);

    const logged = JSON.stringify([
      logger.info.mock.calls,
      logger.warn.mock.calls,
      logger.error.mock.calls,
      logger.debug.mock.calls,
    ]);
    expect(logged).toContain('east, lab');
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
    expect(strategies.size).toBe(1);
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
