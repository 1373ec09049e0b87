#!/usr/bin/env node
/*
 * The GitOps loop at fleet scale, on the example portal with the simulator's DEFAULT patterns
 * poll (10 s): how long from onboard-team's submit until the new application is Synced at
 * the pushed commit on every cluster of a 50-cluster group, and whether a commit that changes
 * one application changes only that application's records, in the simulator's store (each
 * Application's resourceVersion) and in the backend's (every answer of the System's
 * topology while the change goes through).
 *
 *   node bench/gitops-loop.bench.js [--clusters 50]
 *
 * Ports 7077 (portal) and 7078 (simulator). Prints one table; exits 1 when a target fails.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { guestToken } = require('../e2e/portal');
const { api, eventually } = require('../e2e/tests');
const {
  startExampleBackend,
  writeConfig,
  hubClient,
  runTemplate,
  onboardTeam,
  push,
  mainOf,
} = require('../e2e/gitops-loop');

const PORT = 7077;
const args = process.argv.slice(2);
const CLUSTERS = Number(
  args.includes('--clusters') ? args[args.indexOf('--clusters') + 1] : 50,
);
const PATTERN = 'multicloud-gitops';
const GROUP = 'group-one';
const TARGET_MS = 20000;
const hub = hubClient(PORT);
/** The portal of this run, so the watchdog can stop it too. */
let running;

/** Every Application on a cluster's Argo CD, by `<cluster>/<name>`. */
async function argoApps(clusters) {
  const out = new Map();
  await Promise.all(
    clusters.map(async c => {
      const r = await hub(`/argocd/${c}/api/v1/applications`);
      for (const a of r.body.items ?? []) out.set(`${c}/${a.metadata.name}`, a);
    }),
  );
  return out;
}

async function groupClusters() {
  const r = await hub(
    `/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=clusterGroup%3D${GROUP}`,
  );
  return r.body.items
    .filter(m =>
      m.status?.conditions?.some(
        c =>
          c.type === 'ManagedClusterConditionAvailable' && c.status === 'True',
      ),
    )
    .map(m => m.metadata.name)
    .sort();
}

/** Until `app` runs at `commit`, Synced, on every cluster; resolves with the time it did. */
async function syncedEverywhere(clusters, app, commit, timeoutMs = 120000) {
  let left = [...clusters];
  const t0 = Date.now();
  while (left.length) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`${app} not Synced at ${commit} on ${left.join(', ')}`);
    const done = await Promise.all(
      left.map(async c => {
        const r = await hub(`/argocd/${c}/api/v1/applications/${app}`);
        const sync = r.body.status?.sync;
        // a multi-source application (the app of apps) reports one revision per source
        return (
          sync?.status === 'Synced' &&
          (sync.revision ?? sync.revisions?.[0]) === commit
        );
      }),
    );
    left = left.filter((_, i) => !done[i]);
    if (left.length) await new Promise(r => setTimeout(r, 200));
  }
  return Date.now();
}

/** Watches the System's topology answers; collects each application that changed. */
function watchBackend(ctx) {
  const changed = new Set();
  let last;
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const r = await api(
        ctx,
        `/api/multicloud-gitops/v1/entity-topology?entityRef=system:default/${PATTERN}`,
      ).catch(e => ({ body: {}, error: e }));
      if (r.error) throw r.error;
      const now = new Map(
        (r.body.applications ?? []).map(a => [
          `${a.cluster}/${a.namespace}/${a.name}`,
          JSON.stringify(a),
        ]),
      );
      if (last)
        for (const k of new Set([...now.keys(), ...last.keys()]))
          if (now.get(k) !== last.get(k)) changed.add(k);
      last = now;
      await new Promise(res => setTimeout(res, 300));
    }
  })();
  // a failed answer ends the watch; stop() reports it
  const ended = loop.then(
    () => undefined,
    e => e,
  );
  return {
    changed,
    latest: () => last,
    stop: async () => {
      stopped = true;
      const e = await ended;
      if (e) throw e;
    },
  };
}

async function main() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-gitops-bench-'));
  const ctx = { tmp, repos: path.join(tmp, 'repos') };
  process.stderr.write(
    `Starting the example portal with ${CLUSTERS} clusters in one group...\n`,
  );
  const portal = await startExampleBackend(
    PORT,
    writeConfig(tmp, {
      port: PORT,
      // the simulator's default patterns poll (10 s) and the backend's Search poll
      simulator: { clusters: CLUSTERS, groups: 1, appsPerCluster: 4 },
    }),
  );
  const { url } = portal;
  running = portal;
  const rows = [];
  try {
    ctx.url = url;
    ctx.token = await guestToken(url);
    const clusters = await groupClusters();
    const all = ['local-cluster', ...clusters];
    // the seeded Pattern converges once to the local repository's first commit
    const seededCommit = mainOf(ctx, PATTERN);
    await syncedEverywhere(clusters, `${PATTERN}-${GROUP}`, seededCommit);
    await syncedEverywhere(all, 'config-demo', seededCommit);
    await eventually(
      async () =>
        (
          await api(
            ctx,
            '/api/catalog/entities/by-name/template/default/onboard-team',
          )
        ).status === 200,
      60000,
      'the templates in the catalog',
    );

    // 1. onboard-team: submit -> Synced at the pushed commit on every cluster of the group
    const t0 = Date.now();
    await runTemplate(ctx, 'onboard-team', onboardTeam(PATTERN, GROUP, 'pos'));
    const submitted = Date.now() - t0;
    const pushed = mainOf(ctx, PATTERN);
    const syncedMs = (await syncedEverywhere(clusters, 'pos', pushed)) - t0;
    rows.push({
      what: `onboard-team submit -> pos Synced at the pushed commit on all ${clusters.length} clusters of ${GROUP} (task done in ${submitted} ms)`,
      value: `${(syncedMs / 1000).toFixed(1)} s`,
      target: `<= ${TARGET_MS / 1000} s`,
      pass: syncedMs <= TARGET_MS,
    });
    // what the portal shows: the backend reads spokes through ACM Search, polled
    const shownMs =
      (await eventually(
        async () => {
          const r = await api(
            ctx,
            `/api/multicloud-gitops/v1/entity-topology?entityRef=system:default/${PATTERN}`,
          );
          const pos = (r.body.applications ?? []).filter(
            a => a.name === 'pos' && a.sync === 'Synced',
          );
          return pos.length >= clusters.length ? Date.now() : undefined;
        },
        120000,
        'the portal to show pos on every cluster',
      )) - t0;
    rows.push({
      what: `... and Synced on all of them in the portal (backend, after its Search poll)`,
      value: `${(shownMs / 1000).toFixed(1)} s`,
      target: '-',
    });

    // 2. a commit that changes one application's chart folder
    const before = await argoApps(all);
    const watcher = watchBackend(ctx);
    // the watcher's first answer is the baseline
    await eventually(async () => !!watcher.latest(), 30000, 'a first answer');
    const chart = push(
      ctx,
      PATTERN,
      {
        'charts/all/config-demo/Chart.yaml':
          'apiVersion: v2\nname: config-demo\nversion: 0.1.1\n',
      },
      'config-demo 0.1.1',
    );
    await syncedEverywhere(all, 'config-demo', chart);
    // the backend has seen config-demo go through and come back Synced on every cluster
    await eventually(
      async () => {
        const latest = watcher.latest();
        const demo = [...latest.values()]
          .map(v => JSON.parse(v))
          // the clusters the group deploys to (unavailable ones keep what they had)
          .filter(a => a.name === 'config-demo' && all.includes(a.cluster));
        const seen = [...watcher.changed].some(k => k.endsWith('/config-demo'));
        const on = new Set(demo.map(a => a.cluster));
        const notYet = demo.filter(
          a => a.sync !== 'Synced' || a.health !== 'Healthy',
        );
        if (!seen || on.size < all.length || notYet.length)
          throw new Error(
            `changed seen: ${seen}, on ${on.size} of ${
              all.length
            } clusters, not yet: ${notYet
              .slice(0, 3)
              .map(a => `${a.cluster} ${a.sync}/${a.health}`)
              .join(', ')}`,
          );
        return true;
      },
      120000,
      'the backend to show config-demo Synced again',
    );
    await watcher.stop();
    const after = await argoApps(all);
    const simChanged = [...after.keys()].filter(
      k =>
        before.get(k)?.metadata.resourceVersion !==
        after.get(k).metadata.resourceVersion,
    );
    const others = simChanged.filter(k => !k.endsWith('/config-demo'));
    const demoChanged = simChanged.length - others.length;
    rows.push({
      what: `one app's chart changed: Applications rewritten in the simulator (${after.size} in all)`,
      value: `${demoChanged} config-demo, ${others.length} other${
        others.length ? ` (${others.slice(0, 3).join(', ')})` : ''
      }`,
      target: `${all.length} config-demo, 0 other`,
      pass: demoChanged === all.length && others.length === 0,
    });
    const backendOthers = [...watcher.changed].filter(
      k => !k.endsWith('/config-demo'),
    );
    rows.push({
      what: `... application records that changed in the backend's answers while it went through`,
      value: `${watcher.changed.size - backendOthers.length} config-demo, ${
        backendOthers.length
      } other${
        backendOthers.length ? ` (${backendOthers.slice(0, 3).join(', ')})` : ''
      }`,
      target: '0 other',
      pass: backendOthers.length === 0 && watcher.changed.size > 0,
    });
  } finally {
    await portal.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const w = Math.max(...rows.map(r => r.what.length));
  process.stdout.write(
    `\n${'measure'.padEnd(w)} | value | target | result\n${'-'.repeat(
      w,
    )}-|-------|--------|-------\n`,
  );
  for (const r of rows)
    process.stdout.write(
      `${r.what.padEnd(w)} | ${r.value} | ${r.target} | ${
        r.pass === undefined ? '-' : r.pass ? 'PASS' : 'FAIL'
      }\n`,
    );
  process.exit(rows.some(r => r.pass === false) ? 1 : 0);
}

// Never hang: a watchdog.
setTimeout(() => {
  process.stderr.write('gitops-loop bench: gave up after 10 minutes\n');
  Promise.resolve(running?.stop()).finally(() => process.exit(2));
}, 600000).unref();

main().catch(e => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(2);
});
