import { HUB, SimContext } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import { objectKey } from '../store/store';
import { KObject } from '../store/types';
import { compareStrings } from '../util/compare';
import { Prng } from '../util/prng';
import { applyAppHealth, appWorkloads } from '../fleet/workloads';

/**
 * The workloads a managed cluster runs, as its kube-apiserver would list them through the
 * cluster proxy. They are made on first request, per application, and kept until the
 * application changes: a 3,500-cluster fleet costs nothing until someone asks for a cluster.
 * The list of applications is read from the store on every request, so an application that
 * leaves a cluster (or a cluster that leaves the fleet) takes its workloads with it.
 */

const APP = typeKey(TYPE.application);
const MC = typeKey(TYPE.managedCluster);
export const POD_METRICS = 'pods.metrics.k8s.io';
const DEPLOYMENTS = 'deployments.apps';
const DEFAULT_IMAGE = 'ubi9/httpd-24:latest';
/** replicas of the pattern's example apps, as on the hub; other apps draw theirs */
const REPLICAS: Record<string, number> = { 'config-demo': 2, 'hello-world': 1 };

interface AppWorkloads {
  /** the application's resourceVersion the workloads were made for */
  rv: string;
  byType: Map<string, KObject[]>;
}

type ClusterCache = Map<string, AppWorkloads>;

const caches = new WeakMap<SimContext, Map<string, ClusterCache>>();

function cacheOf(ctx: SimContext): Map<string, ClusterCache> {
  let c = caches.get(ctx);
  if (!c) {
    const made = new Map<string, ClusterCache>();
    c = made;
    caches.set(ctx, made);
    // a deleted ManagedCluster's workloads would otherwise stay in memory until asked for
    ctx.store.subscribe(ev => {
      if (ev.cluster === HUB && ev.typeKey === MC && ev.type === 'DELETED')
        made.delete(ev.object.metadata.name!);
    });
  }
  return c;
}

/** An application that runs pods: Argo CD lists a Deployment among its resources. */
function runsDeployment(app: KObject): boolean {
  const resources = app.status?.resources;
  return (
    Array.isArray(resources) &&
    resources.some((r: any) => r?.kind === 'Deployment' && r?.group === 'apps')
  );
}

function makeAppWorkloads(
  ctx: SimContext,
  cluster: string,
  region: string | undefined,
  app: KObject,
): AppWorkloads {
  const name = app.metadata.name!;
  const namespace: string = app.spec?.destination?.namespace || name;
  const rv = app.metadata.resourceVersion ?? '';
  const byType = new Map<string, KObject[]>();
  const health = app.status?.health?.status;
  // Argo CD's Missing: the app's resources do not exist on the cluster
  if (health !== 'Missing') {
    const prng = new Prng(ctx.options.seed)
      .fork('cluster-proxy')
      .fork(`${cluster}/${namespace}/${name}`);
    const replicas = REPLICAS[name] ?? 1 + prng.fork('replicas').int(3);
    const image = app.status?.summary?.images?.[0] ?? DEFAULT_IMAGE;
    const workloads = appWorkloads(prng, name, image, replicas, 8080, {
      namespace,
      cluster,
      region,
    });
    applyAppHealth(workloads, health ?? 'Healthy');
    for (const w of workloads) {
      w.object.metadata.resourceVersion = rv;
      const list = byType.get(w.typeKey) ?? [];
      list.push(w.object);
      byType.set(w.typeKey, list);
    }
  }
  return { rv, byType };
}

/**
 * Objects of one type on a cluster, in key order: what the store holds for it (the hub's own
 * workloads, or objects loaded from a `clusters/<name>/` fixture) plus the workloads of its
 * applications. A stored object wins over a generated one of the same namespace and name.
 */
export function clusterObjects(
  ctx: SimContext,
  cluster: string,
  storeCluster: string,
  region: string | undefined,
  tk: string,
): KObject[] {
  if (tk === POD_METRICS) {
    return clusterObjects(ctx, cluster, storeCluster, region, 'pods')
      .filter(isReady)
      .map(p => podMetrics(ctx, p));
  }
  const byKey = new Map<string, KObject>();
  const all = cacheOf(ctx);
  const cached = all.get(cluster);
  const next: ClusterCache = new Map();
  const stored = ctx.store.bucket(storeCluster, DEPLOYMENTS);
  for (const app of ctx.store.list(storeCluster, APP)) {
    if (!runsDeployment(app)) continue;
    const ns = app.spec?.destination?.namespace || app.metadata.name!;
    // the hub generator (or a fixture) already put this app's Deployment in the store
    if (stored?.objects.has(objectKey(ns, app.metadata.name!))) continue;
    const key = objectKey(app.metadata.namespace, app.metadata.name!);
    let entry = cached?.get(key);
    if (!entry || entry.rv !== app.metadata.resourceVersion)
      entry = makeAppWorkloads(ctx, cluster, region, app);
    next.set(key, entry);
    for (const o of entry.byType.get(tk) ?? [])
      byKey.set(objectKey(o.metadata.namespace, o.metadata.name!), o);
  }
  all.set(cluster, next);
  for (const o of ctx.store.list(storeCluster, tk))
    byKey.set(objectKey(o.metadata.namespace, o.metadata.name!), o);
  return [...byKey.keys()].sort(compareStrings).map(k => byKey.get(k)!);
}

function isReady(pod: KObject): boolean {
  return (pod.status?.conditions ?? []).some(
    (c: any) => c.type === 'Ready' && c.status === 'True',
  );
}

/** metrics-server's view of a running pod: usage drawn from the pod's uid, so it is stable. */
function podMetrics(ctx: SimContext, pod: KObject): KObject {
  const prng = new Prng(pod.metadata.uid ?? pod.metadata.name!);
  const now = ctx.now().replace(/\.\d+Z$/, 'Z');
  return {
    kind: 'PodMetrics',
    apiVersion: 'metrics.k8s.io/v1beta1',
    metadata: {
      name: pod.metadata.name,
      namespace: pod.metadata.namespace,
      creationTimestamp: now,
      labels: pod.metadata.labels,
    },
    timestamp: now,
    window: '20.045s',
    containers: (pod.spec?.containers ?? []).map((c: any) => ({
      name: c.name,
      usage: {
        cpu: `${1000000 + prng.int(40000000)}n`,
        memory: `${20000 + prng.int(80000)}Ki`,
      },
    })),
  };
}
