import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import {
  buildEntities,
  EntityContext,
  MalformedClusterError,
  toClusterRecord,
} from './entities';
import { expectValidResource } from '../__testUtils__/testUtils';

const hub = (extra: Partial<HubSettings> = {}): HubSettings => ({
  name: 'hub',
  title: 'Hub',
  api: { url: 'https://api.hub.example.com:6443', token: 'not-in-any-entity' },
  argocd: [],
  ...extra,
});
const ctx = (extra: Partial<EntityContext> = {}): EntityContext => ({
  hub: hub(),
  defaultOwner: 'unknown',
  ownerLabel: 'owner',
  location: 'multicloud-gitops:hub',
  ...extra,
});
const mc = (
  name: string,
  labels: Record<string, unknown> = {},
  claims: Record<string, string> = {},
) => ({
  metadata: { name, labels },
  spec: { hubAcceptsClient: true },
  status: {
    clusterClaims: Object.entries(claims).map(([n, value]) => ({
      name: n,
      value,
    })),
  },
});

describe('toClusterRecord', () => {
  it.each([
    [{}, 'without metadata.name'],
    [{ metadata: { name: '' } }, 'without metadata.name'],
    [mc('Upper_Case'), 'not a DNS-1123 label'],
    [mc('x'.repeat(64)), 'not a DNS-1123 label'],
    [mc('ok', { cost: 5 }), 'labels is not a map of strings'],
    [
      { metadata: { name: 'ok', labels: ['a'] } },
      'labels is not a map of strings',
    ],
  ])('rejects %j', (obj, message) => {
    expect(() => toClusterRecord(obj)).toThrow(MalformedClusterError);
    expect(() => toClusterRecord(obj)).toThrow(message);
  });
});

describe('buildEntities', () => {
  it('drops label values the catalog would refuse and placeholders ACM writes before detection', async () => {
    const [e] = buildEntities(
      [
        toClusterRecord(
          mc(
            'c1',
            { cloud: 'auto-detect', vendor: 'OpenShift' },
            {
              'region.open-cluster-management.io': 'US East (N. Virginia)',
            },
          ),
        ),
      ],
      ctx(),
    );
    expect(e.metadata.labels).toEqual({ vendor: 'OpenShift' });
    await expectValidResource(e);
  });

  it('writes the proxy CA as base64 whether config holds the PEM or its base64, and skip-tls-verify only when asked', () => {
    const pem =
      '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n';
    const b64 = Buffer.from(pem).toString('base64');
    const c = [toClusterRecord(mc('c1'))];
    const withPem = buildEntities(
      c,
      ctx({
        hub: hub({ clusterProxy: { url: 'https://proxy', caData: pem } }),
      }),
    )[0];
    const withB64 = buildEntities(
      c,
      ctx({
        hub: hub({
          clusterProxy: {
            url: 'https://proxy',
            caData: b64,
            skipTLSVerify: true,
          },
        }),
      }),
    )[0];
    const withoutCa = buildEntities(
      c,
      ctx({ hub: hub({ clusterProxy: { url: 'https://proxy' } }) }),
    )[0];
    expect(
      withPem.metadata.annotations?.[
        'kubernetes.io/api-server-certificate-authority'
      ],
    ).toBe(b64);
    expect(
      withB64.metadata.annotations?.[
        'kubernetes.io/api-server-certificate-authority'
      ],
    ).toBe(b64);
    // the locator only picks entities that have the annotation, so it is there, empty
    expect(
      withoutCa.metadata.annotations?.[
        'kubernetes.io/api-server-certificate-authority'
      ],
    ).toBe('');
    expect(
      withPem.metadata.annotations?.['kubernetes.io/skip-tls-verify'],
    ).toBeUndefined();
    expect(
      withB64.metadata.annotations?.['kubernetes.io/skip-tls-verify'],
    ).toBe('true');
  });

  it('without a hub cluster or a pattern: groups depend on nothing and nothing is in a System', async () => {
    const entities = buildEntities(
      [toClusterRecord(mc('c1', { clusterGroup: 'edge' }))],
      ctx(),
    );
    const group = entities.find(e => e.spec?.type === 'cluster-group')!;
    expect(group.spec).toEqual({
      type: 'cluster-group',
      owner: 'unknown',
      lifecycle: 'production',
    });
    expect(entities[0].spec?.system).toBeUndefined();
    expect(entities[0].spec?.dependencyOf).toEqual([
      'resource:default/hub-group-edge',
    ]);
    for (const e of entities) await expectValidResource(e);
  });

  it('uses the configured hub console for ACM links over the hub cluster’s console claim', () => {
    const entities = buildEntities(
      [
        toClusterRecord(
          mc(
            'self',
            { 'local-cluster': 'true' },
            {
              'consoleurl.cluster.open-cluster-management.io':
                'https://console.self.example.com',
            },
          ),
        ),
        toClusterRecord(mc('spoke')),
      ],
      ctx({
        hub: hub({ consoleUrl: 'https://console.configured.example.com' }),
      }),
    );
    const spoke = entities.find(e => e.metadata.name === 'hub-spoke')!;
    expect(spoke.metadata.links).toEqual([
      {
        title: 'ACM console',
        url: 'https://console.configured.example.com/multicloud/infrastructure/clusters/details/spoke/spoke/overview',
        type: 'acm-console',
      },
    ]);
    expect(JSON.stringify(entities)).not.toContain('not-in-any-entity');
  });

  it('gives the same JSON for the same clusters in any order, so unchanged entities are never re-emitted', () => {
    const a = toClusterRecord(mc('a', { clusterGroup: 'g' }));
    const b = toClusterRecord(mc('b', { clusterGroup: 'g' }));
    expect(JSON.stringify(buildEntities([a, b], ctx()))).toBe(
      JSON.stringify(buildEntities([b, a], ctx())),
    );
  });
});
