import { KubernetesAuthProviders } from '@backstage/plugin-kubernetes-react';
import { CLUSTER_PROXY_AUTH_PROVIDER } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { withClusterProxyAuthProvider } from './clusterProxyAuthProvider';

const builtIn = () =>
  new KubernetesAuthProviders({
    googleAuthApi: { getAccessToken: async () => 'google-token' } as any,
    microsoftAuthApi: { getAccessToken: async () => 'ms-token' } as any,
  });

describe('withClusterProxyAuthProvider', () => {
  const body = { entity: { metadata: { name: 'hello-world' } } } as any;

  it('lets requests for hub-proxied clusters through unchanged, where the built-ins throw', async () => {
    await expect(
      builtIn().decorateRequestBodyForAuth(CLUSTER_PROXY_AUTH_PROVIDER, body),
    ).rejects.toThrow(/no KubernetesAuthProvider defined/);
    const providers = withClusterProxyAuthProvider(builtIn());
    await expect(
      providers.decorateRequestBodyForAuth(CLUSTER_PROXY_AUTH_PROVIDER, body),
    ).resolves.toEqual(body);
    await expect(
      providers.getCredentials(CLUSTER_PROXY_AUTH_PROVIDER),
    ).resolves.toEqual({});
  });

  it('asks the built-in providers for every other cluster', async () => {
    const providers = withClusterProxyAuthProvider(builtIn());
    await expect(providers.getCredentials('google')).resolves.toEqual({
      token: 'google-token',
    });
    await expect(providers.getCredentials('nope')).rejects.toThrow(
      /authProvider "nope"/,
    );
  });
});
