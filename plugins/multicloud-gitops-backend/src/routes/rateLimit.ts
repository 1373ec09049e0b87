/*
 * A request-rate limit per caller: a token bucket each, refilled continuously. Views are
 * cheap lookups, so the limit is not about their cost but about one runaway script or client
 * taking the backend's two cores from everyone else.
 */
import { Config } from '@backstage/config';
import { HubConfigError } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import express from 'express';

const KEY = 'multicloudGitops.rateLimit';

export interface RateLimitSettings {
  /** Requests a caller may make per minute, on average. */
  requestsPerMinute: number;
  /** Requests a caller may make at once, after a pause (default: a tenth of a minute's). */
  burst: number;
}

/** `multicloudGitops.rateLimit`; undefined (no limit) when absent. */
export function readRateLimit(config: Config): RateLimitSettings | undefined {
  const c = config.getOptionalConfig(KEY);
  if (!c) return undefined;
  const whole = (key: string, value: unknown, min: number) => {
    if (
      typeof value !== 'number' ||
      !Number.isInteger(value) ||
      value < min ||
      value > 1_000_000
    )
      throw new HubConfigError(
        `${KEY}.${key}`,
        `must be a whole number from ${min} to 1000000`,
      );
    return value;
  };
  const requestsPerMinute = whole(
    'requestsPerMinute',
    c.getOptional<unknown>('requestsPerMinute'),
    1,
  );
  const rawBurst = c.getOptional<unknown>('burst');
  const burst =
    rawBurst === undefined
      ? Math.max(1, Math.ceil(requestsPerMinute / 10))
      : whole('burst', rawBurst, 1);
  return { requestsPerMinute, burst };
}

/** Thrown when a caller is over its rate; answered 429 with Retry-After. */
export class RateLimitedError extends Error {
  constructor(readonly retryAfterSeconds: number, limit: number) {
    super(
      `Too many requests: at most ${limit} a minute per caller (${KEY}); retry in ${retryAfterSeconds} s`,
    );
    this.name = 'TooManyRequestsError';
  }
}

/** Token buckets by caller; buckets that are full again are dropped, so memory stays small. */
export class RateLimiter {
  readonly #perMs: number;
  readonly #burst: number;
  readonly #limit: number;
  readonly #now: () => number;
  readonly #buckets = new Map<string, { tokens: number; at: number }>();

  constructor(settings: RateLimitSettings, now: () => number = Date.now) {
    this.#perMs = settings.requestsPerMinute / 60000;
    this.#burst = settings.burst;
    this.#limit = settings.requestsPerMinute;
    this.#now = now;
  }

  /** Takes one request from `caller`'s bucket, or throws RateLimitedError. */
  take(caller: string): void {
    const now = this.#now();
    const b = this.#buckets.get(caller) ?? { tokens: this.#burst, at: now };
    b.tokens = Math.min(this.#burst, b.tokens + (now - b.at) * this.#perMs);
    b.at = now;
    if (b.tokens < 1) {
      this.#buckets.set(caller, b);
      throw new RateLimitedError(
        Math.max(1, Math.ceil((1 - b.tokens) / this.#perMs / 1000)),
        this.#limit,
      );
    }
    b.tokens -= 1;
    this.#buckets.set(caller, b);
    if (this.#buckets.size > 10000) this.#prune(now);
  }

  #prune(now: number) {
    for (const [caller, b] of this.#buckets)
      if (b.tokens + (now - b.at) * this.#perMs >= this.#burst)
        this.#buckets.delete(caller);
  }
}

/** Answers a RateLimitedError as 429 with Retry-After, in the Backstage error shape. */
export const rateLimitErrorHandler: express.ErrorRequestHandler = (
  err,
  _req,
  res,
  next,
) => {
  if (!(err instanceof RateLimitedError)) {
    next(err);
    return;
  }
  res.setHeader('Retry-After', String(err.retryAfterSeconds));
  res.status(429).json({
    error: { name: err.name, message: err.message },
    response: { statusCode: 429 },
  });
};
