import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  principalKey,
  readAccessCacheSeconds,
  readPushStreamsPerUser,
  TtlCache,
} from './accessCache';

describe('TtlCache', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => {
    now = 1000;
  });

  it('shares one load between concurrent misses and remembers it for the TTL', async () => {
    const cache = new TtlCache<string>(10000, 100, clock);
    const load = jest.fn(async () => 'ALLOW');
    const values = await Promise.all([
      cache.get('user:a', load),
      cache.get('user:a', load),
      cache.get('user:a', load),
    ]);
    expect(values).toEqual(['ALLOW', 'ALLOW', 'ALLOW']);
    expect(load).toHaveBeenCalledTimes(1);
    now += 9999;
    await cache.get('user:a', load);
    expect(load).toHaveBeenCalledTimes(1);
    now += 1; // expired: asked again
    await cache.get('user:a', load);
    expect(load).toHaveBeenCalledTimes(2);
    await cache.get('user:b', load);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('does not remember a failure', async () => {
    const cache = new TtlCache<string>(10000, 100, clock);
    await expect(
      cache.get('k', async () => {
        throw new Error('catalog unavailable');
      }),
    ).rejects.toThrow('catalog unavailable');
    await expect(cache.get('k', async () => 'v')).resolves.toBe('v');
  });

  it('asks every time with a TTL of 0', async () => {
    const cache = new TtlCache<string>(0, 100, clock);
    const load = jest.fn(async () => 'v');
    await cache.get('k', load);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(cache.size).toBe(0);
  });

  it('stays bounded under many callers', async () => {
    const cache = new TtlCache<number>(10000, 10, clock);
    for (let i = 0; i < 100; i++) await cache.get(`user:${i}`, async () => i);
    expect(cache.size).toBeLessThanOrEqual(10);
    // The newest entries survive.
    const load = jest.fn(async () => -1);
    await expect(cache.get('user:99', load)).resolves.toBe(99);
    expect(load).not.toHaveBeenCalled();
  });
});

describe('principalKey', () => {
  it('keys users by entity ref and services by subject', () => {
    expect(principalKey(mockCredentials.user('user:default/alice'))).toBe(
      'user:user:default/alice',
    );
    expect(principalKey(mockCredentials.service('plugin:catalog'))).toBe(
      'service:plugin:catalog',
    );
    expect(principalKey(mockCredentials.user('user:default/bob'))).not.toBe(
      principalKey(mockCredentials.user('user:default/alice')),
    );
  });
});

describe('readAccessCacheSeconds', () => {
  const read = (value: string | number | boolean) =>
    readAccessCacheSeconds(
      new ConfigReader({ multicloudGitops: { accessCacheSeconds: value } }),
    );

  it('defaults to 10 s and accepts 0 (always ask) to 300', () => {
    expect(readAccessCacheSeconds(new ConfigReader({}))).toBe(10);
    expect(read(0)).toBe(0);
    expect(read(2.5)).toBe(2.5);
    expect(read(300)).toBe(300);
  });

  it('names the key on a bad value', () => {
    for (const bad of ['soon', -1, 301, true]) {
      expect(() => read(bad)).toThrow(
        'Invalid config at multicloudGitops.accessCacheSeconds: must be a number of seconds from 0 (always ask) to 300',
      );
    }
  });
});

describe('readPushStreamsPerUser', () => {
  const read = (value: unknown) =>
    readPushStreamsPerUser(
      new ConfigReader({
        multicloudGitops: { pushStreamsPerUser: value },
      } as any),
    );

  it('defaults to 32 streams and takes a whole number from 1', () => {
    expect(readPushStreamsPerUser(new ConfigReader({}))).toBe(32);
    expect(read(1)).toBe(1);
    expect(read(500)).toBe(500);
  });

  it.each([0, 2.5, -1, 'many', 20000])('names the key on %p', value => {
    expect(() => read(value)).toThrow(/multicloudGitops\.pushStreamsPerUser/);
  });
});
