/*
 * The fleet store of one hub: what the sources last saw, as normalised records, plus the
 * state of each source. Views are computed from it, never from upstream, so upstream
 * traffic depends on how fast the fleet changes, not on how many people look.
 *
 * Every mutation bumps `version`; listeners hear about it once per burst (a relist of
 * 2,000 clusters is one notification, not 2,000).
 */
import { randomUUID } from 'node:crypto';
import {
  SourceKind,
  SourceState,
  SourceStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  ApplicationRecord,
  ClusterInfoRecord,
  ManagedClusterRecord,
  PolicyRecord,
} from './records';

export type ChangeListener = (version: number) => void;

/** What a Search poll found different from the last one (see `applySearchPoll`). */
export interface SearchPollChanges {
  /** Records that are new or may differ; compared again here, so extra ones are harmless. */
  upserts: ApplicationRecord[];
  /** Keys (`cluster/namespace/name`) the poll no longer returned. */
  removedKeys: string[];
  /** The upserts are the whole poll: every stored key not among them went away. */
  complete: boolean;
}

/**
 * Deep equality of records: plain data (strings, numbers, booleans, arrays, plain
 * objects), which is all a record holds. Walks both values instead of serialising them: a
 * Search poll compares 40,000 records every 15 s, and two JSON.stringify calls a record
 * blocked the event loop (and every view waiting on it) for about 300 ms.
 */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++)
      if (!sameRecord(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Keys whose value is undefined count as absent, as in JSON.
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!sameRecord(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}

/** Same keys, and the same record under each. */
function sameRecords<T>(a: Map<string, T>, b: Map<string, T>): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) {
    const before = a.get(k);
    if (before === undefined || !sameRecord(before, v)) return false;
  }
  return true;
}

/** Key of an application found through Search: it is unique per cluster and namespace. */
const searchAppKey = (a: ApplicationRecord) =>
  `${a.hostCluster}/${a.namespace}/${a.name}`;

export class HubStore {
  readonly hub: string;
  /**
   * New at every start. Behind a load balancer a client may read one replica's view and
   * hear another replica's events: versions only compare within one store, and ETags carry
   * the id so that one replica never answers 304 for another's answer.
   */
  readonly id = randomUUID();
  version = 0;
  /**
   * The version last announced to listeners. Views are cached per published version: a
   * burst of upstream changes costs one rebuild per announcement, not one per change, and
   * a client told about version N always gets a view at least that new.
   */
  publishedVersion = 0;
  readonly clusters = new Map<string, ManagedClusterRecord>();
  readonly clusterInfos = new Map<string, ClusterInfoRecord>();
  readonly policies = new Map<string, PolicyRecord>();
  /** Generic ACM objects kept for details (cluster sets, placements...), by kind then key. */
  readonly objects = new Map<string, Map<string, unknown>>();
  /** Pattern CR names on the hub. */
  readonly patterns = new Map<string, string>();
  /** Applications from each Argo CD instance, keyed `namespace/name`. */
  readonly argoApps = new Map<string, Map<string, ApplicationRecord>>();
  /** Applications from ACM Search, replaced on each poll. */
  searchApps: ApplicationRecord[] = [];
  /** `searchApps` by key, for comparing the next poll with; rebuilt if `searchApps` is replaced. */
  #searchIndex?: {
    of: ApplicationRecord[];
    byKey: Map<string, ApplicationRecord>;
  };
  readonly #sources = new Map<string, SourceStatus>();
  readonly #listeners = new Set<ChangeListener>();
  #notifyTimer?: NodeJS.Timeout;
  readonly #debounceMs: number;

  constructor(hub: string, debounceMs = 250) {
    this.hub = hub;
    this.#debounceMs = debounceMs;
  }

  /** Marks the store changed and schedules one notification for the burst. */
  changed() {
    this.version++;
    if (this.#notifyTimer) return;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      this.publishedVersion = this.version;
      for (const l of this.#listeners) l(this.version);
    }, this.#debounceMs);
    this.#notifyTimer.unref?.();
  }

  /**
   * Sets a record and says whether anything a view could show changed. Upstream sends many
   * updates that change nothing we keep (Argo CD's reconciledAt, a relist after a 410, an
   * annotation); they must not make a new version, or every open view would refetch.
   */
  put<T>(map: Map<string, T>, key: string, record: T): boolean {
    const before = map.get(key);
    map.set(key, record);
    return before === undefined || !sameRecord(before, record);
  }

  /** Deletes a record; true when there was one. */
  remove<T>(map: Map<string, T>, key: string): boolean {
    return map.delete(key);
  }

  /** Replaces a whole map (a full relist); true when its content differs. */
  replace<T>(
    target: Map<string, Map<string, T>>,
    name: string,
    next: Map<string, T>,
  ): boolean {
    const before = target.get(name);
    target.set(name, next);
    return !before || !sameRecords(before, next);
  }

  /**
   * Starts comparing a Search poll, which returns the whole set each time, with what the
   * store holds: records are compared as pages arrive (a page at a time, never the whole
   * fleet in one go), and a record that did not change is the stored one again.
   */
  /**
   * Applies a Search poll's changes; true when any record differs. Unchanged records are
   * kept as they are, so an unchanged poll leaves `searchApps` untouched.
   */
  applySearchPoll(poll: SearchPollChanges): boolean {
    if (this.#searchIndex?.of !== this.searchApps) {
      this.#searchIndex = {
        of: this.searchApps,
        byKey: new Map(this.searchApps.map(a => [searchAppKey(a), a])),
      };
    }
    const byKey = this.#searchIndex.byKey;
    let changed = false;
    const seen = poll.complete ? new Set<string>() : undefined;
    for (const record of poll.upserts) {
      const key = searchAppKey(record);
      seen?.add(key);
      const before = byKey.get(key);
      if (before === undefined || !sameRecord(before, record)) {
        byKey.set(key, record);
        changed = true;
      }
    }
    const gone = seen
      ? [...byKey.keys()].filter(k => !seen.has(k))
      : poll.removedKeys;
    for (const key of gone) if (byKey.delete(key)) changed = true;
    if (changed) {
      this.searchApps = [...byKey.values()];
      this.#searchIndex = { of: this.searchApps, byKey };
    }
    return changed;
  }

  onChange(listener: ChangeListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  registerSource(name: string, kind: SourceKind) {
    if (!this.#sources.has(name)) {
      this.#sources.set(name, {
        name,
        kind,
        state: 'stale',
        since: new Date().toISOString(),
        message: 'not read yet',
      });
    }
  }

  /**
   * Records a source's state. The `since` time moves only when the state changes, so a
   * banner can say "in error since 10:02" while retries keep failing.
   */
  setSource(
    name: string,
    state: SourceState,
    message?: string,
    extra: Partial<SourceStatus> = {},
  ) {
    const prev = this.#sources.get(name);
    if (!prev) throw new Error(`unknown source ${name}`);
    const now = new Date().toISOString();
    const next: SourceStatus = {
      ...prev,
      ...extra,
      state,
      since: prev.state === state ? prev.since : now,
      message,
      lastSuccess: state === 'ok' ? now : prev.lastSuccess,
    };
    const visible =
      prev.state !== next.state ||
      prev.message !== next.message ||
      prev.skipped !== next.skipped;
    this.#sources.set(name, next);
    if (visible) this.changed();
  }

  source(name: string): SourceStatus | undefined {
    return this.#sources.get(name);
  }

  sources(): SourceStatus[] {
    return [...this.#sources.values()].map(s => ({ ...s }));
  }

  objectsOf(kind: string): Map<string, unknown> {
    let m = this.objects.get(kind);
    if (!m) {
      m = new Map();
      this.objects.set(kind, m);
    }
    return m;
  }

  dispose() {
    clearTimeout(this.#notifyTimer);
    this.#listeners.clear();
  }
}
