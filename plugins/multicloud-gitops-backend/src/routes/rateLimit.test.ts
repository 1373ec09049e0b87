import { ConfigReader } from '@backstage/config';
import { RateLimitedError, RateLimiter, readRateLimit } from './rateLimit';

describe('RateLimiter', () => {
  it('lets a burst through, then one request per interval, per caller', () => {
    let now = 0;
    const limiter = new RateLimiter(
      { requestsPerMinute: 60, burst: 3 },
      () => now,
    );
    for (let i = 0; i < 3; i++) limiter.take('user:default/alice');
    expect(() => limiter.take('user:default/alice')).toThrow(RateLimitedError);
    // Another caller has a bucket of its own.
    expect(() => limiter.take('user:default/bob')).not.toThrow();
    // One request a second comes back, and says when.
    now = 500;
    let refused: RateLimitedError | undefined;
    try {
      limiter.take('user:default/alice');
    } catch (e) {
      refused = e as RateLimitedError;
    }
    expect(refused?.retryAfterSeconds).toBe(1);
    expect(refused?.message).toContain('multicloudGitops.rateLimit');
    now = 1000;
    expect(() => limiter.take('user:default/alice')).not.toThrow();
    expect(() => limiter.take('user:default/alice')).toThrow(RateLimitedError);
    // A pause refills the bucket up to the burst, not beyond.
    now = 1_000_000;
    for (let i = 0; i < 3; i++) limiter.take('user:default/alice');
    expect(() => limiter.take('user:default/alice')).toThrow(RateLimitedError);
  });
});

describe('readRateLimit', () => {
  const read = (rateLimit: unknown) =>
    readRateLimit(new ConfigReader({ multicloudGitops: { rateLimit } } as any));

  it('is off when absent, and the burst defaults to a tenth of a minute', () => {
    expect(readRateLimit(new ConfigReader({}))).toBeUndefined();
    expect(read({ requestsPerMinute: 600 })).toEqual({
      requestsPerMinute: 600,
      burst: 60,
    });
    expect(read({ requestsPerMinute: 5, burst: 2 })).toEqual({
      requestsPerMinute: 5,
      burst: 2,
    });
  });

  it.each([
    [{}, 'requestsPerMinute'],
    [{ requestsPerMinute: 0 }, 'requestsPerMinute'],
    [{ requestsPerMinute: 1.5 }, 'requestsPerMinute'],
    [{ requestsPerMinute: 10, burst: 'lots' }, 'burst'],
  ])('names the key on %j', (value, key) => {
    expect(() => read(value)).toThrow(`multicloudGitops.rateLimit.${key}`);
  });
});
