import { KObject, StoreEvent, EventType } from './types';
import { compareStrings } from '../util/compare';

/**
 * In-memory object store for every simulated cluster.
 *
 * One global, monotonically increasing resourceVersion (like one etcd) orders all writes on
 * all clusters, which lets every API (k8s watch, Argo CD stream, Search) be fed from one
 * event log. Stored objects are treated as immutable: a write stores a new object, so
 * events and list snapshots can hold references without copying.
 */
export class Bucket {
  readonly objects = new Map<string, KObject>();
  private sorted: string[] | null = null;

  keys(): string[] {
    // etcd returns keys in byte order of "<namespace>/<name>"; we mirror that ordering
    if (!this.sorted)
      this.sorted = [...this.objects.keys()].sort(compareStrings);
    return this.sorted;
  }

  set(key: string, obj: KObject) {
    if (!this.objects.has(key)) this.sorted = null;
    this.objects.set(key, obj);
  }

  delete(key: string) {
    if (this.objects.delete(key)) this.sorted = null;
  }
}

export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

export type Listener = (ev: StoreEvent) => void;

export class Store {
  private rv = 0;
  /** writes at or below this RV are no longer in the event log ("compacted") */
  private compacted = 0;
  private readonly log: StoreEvent[] = [];
  private logStart = 0;
  private readonly listeners = new Set<Listener>();
  readonly clusters = new Map<string, Map<string, Bucket>>();

  constructor(private readonly maxEvents = 20000) {}

  get resourceVersion(): number {
    return this.rv;
  }

  get compactedResourceVersion(): number {
    return this.compacted;
  }

  /** Forget the event log up to now: older RVs and continue tokens then get 410. */
  compact(): void {
    // the compaction itself takes a revision: everything handed out before it is now too old
    this.rv += 1;
    this.compacted = this.rv;
    this.log.length = 0;
    this.logStart = 0;
  }

  nextRv(): number {
    this.rv += 1;
    return this.rv;
  }

  bucket(cluster: string, typeKey: string, create = false): Bucket | undefined {
    let c = this.clusters.get(cluster);
    if (!c) {
      if (!create) return undefined;
      c = new Map();
      this.clusters.set(cluster, c);
    }
    let b = c.get(typeKey);
    if (!b && create) {
      b = new Bucket();
      c.set(typeKey, b);
    }
    return b;
  }

  get(
    cluster: string,
    typeKey: string,
    namespace: string | undefined,
    name: string,
  ): KObject | undefined {
    return this.bucket(cluster, typeKey)?.objects.get(
      objectKey(namespace, name),
    );
  }

  /** Objects of a type in key order; `namespace` narrows to one namespace. */
  list(cluster: string, typeKey: string, namespace?: string): KObject[] {
    const b = this.bucket(cluster, typeKey);
    if (!b) return [];
    const out: KObject[] = [];
    for (const k of b.keys()) {
      const o = b.objects.get(k)!;
      if (namespace !== undefined && (o.metadata.namespace ?? '') !== namespace)
        continue;
      out.push(o);
    }
    return out;
  }

  /**
   * Store an object (create or replace). Sets metadata.resourceVersion; callers fill the
   * rest of the metadata. `silent` is used while generating the initial fleet: no events,
   * which keeps start-up fast and the log small.
   */
  put(cluster: string, typeKey: string, obj: KObject, silent = false): KObject {
    const b = this.bucket(cluster, typeKey, true)!;
    const key = objectKey(obj.metadata.namespace, obj.metadata.name!);
    const previous = b.objects.get(key);
    const rv = this.nextRv();
    obj.metadata.resourceVersion = String(rv);
    b.set(key, obj);
    if (!silent)
      this.emit({
        rv,
        type: previous ? 'MODIFIED' : 'ADDED',
        cluster,
        typeKey,
        object: obj,
        previous,
      });
    return obj;
  }

  remove(
    cluster: string,
    typeKey: string,
    namespace: string | undefined,
    name: string,
  ): KObject | undefined {
    const b = this.bucket(cluster, typeKey);
    const key = objectKey(namespace, name);
    const previous = b?.objects.get(key);
    if (!b || !previous) return undefined;
    b.delete(key);
    const rv = this.nextRv();
    // a DELETED event carries the last state with the deletion's resourceVersion
    const object = {
      ...previous,
      metadata: { ...previous.metadata, resourceVersion: String(rv) },
    };
    this.emit({ rv, type: 'DELETED', cluster, typeKey, object, previous });
    return object;
  }

  /** Events after `rv` (exclusive), or undefined when `rv` is older than the log. */
  eventsSince(rv: number): StoreEvent[] | undefined {
    if (rv < this.compacted) return undefined;
    const out: StoreEvent[] = [];
    for (let i = this.logStart; i < this.log.length; i++) {
      if (this.log[i].rv > rv) out.push(this.log[i]);
    }
    return out;
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  clear(): void {
    this.clusters.clear();
    this.log.length = 0;
    this.logStart = 0;
    this.compacted = this.rv;
  }

  private emit(ev: StoreEvent & { type: EventType }) {
    this.log.push(ev);
    if (this.log.length - this.logStart > this.maxEvents) {
      // drop the oldest quarter at once (amortised); their RVs become "too old"
      const drop = Math.floor(this.maxEvents / 4);
      this.compacted = this.log[this.logStart + drop - 1].rv;
      this.logStart += drop;
      if (this.logStart > this.maxEvents) {
        this.log.splice(0, this.logStart);
        this.logStart = 0;
      }
    }
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        // a broken subscriber (e.g. a closed socket) must not break the write path
      }
    }
  }
}
