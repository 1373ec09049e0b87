import { ConfigReader } from '@backstage/config';
import { readClusterProviderConfig } from './config';

const hubs = [
  {
    name: 'east',
    url: 'https://api.east.example.com:6443',
    serviceAccountToken: 's3cret',
  },
];
const read = (provider: any, extra: object = {}) =>
  readClusterProviderConfig(
    new ConfigReader({
      multicloudGitops: { hubs },
      catalog: { providers: { multicloudGitops: provider } },
      ...extra,
    }),
  );

describe('readClusterProviderConfig', () => {
  it('has defaults: owner unknown, label owner, every hub, every 15 s in global scope', () => {
    const c = readClusterProviderConfig(
      new ConfigReader({ multicloudGitops: { hubs } }),
    );
    expect(c.defaultOwner).toBe('unknown');
    expect(c.ownerLabel).toBe('owner');
    expect(c.hubs.map(h => h.name)).toEqual(['east']);
    expect(c.schedule).toEqual({
      frequency: { seconds: 15 },
      timeout: { minutes: 2 },
      scope: 'global',
    });
  });

  it('keeps the scope global even when the config asks for local', () => {
    expect(
      read({
        schedule: {
          frequency: { seconds: 30 },
          timeout: { minutes: 1 },
          scope: 'local',
        },
      }).schedule,
    ).toEqual({
      frequency: { seconds: 30 },
      timeout: { minutes: 1 },
      scope: 'global',
    });
  });

  it.each([
    [
      { defaultOwner: 'group:default/' },
      'catalog.providers.multicloudGitops.defaultOwner: must be an entity reference',
    ],
    [
      { ownerLabel: 'not a label' },
      'catalog.providers.multicloudGitops.ownerLabel: must be a Kubernetes label key',
    ],
    [{ hubs: 'east' }, 'catalog.providers.multicloudGitops.hubs:'],
    [
      { owner: 'x' },
      'catalog.providers.multicloudGitops: unknown key(s) owner',
    ],
    [
      { hubs: ['west'] },
      'catalog.providers.multicloudGitops.hubs[0]: hub "west" is not declared',
    ],
    [
      { schedule: { frequency: 'often' } },
      'catalog.providers.multicloudGitops.schedule:',
    ],
  ])('rejects %j with one line naming the key', (provider, message) => {
    expect(() => read(provider)).toThrow(`Invalid config at ${message}`);
  });

  it('passes on the hub reader’s error without the token', () => {
    expect(() =>
      readClusterProviderConfig(
        new ConfigReader({
          multicloudGitops: { hubs: [{ ...hubs[0], url: 'nope' }] },
        }),
      ),
    ).toThrow(/multicloudGitops\.hubs\[0\]\.url/);
    const error = (() => {
      try {
        return readClusterProviderConfig(
          new ConfigReader({
            multicloudGitops: { hubs: [{ ...hubs[0], url: 'nope' }] },
          }),
        );
      } catch (e) {
        return e;
      }
    })();
    expect(String(error)).toContain('Invalid config');
    expect(String(error)).not.toContain('s3cret');
  });
});
