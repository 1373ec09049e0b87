/*
 * Reads the ACM resources of one hub with list (paged with limit/continue) + watch, through
 * @kubernetes/client-node's ListWatch, which relists by itself when a watch answers 410.
 * Any other failure marks the `acm` source in error with a message naming the resource and
 * the credential, and the informer is restarted with backoff; the last known objects stay
 * in the store meanwhile, so views keep answering (as stale).
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CustomObjectsApi,
  KubeConfig,
  KubernetesObject,
  ListWatch,
  Watch,
} from '@kubernetes/client-node';
import {
  describeKubernetesError,
  kubernetesErrorStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { HubStore } from '../store/HubStore';
import {
  isReplicatedPolicy,
  MalformedObjectError,
  toClusterInfo,
  toManagedCluster,
  toPattern,
  toPolicy,
} from '../store/records';
import { backoffMs } from '../http/httpClient';
import { intern } from '../store/intern';
import { isObject } from '../store/plainData';

interface ResourceSpec {
  group: string;
  version: string;
  plural: string;
  labelSelector?: string;
  /** Optional resources may be absent on a hub (CRD not installed): 404 is not an error. */
  optional?: boolean;
  /** Applies one object to the store, which records whether a view would show a change. */
  apply(store: HubStore, obj: unknown, deleted: boolean): void;
  /** The store keeps the object itself (see `generic`): it must stay whole. */
  keepsObject?: boolean;
  /**
   * Makes an object's record as soon as its list page arrives (see `readAhead`), or says
   * undefined to leave the object to `apply`. Throws MalformedObjectError as `apply` would.
   */
  read?(obj: unknown): unknown;
}

/**
 * Records made from list pages, by the stub that stands for their object in the list. A
 * relist of thousands of clusters would otherwise hold every raw object of every page until
 * the last page came, many times the records' size; this way a page's objects are garbage
 * once the next page is asked for. `apply` takes the record from here when it has one.
 */
const readAhead = new WeakMap<object, unknown>();

function recordOf<T>(obj: unknown, read: (obj: unknown) => T): T {
  return (
    (isObject(obj) ? (readAhead.get(obj) as T | undefined) : undefined) ??
    read(obj)
  );
}

const key = (o: any) =>
  o?.metadata?.namespace
    ? `${o.metadata.namespace}/${o.metadata.name}`
    : String(o?.metadata?.name);

/** Kept as read, for details: the store holds the very object the informer holds. */
function generic(kind: string) {
  return (store: HubStore, obj: unknown, deleted: boolean) => {
    if (deleted) store.dropObject(kind, key(obj));
    else store.keepObject(kind, key(obj), obj);
  };
}

const ROOT_POLICY_LABEL = 'policy.open-cluster-management.io/root-policy';

/**
 * Empties an object the informer keeps, once it became a record. ListWatch holds on to every
 * object it hands over, only to tell a new version from a repeat (metadata.resourceVersion)
 * and, on a relist, to report by name what went away; the record holds everything a view
 * needs. Left whole, a hub's thousands of ManagedClusters and ManagedClusterInfos would stay
 * in memory twice, the raw objects many times the size of their records.
 */
function slimInformerObject(obj: unknown) {
  if (!isObject(obj)) return;
  const metadata = stubMetadata(obj);
  for (const k of Object.keys(obj)) obj[k] = undefined;
  obj.metadata = metadata;
}

/** What of an object's metadata the informer and the delete handlers read. */
function stubMetadata(obj: Record<string, any>) {
  const m = isObject(obj.metadata) ? obj.metadata : {};
  const rootPolicy = isObject(m.labels)
    ? m.labels[ROOT_POLICY_LABEL]
    : undefined;
  // The name and namespace are the ones the record holds (shared), not copies of their own.
  const shared = (v: unknown) => (typeof v === 'string' ? intern(v) : v);
  return {
    name: shared(m.name),
    namespace: shared(m.namespace),
    resourceVersion: m.resourceVersion,
    // What tells a replicated policy on a relist's delete (see isReplicatedPolicy).
    ...(rootPolicy !== undefined
      ? { labels: { [ROOT_POLICY_LABEL]: rootPolicy } }
      : {}),
  };
}

/**
 * The object a list hands the informer: a stub with the object's record read ahead, or the
 * object itself when the resource reads none or the object is malformed (then `apply`
 * rejects it, as it would any malformed object).
 */
function readAheadStub(spec: ResourceSpec, obj: unknown): unknown {
  if (!spec.read || !isObject(obj)) return obj;
  let record: unknown;
  try {
    record = spec.read(obj);
  } catch (e) {
    if (e instanceof MalformedObjectError) return obj;
    throw e;
  }
  if (record === undefined) return obj;
  const stub = { metadata: stubMetadata(obj) };
  readAhead.set(stub, record);
  return stub;
}

export const ACM_RESOURCES: ResourceSpec[] = [
  {
    group: 'cluster.open-cluster-management.io',
    version: 'v1',
    plural: 'managedclusters',
    read: toManagedCluster,
    apply(store, obj, deleted) {
      if (deleted) store.remove('clusters', (obj as any)?.metadata?.name);
      else {
        const r = recordOf(obj, toManagedCluster);
        store.upsert('clusters', r.name, r);
      }
    },
  },
  {
    group: 'internal.open-cluster-management.io',
    version: 'v1beta1',
    plural: 'managedclusterinfos',
    read: toClusterInfo,
    apply(store, obj, deleted) {
      if (deleted) store.remove('clusterInfos', (obj as any)?.metadata?.name);
      else {
        const r = recordOf(obj, toClusterInfo);
        store.upsert('clusterInfos', r.name, r);
      }
    },
  },
  {
    group: 'policy.open-cluster-management.io',
    version: 'v1',
    plural: 'policies',
    // Root policies only: their status already lists every cluster's compliance.
    labelSelector: '!policy.open-cluster-management.io/root-policy',
    optional: true,
    read: obj => (isReplicatedPolicy(obj) ? undefined : toPolicy(obj)),
    apply(store, obj, deleted) {
      if (isReplicatedPolicy(obj)) return;
      if (deleted) store.remove('policies', key(obj));
      else {
        const r = recordOf(obj, toPolicy);
        store.upsert('policies', `${r.namespace}/${r.name}`, r);
      }
    },
  },
  {
    group: 'cluster.open-cluster-management.io',
    version: 'v1beta2',
    plural: 'managedclustersets',
    optional: true,
    keepsObject: true,
    apply: generic('managedclustersets'),
  },
  {
    group: 'cluster.open-cluster-management.io',
    version: 'v1beta2',
    plural: 'managedclustersetbindings',
    optional: true,
    keepsObject: true,
    apply: generic('managedclustersetbindings'),
  },
  {
    group: 'cluster.open-cluster-management.io',
    version: 'v1beta1',
    plural: 'placements',
    optional: true,
    keepsObject: true,
    apply: generic('placements'),
  },
  {
    group: 'cluster.open-cluster-management.io',
    version: 'v1beta1',
    plural: 'placementdecisions',
    optional: true,
    keepsObject: true,
    apply: generic('placementdecisions'),
  },
  {
    group: 'gitops.hybrid-cloud-patterns.io',
    version: 'v1alpha1',
    plural: 'patterns',
    optional: true,
    apply(store, obj, deleted) {
      if (deleted) store.remove('patterns', key(obj));
      else store.upsert('patterns', key(obj), toPattern(obj));
    },
  },
];

/**
 * Objects a list page. While a list runs, a page is what the process holds of it: its text,
 * the parsed objects (a ManagedClusterInfo is several KB of JSON) and the buffers they came
 * in. Small pages keep that small, at the price of more requests (50 a resource for a
 * 5,000-cluster hub, each a cheap one for the API server).
 */
const PAGE_SIZE = 100;

/**
 * The longest wait between two attempts to reach a hub that fails: a recovered hub shows as
 * ok at most this long after it answers again, for one small request per resource.
 */
const RETRY_CAP_MS = 10000;

export class AcmSource {
  readonly #store: HubStore;
  readonly #kc: KubeConfig;
  readonly #logger: LoggerService;
  readonly #credential: string;
  readonly #url: string;
  readonly #informers: ListWatch<KubernetesObject>[] = [];
  readonly #errors = new Map<string, string>();
  readonly #synced = new Set<string>();
  /**
   * Malformed objects currently held upstream, by `resource/namespace/name`: an object leaves
   * the set when it is fixed or deleted, so the count stays right across relists.
   */
  readonly #malformed = new Set<string>();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #logged = new Set<string>();
  #stopped = false;

  constructor(opts: {
    store: HubStore;
    kubeConfig: KubeConfig;
    logger: LoggerService;
    credential: string;
    url: string;
  }) {
    this.#store = opts.store;
    this.#kc = opts.kubeConfig;
    this.#logger = opts.logger;
    this.#credential = opts.credential;
    this.#url = opts.url;
    this.#store.registerSource('acm', 'acm');
  }

  start() {
    const api = this.#kc.makeApiClient(CustomObjectsApi);
    const watch = new Watch(this.#kc);
    for (const spec of ACM_RESOURCES) {
      const path = `/apis/${spec.group}/${spec.version}/${spec.plural}`;
      const listFn = async () => {
        // Page through the list so a 5,000-cluster hub is never one giant response.
        const items: unknown[] = [];
        let cont: string | undefined;
        let resourceVersion = '';
        do {
          const page = await api.listClusterCustomObject({
            group: spec.group,
            version: spec.version,
            plural: spec.plural,
            limit: PAGE_SIZE,
            _continue: cont,
            labelSelector: spec.labelSelector,
          });
          for (const item of page.items ?? [])
            items.push(readAheadStub(spec, item));
          resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
          cont = page.metadata?.continue || undefined;
        } while (cont && !this.#stopped);
        this.#onListed(spec);
        return {
          metadata: { resourceVersion },
          items: items as KubernetesObject[],
        };
      };
      const informer = new ListWatch<KubernetesObject>(
        path,
        watch,
        listFn as any,
        false,
        spec.labelSelector,
      );
      const apply = (deleted: boolean) => (obj: unknown) =>
        this.#apply(spec, obj, deleted);
      informer.on('add', apply(false));
      informer.on('update', apply(false));
      informer.on('delete', apply(true));
      let attempt = 0;
      let retry: NodeJS.Timeout | undefined;
      // Each of these two calls the other: declared first, defined below.
      let recover: () => Promise<void> = async () => undefined;
      const onError = (err: unknown) => {
        if (this.#stopped) return;
        if (spec.optional && kubernetesErrorStatus(err) === 404) {
          // Not installed on this hub: nothing to read, nothing wrong.
          this.#errors.delete(spec.plural);
          this.#synced.add(spec.plural);
          this.#publish();
          return;
        }
        const message = describeKubernetesError(err, {
          url: this.#url,
          resource: spec.plural,
          credential: this.#credential,
        });
        // Log each distinct problem once until the source recovers, not once per resource.
        if (!this.#logged.has(message)) {
          this.#logged.add(message);
          this.#logger.warn(message);
        }
        this.#errors.set(spec.plural, message);
        this.#publish();
        // One retry pending per resource, however many ways the failure was reported.
        if (retry) return;
        retry = setTimeout(() => {
          this.#timers.delete(retry!);
          retry = undefined;
          if (!this.#stopped) void recover();
        }, backoffMs(attempt++, RETRY_CAP_MS));
        this.#timers.add(retry);
      };
      // A restarted informer resumes its watch from the last version without listing, and
      // says nothing when the watch is back: ask the hub once, and only a hub that answers
      // clears the error and gets the informer restarted.
      recover = async () => {
        try {
          await api.listClusterCustomObject({
            group: spec.group,
            version: spec.version,
            plural: spec.plural,
            limit: 1,
            labelSelector: spec.labelSelector,
          });
        } catch (e) {
          onError(e);
          return;
        }
        if (this.#stopped) return;
        attempt = 0;
        this.#errors.delete(spec.plural);
        this.#publish();
        informer.start().catch(onError);
      };
      informer.on('error', onError);
      this.#informers.push(informer);
      informer.start().catch(onError);
    }
  }

  #onListed(spec: ResourceSpec) {
    // ListWatch itself reports objects that vanished during a relist as deletes.
    this.#errors.delete(spec.plural);
    this.#synced.add(spec.plural);
    this.#publish();
  }

  #apply(spec: ResourceSpec, obj: unknown, deleted: boolean) {
    const id = `${spec.plural}/${key(obj)}`;
    // A stub from a list is slim already; its record goes to the store now.
    const stub = isObject(obj) && readAhead.has(obj);
    try {
      spec.apply(this.#store, obj, deleted);
      if (stub) readAhead.delete(obj as object);
      if (this.#malformed.delete(id)) this.#publish();
    } catch (e) {
      if (!deleted && !spec.keepsObject && !stub) slimInformerObject(obj);
      if (!(e instanceof MalformedObjectError)) throw e;
      if (deleted) {
        this.#malformed.delete(id);
      } else {
        this.#malformed.add(id);
        this.#logger.warn(
          `Skipped a malformed ${spec.plural} object from hub ${
            this.#store.hub
          }: ${e.message}`,
        );
      }
      this.#publish();
      return;
    }
    if (!deleted && !spec.keepsObject && !stub) slimInformerObject(obj);
  }

  #publish() {
    const skipped = this.#malformed.size;
    if (this.#errors.size > 0) {
      // Views keep the objects last read; the source says since when reading fails.
      const messages = [...new Set(this.#errors.values())];
      this.#store.setSource('acm', 'error', messages.join('; '), { skipped });
      return;
    }
    if (this.#synced.size < ACM_RESOURCES.length) return;
    if (this.#logged.size) {
      this.#logger.info(`Hub ${this.#store.hub}: ACM resources readable again`);
      this.#logged.clear();
    }
    this.#store.setSource(
      'acm',
      'ok',
      skipped ? `${skipped} malformed object(s) skipped` : undefined,
      { skipped },
    );
  }

  async stop() {
    this.#stopped = true;
    for (const t of this.#timers) clearTimeout(t);
    await Promise.all(
      this.#informers.map(i => i.stop().catch(() => undefined)),
    );
  }
}
