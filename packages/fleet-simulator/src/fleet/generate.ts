import { HUB } from '../context';
import { Store } from '../store/store';
import { KObject } from '../store/types';
import { typeKey, TYPE } from '../k8s/registry';
import { Prng } from '../util/prng';
import {
  AppDef,
  CLOUDS,
  extraApp,
  GROUP_APPS,
  groupName,
  HUB_RELEASE,
  RELEASES,
  RELEASE_WEIGHTS,
} from './catalog';
import { application, ARGO_NS, drawState, IN_CLUSTER } from './apps';
import {
  clusterUrls,
  ClusterModel,
  ClusterState,
  klusterletAddonConfig,
  makeClusterModel,
  managedCluster,
  managedClusterInfo,
  namespace,
  ts,
} from './clusters';
import {
  appProject,
  clusterSetBindings,
  clusterSets,
  groupGovernance,
  patternCr,
} from './governance';
import { hubWorkloads } from './workloads';
import { renderSeededPattern } from './patternRepo';
import { matchesLabels } from '../k8s/selectors';

export interface FleetOptions {
  clusters: number;
  groups: number;
  appsPerCluster: number;
  seed: number | string;
  pattern: string;
  /** the hub's own cluster name, for several hubs: its URLs and claims carry it */
  hubName?: string;
}

export interface FleetModel {
  pattern: string;
  groups: string[];
  clusters: ClusterModel[];
}

const APP = typeKey(TYPE.application);

/** Name a spoke `<cloud>-<region>-NN` (zero-padded to the fleet's size, at least 2 digits). */
export function spokeName(
  cloud: string,
  region: string,
  index: number,
  total: number,
): string {
  const width = Math.max(2, String(total).length);
  return `${cloud}-${region}-${String(index).padStart(width, '0')}`;
}

export function buildModel(o: FleetOptions): FleetModel {
  const prng = new Prng(o.seed).fork('clusters');
  const groups = Array.from({ length: Math.max(1, o.groups) }, (_, i) =>
    groupName(i),
  );
  const hub = makeClusterModel(
    prng,
    HUB,
    CLOUDS[0],
    'us-east-1',
    HUB_RELEASE,
    'OpenShift',
    'hub',
    'available',
    true,
  );
  if (o.hubName)
    Object.assign(hub, { openshiftName: o.hubName, ...clusterUrls(o.hubName) });
  const clusters: ClusterModel[] = [hub];
  const n = o.clusters;
  // a few spokes are offline: always the 2nd when n >= 3, plus about 2% more
  const unavailable = new Set<number>();
  if (n >= 3) {
    unavailable.add(2);
    const extra = Math.floor(n * 0.02);
    const pick = prng.fork('unavailable');
    while (unavailable.size < 1 + extra) {
      const i = 3 + pick.int(Math.max(1, n - 3));
      if (i < n) unavailable.add(i);
      else break;
    }
  }
  for (let i = 1; i <= n; i++) {
    const cloud = prng.weighted(CLOUDS.map(c => [c, c.weight] as const));
    const region = prng.pick(cloud.regions);
    const release = RELEASES[prng.weighted(RELEASE_WEIGHTS)];
    const product = prng.weighted(cloud.products);
    let state: ClusterState = unavailable.has(i) ? 'unavailable' : 'available';
    if (n >= 3 && i === n) state = 'pending';
    const name = spokeName(cloud.short, region, i, n);
    clusters.push(
      makeClusterModel(
        prng,
        name,
        cloud,
        region,
        release,
        product,
        groups[(i - 1) % groups.length],
        state,
        false,
      ),
    );
  }
  return { pattern: o.pattern, groups, clusters };
}

/** Child apps of a spoke group: the pattern's list, then team apps, capped at appsPerCluster-1. */
export function groupAppDefs(appsPerCluster: number): AppDef[] {
  const want = Math.max(0, appsPerCluster - 1);
  const defs = GROUP_APPS.slice(0, want);
  for (let i = 0; defs.length < want; i++) defs.push(extraApp(i));
  return defs;
}

/** Generate the whole fleet into the store (silently: no watch events for the initial state). */
export function generateFleet(store: Store, o: FleetOptions): FleetModel {
  const model = buildModel(o);
  const prng = new Prng(o.seed).fork('objects');
  const put = (cluster: string, tk: string, obj: KObject) =>
    store.put(cluster, tk, obj, true);
  const NS = typeKey(TYPE.namespace);
  const created = ts(400 * 86400000);

  for (const ns of [
    'default',
    'openshift-gitops',
    'openshift-operators',
    'open-cluster-management',
    'open-cluster-management-global-set',
    'open-cluster-management-hub',
    'multicluster-engine',
    'vault',
    'golang-external-secrets',
    'config-demo',
    'hello-world',
  ]) {
    put(HUB, NS, namespace(ns, prng.uuid(), created));
  }
  for (const c of model.clusters) {
    put(
      HUB,
      NS,
      namespace(c.name, prng.uuid(), c.created, {
        'cluster.open-cluster-management.io/managedCluster': c.name,
      }),
    );
    put(HUB, typeKey(TYPE.managedCluster), managedCluster(c, o.pattern));
    if (c.state !== 'pending')
      put(HUB, typeKey(TYPE.managedClusterInfo), managedClusterInfo(c, prng));
    put(HUB, typeKey(TYPE.klusterletAddonConfig), klusterletAddonConfig(c));
  }
  for (const s of clusterSets(prng))
    put(HUB, typeKey(TYPE.managedClusterSet), s);
  for (const b of clusterSetBindings(prng))
    put(HUB, typeKey(TYPE.managedClusterSetBinding), b);
  for (const g of model.groups) {
    const gov = groupGovernance(prng, o.pattern, g, model.clusters);
    put(HUB, typeKey(TYPE.placement), gov.placement);
    put(HUB, typeKey(TYPE.placementDecision), gov.decision);
    put(HUB, typeKey(TYPE.policy), gov.policy);
    put(HUB, typeKey(TYPE.placementBinding), gov.binding);
    for (const r of gov.replicated) put(HUB, typeKey(TYPE.policy), r);
  }
  put(HUB, typeKey(TYPE.pattern), patternCr(prng, o.pattern, o.hubName));
  for (const p of ['default', 'hub', 'config-demo', 'hello-world'])
    put(HUB, typeKey(TYPE.appProject), appProject(prng, p));

  // the apps come from the values files of the seeded pattern repo, rendered as the
  // clustergroup chart renders a Pattern's repo
  const seeded = renderSeededPattern({
    pattern: o.pattern,
    groups: model.groups,
    groupApps: groupAppDefs(o.appsPerCluster),
  });

  // hub: <pattern>-hub and the apps of values-hub.yaml, destination in-cluster
  const hubCtx = {
    pattern: o.pattern,
    group: 'hub',
    cluster: HUB,
    server: IN_CLUSTER,
  };
  const hubPrng = prng.fork('hub-apps');
  put(
    HUB,
    APP,
    application(
      hubPrng,
      hubCtx,
      undefined,
      seeded.hubApps.map(a => a.name),
      ['Synced', 'Healthy'],
    ),
  );
  for (const def of seeded.hubApps)
    put(
      HUB,
      APP,
      application(hubPrng, hubCtx, def, [], drawState(hubPrng, 0.85)),
    );
  for (const w of hubWorkloads(prng.fork('workloads'), o.hubName))
    put(HUB, w.typeKey, w.object);

  // spokes: <pattern>-<group> and the group's apps, served by the spoke's own Argo CD, on
  // the clusters the group's Placement selects
  for (const c of model.clusters) {
    if (c.isHub || c.state === 'pending') continue;
    // the bucket marks "this cluster runs an Argo CD instance", even with no apps
    store.bucket(c.name, APP, true);
    if (o.appsPerCluster <= 0) continue;
    const labels = store.get(
      HUB,
      typeKey(TYPE.managedCluster),
      undefined,
      c.name,
    )?.metadata.labels;
    const group = seeded.groups.find(g =>
      matchesLabels(g.requirements, labels),
    );
    if (!group) continue;
    const ctx = {
      pattern: o.pattern,
      group: group.name,
      cluster: c.name,
      server: c.apiUrl,
    };
    const p = prng.fork(`apps:${c.name}`);
    put(
      c.name,
      APP,
      application(
        p,
        ctx,
        undefined,
        group.apps.map(d => d.name),
        drawState(p, 0.7),
      ),
    );
    for (const def of group.apps)
      put(c.name, APP, application(p, ctx, def, [], drawState(p)));
  }
  return model;
}

export { ARGO_NS };
