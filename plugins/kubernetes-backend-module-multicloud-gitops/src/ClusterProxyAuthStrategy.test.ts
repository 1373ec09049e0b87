import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import {
  ClusterProxyAuthStrategy,
  ClusterProxyHub,
} from './ClusterProxyAuthStrategy';

const EAST_TOKEN = 'east-hub-token-0123456789';
const WEST_TOKEN = 'west-hub-token-9876543210';

const east: ClusterProxyHub = {
  name: 'east',
  api: { url: 'https://api.east.example.com:6443', token: EAST_TOKEN },
  clusterProxy: { url: 'https://proxy.example.com/east' },
};
const west: ClusterProxyHub = {
  name: 'west',
  api: { url: 'https://api.west.example.com:6443', token: WEST_TOKEN },
  clusterProxy: { url: 'http://127.0.0.1:7008/cluster-proxy' },
};

function cluster(url: string, extra: Partial<ClusterDetails> = {}) {
  return { name: 'spoke', url, authMetadata: {}, ...extra } as ClusterDetails;
}

/** A refused cluster gets an anonymous credential, never a token; returns the reason. */
async function refusal(
  strategy: ClusterProxyAuthStrategy,
  url: string,
  extra: Partial<ClusterDetails> = {},
) {
  await expect(strategy.getCredential(cluster(url, extra))).resolves.toEqual({
    type: 'anonymous',
  });
  const message = strategy.refusalFor(cluster(url, extra));
  expect(message).toEqual(expect.any(String));
  if (!message) throw new Error('no refusal');
  expect(message).not.toContain(EAST_TOKEN);
  expect(message).not.toContain(WEST_TOKEN);
  return message;
}

describe('ClusterProxyAuthStrategy', () => {
  const strategy = new ClusterProxyAuthStrategy([east, west]);

  it.each([
    'https://proxy.example.com/east/spoke-1',
    'https://proxy.example.com/east/spoke-1/',
    'https://PROXY.example.com:443/east/spoke-1',
    'https://proxy.example.com/east',
  ])('gives the hub token to %s under its cluster-proxy', async url => {
    await expect(strategy.getCredential(cluster(url))).resolves.toEqual({
      type: 'bearer token',
      token: EAST_TOKEN,
    });
  });

  it('gives each hub its own token', async () => {
    await expect(
      strategy.getCredential(
        cluster('http://127.0.0.1:7008/cluster-proxy/aws-us-east-1-01'),
      ),
    ).resolves.toEqual({ type: 'bearer token', token: WEST_TOKEN });
    await expect(
      strategy.getCredential(cluster('https://proxy.example.com/east/a')),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
  });

  it('matches a route given with a trailing slash', async () => {
    const slashed = new ClusterProxyAuthStrategy([
      { ...east, clusterProxy: { url: 'https://proxy.example.com/east/' } },
    ]);
    await expect(
      slashed.getCredential(cluster('https://proxy.example.com/east/spoke-1')),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
  });

  it('prefers the longest route when one hub route is under another', async () => {
    const nested = new ClusterProxyAuthStrategy([
      { ...east, clusterProxy: { url: 'https://proxy.example.com' } },
      { ...west, clusterProxy: { url: 'https://proxy.example.com/west' } },
    ]);
    await expect(
      nested.getCredential(cluster('https://proxy.example.com/west/spoke')),
    ).resolves.toEqual({ type: 'bearer token', token: WEST_TOKEN });
    await expect(
      nested.getCredential(cluster('https://proxy.example.com/spoke')),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
  });

  it('refuses another host and says which URL and what to configure', async () => {
    const message = await refusal(
      strategy,
      'https://attacker.example.net/east/spoke-1',
    );
    expect(message).toContain('https://attacker.example.net/east/spoke-1');
    expect(message).toContain('multicloudGitops.hubs[].clusterProxy.url');
    expect(message).toContain('https://proxy.example.com/east');
  });

  it.each([
    ['a longer host name', 'https://proxy.example.com.evil.io/east/spoke'],
    ['a longer path segment', 'https://proxy.example.com/eastern/spoke'],
    ['another port', 'https://proxy.example.com:8443/east/spoke'],
    ['another scheme', 'http://proxy.example.com/east/spoke'],
    ['a longer last segment', 'http://127.0.0.1:7008/cluster-proxyz/spoke'],
    ['user info', 'https://proxy.example.com@evil.io/east/spoke'],
    ['dot segments', 'https://proxy.example.com/east/../admin'],
    ['encoded dot segments', 'https://proxy.example.com/east/%2e%2e/admin'],
    ['credentials', 'https://user:pass@proxy.example.com/east/spoke'],
    ['a query', 'https://proxy.example.com/east/spoke?x=1'],
    ['not a URL', 'proxy.example.com/east/spoke'],
  ])('refuses a prefix trick: %s', async (_, url) => {
    expect(await refusal(strategy, url)).toMatch(
      /refusing to send a hub token|not under any hub's cluster-proxy/,
    );
  });

  it.each([
    'https://proxy.example.com.evil.io/spoke',
    'https://proxy.example.com:8443/spoke',
    'https://proxy.example.co/spoke',
  ])('refuses %s next to a route at the root of a host', async url => {
    const root = new ClusterProxyAuthStrategy([
      { ...east, clusterProxy: { url: 'https://proxy.example.com' } },
    ]);
    await expect(
      root.getCredential(cluster('https://proxy.example.com/spoke')),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
    expect(await refusal(root, url)).toContain(
      "not under any hub's cluster-proxy",
    );
  });

  it('never gives the token of a hub without clusterProxy', async () => {
    const noProxy = new ClusterProxyAuthStrategy([
      { ...east, clusterProxy: undefined },
    ]);
    expect(noProxy.hubs).toEqual([]);
    const message = await refusal(
      noProxy,
      'https://api.east.example.com:6443/spoke',
    );
    expect(message).toContain('no hub has clusterProxy configured');
  });

  it('refuses a cluster that turns TLS verification off when its hub does not', async () => {
    const message = await refusal(
      strategy,
      'https://proxy.example.com/east/spoke',
      { skipTLSVerify: true },
    );
    expect(message).toContain('TLS verification off');
  });

  it('accepts the hub CA given as PEM in config and as base64 on the entity', async () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nTUlJQ0VEQ0NB\n-----END CERTIFICATE-----\n';
    const other =
      '-----BEGIN CERTIFICATE-----\nT1RIRVJDQQ==\n-----END CERTIFICATE-----\n';
    const pinned = new ClusterProxyAuthStrategy([
      {
        ...east,
        clusterProxy: { url: 'https://proxy.example.com/east', caData: pem },
      },
    ]);
    const url = 'https://proxy.example.com/east/spoke';
    const b64 = (text: string) => Buffer.from(text).toString('base64');
    await expect(
      pinned.getCredential(cluster(url, { caData: b64(pem) })),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
    expect(await refusal(pinned, url, { caData: b64(other) })).toMatch(
      /trusts a CA other than/,
    );
  });

  it('refuses a cluster that trusts another CA than its hub', async () => {
    const pinned = new ClusterProxyAuthStrategy([
      {
        ...east,
        clusterProxy: { url: 'https://proxy.example.com/east', caData: 'SUJD' },
      },
    ]);
    const url = 'https://proxy.example.com/east/spoke';
    expect(await refusal(pinned, url, { caData: 'QUJD' })).toMatch(
      /trusts a CA other than/,
    );
    await expect(
      pinned.getCredential(cluster(url, { caData: 'SUJD\n' })),
    ).resolves.toEqual({ type: 'bearer token', token: EAST_TOKEN });
    await expect(pinned.getCredential(cluster(url))).resolves.toEqual({
      type: 'bearer token',
      token: EAST_TOKEN,
    });
  });

  it('reports each refusal, so the portal log says which cluster got no token and why', async () => {
    const reported: string[] = [];
    const reporting = new ClusterProxyAuthStrategy([east], {
      onRefused: m => reported.push(m),
    });
    await reporting.getCredential(cluster('https://evil.example.net/x'));
    expect(reported).toEqual([
      expect.stringContaining('https://evil.example.net/x'),
    ]);
  });

  it('has nothing to validate or present', () => {
    expect(strategy.validateCluster()).toEqual([]);
    expect(strategy.presentAuthMetadata()).toEqual({});
  });
});
