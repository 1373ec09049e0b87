import { HUB, SimContext } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import { KObject, StoreEvent } from '../store/types';
import { Prng } from '../util/prng';
import { application, drawState } from './apps';
import { CLOUDS, RELEASES } from './catalog';
import {
  klusterletAddonConfig,
  makeClusterModel,
  managedCluster,
  managedClusterInfo,
  namespace,
} from './clusters';
import { groupAppDefs } from './generate';
import { setDecision } from './mutate';

/**
 * A small stand-in for the import controller and the klusterlet. A ManagedCluster joins the
 * hub a few seconds after it is created with `hubAcceptsClient: true` and an
 * auto-import-secret in its namespace (auto import), or after a registered cluster that was
 * waiting for acceptance gets `hubAcceptsClient: true`. Manual imports wait for the admin
 * API's `cluster-join`. It then gets conditions, claims and a ManagedClusterInfo; its auto-import-secret is
 * consumed; and, when it carries a `clusterGroup` label, its Argo CD instance starts serving
 * the group's apps. Deleting a ManagedCluster detaches the cluster again.
 */

const MC = typeKey(TYPE.managedCluster);
const MCI = typeKey(TYPE.managedClusterInfo);
const KAC = typeKey(TYPE.klusterletAddonConfig);
const NS = typeKey(TYPE.namespace);
const SECRET = typeKey(TYPE.secret);
const APP = typeKey(TYPE.application);
const KEEP_SECRET =
  'managedcluster-import-controller.open-cluster-management.io/keeping-auto-import-secret';

export const IMPORT_DELAY_MS = 3000;

function waitingToJoin(mc: KObject | undefined): boolean {
  return (
    !!mc &&
    mc.spec?.hubAcceptsClient === true &&
    !(mc.status?.conditions ?? []).length &&
    !mc.metadata.labels?.['local-cluster']
  );
}

export function startImporter(ctx: SimContext): () => void {
  const scheduled = new Set<string>();
  const schedule = (name: string) => {
    if (scheduled.has(name)) return;
    scheduled.add(name);
    ctx.setTimer(() => {
      scheduled.delete(name);
      join(ctx, name);
    }, ctx.options.importDelayMs);
  };
  const hasImportSecret = (name: string) =>
    !!ctx.store.get(HUB, SECRET, name, 'auto-import-secret');
  const listener = (ev: StoreEvent) => {
    if (ev.cluster !== HUB) return;
    // auto-import: the secret may come before or after the ManagedCluster
    if (
      ev.typeKey === SECRET &&
      ev.type === 'ADDED' &&
      ev.object.metadata.name === 'auto-import-secret'
    ) {
      const ns = ev.object.metadata.namespace!;
      if (waitingToJoin(ctx.store.get(HUB, MC, undefined, ns))) schedule(ns);
      return;
    }
    if (ev.typeKey !== MC) return;
    const name = ev.object.metadata.name!;
    if (ev.type === 'DELETED') {
      ctx.setTimer(() => detach(ctx, name), 0);
      return;
    }
    if (!waitingToJoin(ev.object)) return;
    // a registered klusterlet waiting for acceptance joins once the hub accepts it
    const accepted =
      ev.type === 'MODIFIED' && ev.previous?.spec?.hubAcceptsClient !== true;
    // manual import (no auto-import-secret) waits for someone to run the import on the spoke
    if (accepted || hasImportSecret(name)) schedule(name);
  };
  return ctx.store.subscribe(listener);
}

/** Join now (also the admin API's `cluster-join`, standing in for a manual import). */
export function join(ctx: SimContext, name: string): boolean {
  const mc = ctx.store.get(HUB, MC, undefined, name);
  if (!waitingToJoin(mc)) return false;
  const labels = mc!.metadata.labels ?? {};
  const prng = new Prng(`${ctx.options.seed}:import:${name}`);
  // cloud: the label when it is set, else guessed from the name, else the first cloud
  const cloud =
    CLOUDS.find(c => c.label === labels.cloud) ??
    CLOUDS.find(c => name.startsWith(`${c.short}-`)) ??
    CLOUDS[0];
  const region = cloud.regions.find(r => name.includes(r)) ?? cloud.regions[0];
  const model = makeClusterModel(
    prng,
    name,
    cloud,
    region,
    prng.pick(RELEASES),
    'OpenShift',
    labels.clusterGroup ?? '',
    'available',
    false,
  );
  const secret = ctx.store.get(HUB, SECRET, name, 'auto-import-secret');
  const server: string | undefined =
    secret?.stringData?.server ??
    (secret?.data?.server
      ? Buffer.from(secret.data.server, 'base64').toString()
      : undefined);
  if (server) model.apiUrl = server;
  const generated = managedCluster(model, ctx.options.pattern);
  const next: KObject = JSON.parse(JSON.stringify(mc));
  const detected = { ...generated.metadata.labels };
  if (!labels.clusterGroup) delete detected.clusterGroup;
  next.metadata.labels = { ...detected, ...labels };
  // "auto-detect" is replaced by what the klusterlet reports
  if (labels.cloud === undefined || labels.cloud === 'auto-detect')
    next.metadata.labels.cloud = detected.cloud;
  if (labels.vendor === undefined || labels.vendor === 'auto-detect')
    next.metadata.labels.vendor = detected.vendor;
  next.spec.managedClusterClientConfigs = next.spec.managedClusterClientConfigs
    ?.length
    ? next.spec.managedClusterClientConfigs
    : generated.spec.managedClusterClientConfigs;
  model.apiUrl = next.spec.managedClusterClientConfigs[0].url;
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  next.status = {
    ...generated.status,
    conditions: (generated.status.conditions as any[]).map(c => ({
      ...c,
      lastTransitionTime: now,
    })),
  };
  ctx.store.put(HUB, MC, next);
  if (!ctx.store.get(HUB, NS, undefined, name)) {
    ctx.store.put(
      HUB,
      NS,
      namespace(name, prng.uuid(), now, {
        'cluster.open-cluster-management.io/managedCluster': name,
      }),
    );
  }
  const info = managedClusterInfo({ ...model, created: now }, prng);
  info.metadata.labels = { ...info.metadata.labels, ...next.metadata.labels };
  ctx.store.put(HUB, MCI, info);
  if (!ctx.store.get(HUB, KAC, name, name))
    ctx.store.put(HUB, KAC, klusterletAddonConfig({ ...model, created: now }));
  if (secret && !mc!.metadata.annotations?.[KEEP_SECRET])
    ctx.store.remove(HUB, SECRET, name, 'auto-import-secret');

  // the klusterlet's Argo CD: the group's app-of-apps and apps, when the cluster is in a group
  ctx.store.bucket(name, APP, true);
  const group = next.metadata.labels.clusterGroup;
  if (group && group !== 'hub' && ctx.options.appsPerCluster > 0) {
    const appCtx = {
      pattern: ctx.options.pattern,
      group,
      cluster: name,
      server: model.apiUrl,
    };
    const defs = groupAppDefs(ctx.options.appsPerCluster);
    ctx.store.put(
      name,
      APP,
      application(
        prng,
        appCtx,
        undefined,
        defs.map(d => d.name),
        ['Synced', 'Healthy'],
      ),
    );
    for (const def of defs)
      ctx.store.put(
        name,
        APP,
        application(prng, appCtx, def, [], drawState(prng, 0.9)),
      );
    setDecision(ctx, group, name, true);
  }
  ctx.log(`import: ${name} joined the hub${group ? ` (group ${group})` : ''}`);
  return true;
}

function detach(ctx: SimContext, name: string) {
  if (ctx.store.get(HUB, MC, undefined, name)) return; // re-created meanwhile
  ctx.store.remove(HUB, MCI, name, name);
  ctx.store.remove(HUB, KAC, name, name);
  const buckets = ctx.store.clusters.get(name);
  if (buckets) {
    for (const [tk, b] of buckets)
      for (const o of [...b.objects.values()])
        ctx.store.remove(name, tk, o.metadata.namespace, o.metadata.name!);
    ctx.store.clusters.delete(name);
  }
  for (const pd of ctx.store.list(HUB, typeKey(TYPE.placementDecision))) {
    const group = pd.metadata.labels?.[
      'cluster.open-cluster-management.io/placement'
    ]?.replace(/-placement$/, '');
    if (
      group &&
      (pd.status?.decisions ?? []).some((d: any) => d.clusterName === name)
    )
      setDecision(ctx, group, name, false);
  }
}
