/*
 * The fleet store of one hub: what the sources last saw, as normalised records, plus the
 * state of each source. Views are computed from it, never from upstream, so upstream
 * traffic depends on how fast the fleet changes, not on how many people look.
 *
 * Sources write through its methods (upsert, remove, replace-all per kind), which compare
 * the new record with the stored one: a write that changes what a view could show bumps
 * `version`, and listeners hear about it once per burst (a relist of 2,000 clusters is one
 * notification, not 2,000). Readers get read-only maps.
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
  PatternRecord,
  PolicyRecord,
} from './records';
import { intern } from './intern';
import { sameRecord } from './plainData';
import { splitSearchKey } from './searchItem';

export type ChangeListener = (version: number) => void;

/** Which store an answer comes from, and how new it is. */
export interface StoreVersion {
  /** New at every start (see {@link HubStore.id}). */
  readonly id: string;
  readonly version: number;
  readonly publishedVersion: number;
}

/** What a Search poll found different from the last one (see `applySearchPoll`). */
export interface SearchPollChanges {
  /** Records that are new or may differ; compared again here, so extra ones are harmless. */
  upserts: readonly ApplicationRecord[];
  /** Keys (`cluster/namespace/name`) the poll no longer returned. */
  removedKeys: string[];
  /** The upserts are the whole poll: every stored key not among them went away. */
  complete: boolean;
}

/** Same keys, and the same record under each. */
function sameRecords<T>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
): boolean {
  if (a.size !== b.size) return false;
  for (const [k, v] of b) {
    const before = a.get(k);
    if (before === undefined || !sameRecord(before, v)) return false;
  }
  return true;
}

/**
 * Where a Search record is kept: its host cluster, then `namespace/name`. Two levels, so that
 * no application needs a key string of its own: a fleet repeats the same `namespace/name` on
 * every cluster, and the pool shares it.
 */
const localKey = (namespace: string, name: string) =>
  intern(`${namespace}/${name}`);

/**
 * One kind of record by key. Each write says whether anything a view could show changed:
 * upstream sends many updates that change nothing we keep (Argo CD's reconciledAt, a relist
 * after a 410, an annotation), and they must not make a new version, or every open view
 * would refetch. The map is the same object for the table's life, so a read-only view of it
 * handed out once stays current.
 */
class Table<T> {
  readonly rows = new Map<string, T>();

  upsert(key: string, record: T): boolean {
    const before = this.rows.get(key);
    this.rows.set(key, record);
    return before === undefined || !sameRecord(before, record);
  }

  remove(key: string): boolean {
    return this.rows.delete(key);
  }

  replaceAll(next: ReadonlyMap<string, T>): boolean {
    const same = sameRecords(this.rows, next);
    this.rows.clear();
    for (const [k, v] of next) this.rows.set(k, v);
    return !same;
  }
}

/** The records a store keeps by key, by kind. */
export interface KeyedRecords {
  /** ManagedClusters by name. */
  clusters: ManagedClusterRecord;
  /** ManagedClusterInfos by name (the cluster's). */
  clusterInfos: ClusterInfoRecord;
  /** Root policies by `namespace/name`. */
  policies: PolicyRecord;
  /** Pattern CRs on the hub, by `namespace/name`. */
  patterns: PatternRecord;
}
export type RecordKind = keyof KeyedRecords;

const NO_OBJECTS: ReadonlyMap<string, unknown> = new Map();

export class HubStore {
  readonly hub: string;
  /**
   * New at every start. Behind a load balancer a client may read one replica's view and
   * hear another replica's events: versions only compare within one store, and ETags carry
   * the id so that one replica never answers 304 for another's answer.
   */
  readonly id = randomUUID();
  #version = 0;
  #publishedVersion = 0;
  readonly #tables: { [K in RecordKind]: Table<KeyedRecords[K]> } = {
    clusters: new Table(),
    clusterInfos: new Table(),
    policies: new Table(),
    patterns: new Table(),
  };
  /** Applications from each Argo CD instance, keyed `namespace/name`. */
  readonly #argoApps = new Map<string, Table<ApplicationRecord>>();
  readonly #argoRows = new Map<
    string,
    ReadonlyMap<string, ApplicationRecord>
  >();
  /** Generic ACM objects kept for details (cluster sets, placements...), by kind then key. */
  readonly #objects = new Map<string, Map<string, unknown>>();
  /** Applications from ACM Search, replaced on each poll that changes any. */
  #searchApps: readonly ApplicationRecord[] = [];
  /** `#searchApps` by host cluster then `namespace/name`, to compare the next poll with. */
  readonly #searchIndex = new Map<string, Map<string, ApplicationRecord>>();
  readonly #sources = new Map<string, SourceStatus>();
  readonly #listeners = new Set<ChangeListener>();
  #notifyTimer?: NodeJS.Timeout;
  readonly #debounceMs: number;

  constructor(hub: string, debounceMs = 250) {
    this.hub = hub;
    this.#debounceMs = debounceMs;
  }

  /** Bumped by every write that changes what a view could show. */
  get version(): number {
    return this.#version;
  }

  /**
   * The version last announced to listeners. Views are cached per published version: a
   * burst of upstream changes costs one rebuild per announcement, not one per change, and
   * a client told about version N always gets a view at least that new.
   */
  get publishedVersion(): number {
    return this.#publishedVersion;
  }

  get clusters(): ReadonlyMap<string, ManagedClusterRecord> {
    return this.#tables.clusters.rows;
  }

  get clusterInfos(): ReadonlyMap<string, ClusterInfoRecord> {
    return this.#tables.clusterInfos.rows;
  }

  get policies(): ReadonlyMap<string, PolicyRecord> {
    return this.#tables.policies.rows;
  }

  get patterns(): ReadonlyMap<string, PatternRecord> {
    return this.#tables.patterns.rows;
  }

  /** Applications by Argo CD instance, then by `namespace/name`. */
  get argoApps(): ReadonlyMap<string, ReadonlyMap<string, ApplicationRecord>> {
    return this.#argoRows;
  }

  get searchApps(): readonly ApplicationRecord[] {
    return this.#searchApps;
  }

  /** Generic ACM objects of one kind, by key. */
  objectsOf(kind: string): ReadonlyMap<string, unknown> {
    return this.#objects.get(kind) ?? NO_OBJECTS;
  }

  /** Counts a change, and schedules one notification for the burst. */
  #changed(changed: boolean): boolean {
    if (!changed) return false;
    this.#version++;
    if (this.#notifyTimer) return true;
    this.#notifyTimer = setTimeout(() => {
      this.#notifyTimer = undefined;
      this.#publishedVersion = this.#version;
      for (const l of this.#listeners) l(this.#version);
    }, this.#debounceMs);
    this.#notifyTimer.unref?.();
    return true;
  }

  /** Sets a record; true (and a new version) when it differs from the one it replaces. */
  upsert<K extends RecordKind>(
    kind: K,
    key: string,
    record: KeyedRecords[K],
  ): boolean {
    return this.#changed(this.#tables[kind].upsert(key, record));
  }

  /** Deletes a record; true (and a new version) when there was one. */
  remove(kind: RecordKind, key: string): boolean {
    return this.#changed(this.#tables[kind].remove(key));
  }

  /** Replaces every record of a kind (a full relist); true when the content differs. */
  replaceAll<K extends RecordKind>(
    kind: K,
    next: ReadonlyMap<string, KeyedRecords[K]>,
  ): boolean {
    return this.#changed(this.#tables[kind].replaceAll(next));
  }

  #argoTable(instance: string): Table<ApplicationRecord> {
    let table = this.#argoApps.get(instance);
    if (!table) {
      table = new Table();
      this.#argoApps.set(instance, table);
      this.#argoRows.set(instance, table.rows);
    }
    return table;
  }

  /** Sets an application of an Argo CD instance, by `namespace/name`. */
  upsertArgoApp(instance: string, key: string, record: ApplicationRecord) {
    return this.#changed(this.#argoTable(instance).upsert(key, record));
  }

  removeArgoApp(instance: string, key: string): boolean {
    return this.#changed(this.#argoTable(instance).remove(key));
  }

  /** Replaces an instance's applications (a list); the first list is always a change. */
  replaceArgoApps(
    instance: string,
    next: ReadonlyMap<string, ApplicationRecord>,
  ): boolean {
    const known = this.#argoApps.has(instance);
    const changed = this.#argoTable(instance).replaceAll(next);
    return this.#changed(changed || !known);
  }

  /** Keeps a generic ACM object for details. No view shows these: never a new version. */
  keepObject(kind: string, key: string, obj: unknown) {
    let m = this.#objects.get(kind);
    if (!m) {
      m = new Map();
      this.#objects.set(kind, m);
    }
    m.set(key, obj);
  }

  dropObject(kind: string, key: string) {
    this.#objects.get(kind)?.delete(key);
  }

  /**
   * Applies a Search poll's changes; true (and a new version) when any record differs.
   * Unchanged records are kept as they are, so an unchanged poll leaves `searchApps`
   * untouched.
   */
  applySearchPoll(poll: SearchPollChanges): boolean {
    const index = this.#searchIndex;
    let changed = false;
    // In a complete poll, what the poll holds: every stored record not in it went away.
    const kept = poll.complete ? new Set<ApplicationRecord>() : undefined;
    for (const record of poll.upserts) {
      let apps = index.get(record.hostCluster);
      if (!apps) {
        apps = new Map();
        index.set(record.hostCluster, apps);
      }
      const key = localKey(record.namespace, record.name);
      const before = apps.get(key);
      if (before === undefined || !sameRecord(before, record)) {
        apps.set(key, record);
        kept?.add(record);
        changed = true;
      } else {
        kept?.add(before);
      }
    }
    if (kept) {
      for (const [cluster, apps] of index) {
        for (const [key, record] of apps) {
          if (kept.has(record)) continue;
          apps.delete(key);
          changed = true;
        }
        if (apps.size === 0) index.delete(cluster);
      }
    } else {
      for (const removed of poll.removedKeys) {
        const at = splitSearchKey(removed);
        const apps = at && index.get(at[0]);
        if (!at || !apps?.delete(at[1])) continue;
        if (apps.size === 0) index.delete(at[0]);
        changed = true;
      }
    }
    if (changed) {
      const all: ApplicationRecord[] = [];
      for (const apps of index.values())
        for (const r of apps.values()) all.push(r);
      this.#searchApps = all;
    }
    return this.#changed(changed);
  }

  /** Replaces every Search application, as a complete poll does. */
  replaceSearchApps(records: readonly ApplicationRecord[]): boolean {
    return this.applySearchPoll({
      upserts: records,
      removedKeys: [],
      complete: true,
    });
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
    this.#changed(visible);
  }

  source(name: string): SourceStatus | undefined {
    return this.#sources.get(name);
  }

  sources(): SourceStatus[] {
    return [...this.#sources.values()].map(s => ({ ...s }));
  }

  dispose() {
    clearTimeout(this.#notifyTimer);
    this.#listeners.clear();
  }
}
