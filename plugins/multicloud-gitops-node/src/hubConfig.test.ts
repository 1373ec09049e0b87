import { ConfigReader } from '@backstage/config';
import { readHubSettings } from './hubConfig';

const kubernetes = {
  clusterLocatorMethods: [
    {
      type: 'config',
      clusters: [
        {
          name: 'hub',
          url: 'https://api.hub:6443/',
          authProvider: 'serviceAccount',
          serviceAccountToken: 'sa-token',
          caData: 'Q0E=',
        },
        { name: 'oidc', url: 'https://api.other:6443', authProvider: 'oidc' },
      ],
    },
  ],
};
const read = (hubs: any, extra: object = {}) =>
  readHubSettings(
    new ConfigReader({ multicloudGitops: { hubs }, kubernetes, ...extra }),
  );

describe('readHubSettings', () => {
  it('resolves a hub declared once for the Kubernetes plugin, by name', () => {
    const [hub] = read([
      {
        name: 'hub',
        kubernetesCluster: 'hub',
        search: { url: 'https://search/searchapi/graphql' },
        argocd: [
          {
            name: 'gitops',
            url: 'https://argo/',
            username: 'admin',
            password: 'pw',
          },
        ],
      },
    ]);
    expect(hub.api).toEqual({
      url: 'https://api.hub:6443',
      token: 'sa-token',
      caData: 'Q0E=',
      skipTLSVerify: undefined,
    });
    // Search defaults to the hub's token and TLS, and polls every 15 s.
    expect(hub.search).toMatchObject({
      token: 'sa-token',
      caData: 'Q0E=',
      pollIntervalMs: 15000,
    });
    expect(hub.argocd[0]).toMatchObject({
      name: 'gitops',
      url: 'https://argo',
      uiUrl: 'https://argo',
    });
    expect(hub.title).toBe('hub');
  });

  it('reads the cluster-proxy route, with the hub API TLS as its default', () => {
    const [hub] = read([
      {
        name: 'hub',
        kubernetesCluster: 'hub',
        clusterProxy: { url: 'https://cluster-proxy-user.apps.hub/' },
      },
    ]);
    expect(hub.clusterProxy).toEqual({
      url: 'https://cluster-proxy-user.apps.hub',
      caData: 'Q0E=',
      skipTLSVerify: undefined,
    });
    expect(() =>
      read([
        { name: 'hub', kubernetesCluster: 'hub', clusterProxy: { url: 'x' } },
      ]),
    ).toThrow(
      'Invalid config at multicloudGitops.hubs[0].clusterProxy.url: must be an http(s) URL',
    );
  });

  it('accepts a hub by URL and token, and several hubs', () => {
    const hubs = read([
      { name: 'a', url: 'https://a:6443', serviceAccountToken: 't1' },
      {
        name: 'b',
        url: 'https://b:6443',
        serviceAccountToken: 't2',
        pattern: 'industrial-edge',
      },
    ]);
    expect(hubs.map(h => [h.name, h.api.url, h.pattern])).toEqual([
      ['a', 'https://a:6443', undefined],
      ['b', 'https://b:6443', 'industrial-edge'],
    ]);
  });

  it.each([
    [
      [{ name: 'Hub_1', url: 'https://a', serviceAccountToken: 't' }],
      'multicloudGitops.hubs[0].name: must be a DNS-1123 label',
    ],
    [
      [{ name: 'a', url: 'ftp://a', serviceAccountToken: 't' }],
      'multicloudGitops.hubs[0].url: must be an http(s) URL',
    ],
    [
      [{ name: 'a', url: 'https://a' }],
      'multicloudGitops.hubs[0].serviceAccountToken: is required with url',
    ],
    [
      [{ name: 'a' }],
      'multicloudGitops.hubs[0]: needs url and serviceAccountToken, or kubernetesCluster',
    ],
    [
      [{ name: 'a', kubernetesCluster: 'nope' }],
      'multicloudGitops.hubs[0].kubernetesCluster: no cluster named "nope"',
    ],
    [[{ name: 'a', kubernetesCluster: 'oidc' }], 'uses authProvider oidc'],
    [
      [
        {
          name: 'a',
          kubernetesCluster: 'hub',
          argocd: [{ name: 'x', url: 'https://x' }],
        },
      ],
      'multicloudGitops.hubs[0].argocd[0]: needs either token, or username and password',
    ],
    [
      [{ name: 'a', kubernetesCluster: 'hub', tokn: 'typo' }],
      'multicloudGitops.hubs[0]: unknown key(s) tokn',
    ],
    [
      [
        { name: 'a', kubernetesCluster: 'hub' },
        { name: 'a', kubernetesCluster: 'hub' },
      ],
      'multicloudGitops.hubs[1].name: hub "a" is declared twice',
    ],
  ])('rejects %j with one line naming the key', (hubs, message) => {
    let error: Error | undefined;
    try {
      read(hubs);
    } catch (e) {
      error = e as Error;
    }
    expect(error?.message).toContain(message);
    expect(error?.message).toMatch(/^Invalid config at /);
    expect(error?.message).not.toContain('\n');
    // A config error never echoes a credential.
    expect(error?.message).not.toContain('sa-token');
  });

  it('returns no hubs when none are configured', () => {
    expect(readHubSettings(new ConfigReader({}))).toEqual([]);
  });
});
