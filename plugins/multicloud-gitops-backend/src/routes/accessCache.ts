/*
 * A short-lived memory of who may read and what an entity's annotations are, so that a
 * warm view costs no request to the permission and catalog backends.
 *
 * Why: a view is a map lookup in our store, but `permissions.authorize` and
 * `catalog.getEntityByRef` are each an HTTP round trip to another backend plugin (and the
 * catalog checks its own permission again), many times the cost of the view itself, and
 * more so under load. The cost of the memory: a revoked read permission, or a changed
 * annotation, takes effect up to `ttlMs` later (10 s by default; the catalog itself takes
 * minutes to notice an annotation change). Sync and refresh never use it: they always ask.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { HubConfigError } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { readWholeNumber } from '../configNumber';

interface Entry<V> {
  value: Promise<V>;
  expires: number;
}

/** Promise-valued TTL cache: concurrent misses for one key share a single load. */
export class TtlCache<V> {
  readonly #entries = new Map<string, Entry<V>>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string, load: () => Promise<V>): Promise<V> {
    if (this.ttlMs <= 0) return load();
    const t = this.now();
    const hit = this.#entries.get(key);
    if (hit && hit.expires > t) return hit.value;
    if (this.#entries.size >= this.maxEntries) this.#evict(t);
    const value = load();
    this.#entries.set(key, { value, expires: t + this.ttlMs });
    // A failure is not remembered: the next request asks again.
    value.catch(() => {
      if (this.#entries.get(key)?.value === value) this.#entries.delete(key);
    });
    return value;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Forget the entries whose key `matches` (the next get loads them again). */
  forget(matches: (key: string) => boolean) {
    for (const k of [...this.#entries.keys()])
      if (matches(k)) this.#entries.delete(k);
  }

  #evict(t: number) {
    for (const [k, e] of this.#entries)
      if (e.expires <= t) this.#entries.delete(k);
    // Still full of live entries: drop the oldest half (insertion order).
    if (this.#entries.size >= this.maxEntries) {
      let n = Math.ceil(this.#entries.size / 2);
      for (const k of this.#entries.keys()) {
        if (n-- <= 0) break;
        this.#entries.delete(k);
      }
    }
  }
}

/** Who the caller is, as a cache key: a user by entity ref, a service by subject. */
export function principalKey(credentials: BackstageCredentials): string {
  const p = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  return p.type === 'user'
    ? `user:${p.userEntityRef}`
    : `${p.type}:${p.subject ?? ''}`;
}

const ACCESS_CACHE_KEY = 'multicloudGitops.accessCacheSeconds';

/** Seconds a read decision and an entity lookup are remembered (default 10, 0 = never). */
export function readAccessCacheSeconds(config: Config): number {
  const raw = config.getOptional<unknown>(ACCESS_CACHE_KEY);
  if (raw === undefined) return 10;
  if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 300)
    throw new HubConfigError(
      ACCESS_CACHE_KEY,
      'must be a number of seconds from 0 (always ask) to 300',
    );
  return raw;
}

const PUSH_STREAMS_KEY = 'multicloudGitops.pushStreamsPerUser';

/** `multicloudGitops.pushStreamsPerUser`: push streams one caller may hold open at once. */
export function readPushStreamsPerUser(config: Config): number {
  return readWholeNumber(config, PUSH_STREAMS_KEY, {
    fallback: 32,
    min: 1,
    max: 10000,
    unit: 'streams',
  });
}
