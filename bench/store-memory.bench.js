#!/usr/bin/env node
/* eslint-disable */
// Store memory benchmark: how much memory the backend plugin's fleet stores take when one
// backend process holds several large hubs (3 hubs x 3,500 managed clusters x 20
// applications = 210,000 Argo CD applications by default).
//
// The simulator runs as a child process (its memory is not ours). This process runs, for
// each hub, what the plugin runs: the real sources (ACM list+watch, ACM Search polls on
// the Search thread they share, the hub's Argo CD), one HubStore, and the TopologyService that
// derives each hub's FullTopology (buildTopology with its SummaryCache), asked for every
// hub once every source is ok and again after each store change, as an open view would.
// RSS is sampled every 100 ms from the start of the sources; the kernel's own high-water
// mark (VmHWM) is printed beside the sampled peak. Then a full GC (--expose-gc; the bench
// re-executes itself with it) and the figures after it.
//
// The whole-backend targets (peak RSS <= 1.2 GB, <= 900 MB after a full GC) include the
// Backstage backend itself, about 300 MB with no hubs; this process has no backend around
// the plugin, so the table also shows the plugin's share (RSS minus this process's RSS
// before the stores) and checks it against the targets minus those 300 MB.
//
// Usage: node bench/store-memory.bench.js [--hubs 3] [--clusters 3500] [--apps-per-cluster 20]
//          [--seed 1] [--settle-seconds 20] [--poll-seconds 15] [--tick DURATION] [--json FILE]
// --settle-seconds: how long to keep running after every source is ok (unchanged Search
// polls, Argo CD events, rebuilds), still sampling; --tick is passed to the simulator to make
// the fleet change meanwhile. BENCH_HEAP_SNAPSHOT=FILE writes the main thread's heap at the
// end, for finding where it goes. Exits 0 when the targets pass, 1 when one fails, 2 on an
// error.
'use strict';

if (typeof global.gc !== 'function') {
  const { spawnSync } = require('child_process');
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', ...process.execArgv, __filename, ...process.argv.slice(2)],
    { stdio: 'inherit' },
  );
  process.exit(r.status ?? 2);
}

require('@backstage/cli/config/nodeTransform.cjs');
const fs = require('fs');
const { startSimulatorProcess } = require('./lib/simulatorProcess');
const { ConfigReader } = require('@backstage/config');
const {
  readHubSettings,
} = require('@multicloud-gitops-backstage/plugin-multicloud-gitops-node');
const {
  HubStore,
} = require('../plugins/multicloud-gitops-backend/src/store/HubStore');
const {
  createSources,
} = require('../plugins/multicloud-gitops-backend/src/sources/createSources');
const {
  TopologyService,
} = require('../plugins/multicloud-gitops-backend/src/topology/TopologyService');
// Loaded now so that the code's own memory is in the "before" figures.
require('../plugins/multicloud-gitops-backend/src/sources/searchDiffWorker');
require('../plugins/multicloud-gitops-backend/src/topology/summaries');

const MB = 1024 * 1024;
/** What the Backstage backend takes with no hubs (backend.bench.js measures it). */
const BACKEND_WITHOUT_HUBS_MB = 300;
const TARGET_PEAK_MB = 1200;
const TARGET_AFTER_GC_MB = 900;

function arg(name, def) {
  const i = process.argv.indexOf(name);
  if (i < 0) return def;
  const v = process.argv[i + 1];
  return typeof def === 'number' ? Number(v) : v;
}

const logger = {
  warn: m => process.stderr.write(`warn: ${m}\n`),
  info() {},
  error: m => process.stderr.write(`error: ${m}\n`),
  debug() {},
  child() {
    return this;
  },
};

/** Peak resident set since the process started, as the kernel counts it. */
function vmHwm() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(
      fs.readFileSync('/proc/self/status', 'utf8'),
    );
    return m ? Number(m[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

function fullGc() {
  // Twice: the first pass may leave objects that only die after finalisers ran.
  global.gc();
  global.gc();
}

const sleep = ms => new Promise(r => setTimeout(r, ms));
const fmt = b => `${(b / MB).toFixed(0)} MB`;

async function main() {
  const hubCount = arg('--hubs', 3);
  const clusters = arg('--clusters', 3500);
  const appsPerCluster = arg('--apps-per-cluster', 20);
  const seed = arg('--seed', 1);
  const settleSeconds = arg('--settle-seconds', 20);
  const pollSeconds = arg('--poll-seconds', 15);
  const tick = arg('--tick', undefined);
  const jsonOut = arg('--json', undefined);
  const watchdog = setTimeout(() => {
    console.error('store-memory bench: watchdog fired after 900 s');
    process.exit(2);
  }, 900000);
  watchdog.unref();

  const simArgs = [
    '--hubs',
    hubCount,
    '--clusters',
    clusters,
    '--apps-per-cluster',
    appsPerCluster,
    '--seed',
    seed,
    '--port',
    0,
    '--host',
    '127.0.0.1',
  ];
  if (tick) simArgs.push('--tick', tick);
  const t0 = performance.now();
  const sim = await startSimulatorProcess(simArgs);
  process.on('exit', () => sim.child.kill());
  process.stderr.write(
    `simulator ready in ${(sim.ms / 1000).toFixed(1)} s (pid ${
      sim.child.pid
    })\n`,
  );
  const readyHubs = sim.info.hubs ?? [{ name: 'hub', ...sim.info }];

  const config = new ConfigReader({
    multicloudGitops: {
      hubs: readyHubs.map((h, i) => ({
        name: h.name ?? `hub-${i + 1}`,
        url: h.url,
        serviceAccountToken: h.token,
        skipTLSVerify: true,
        search: {
          url: `${h.url}/searchapi/graphql`,
          pollIntervalSeconds: pollSeconds,
        },
        argocd: [
          {
            name: 'hub-gitops',
            url: h.argocd.url,
            username: h.argocd.username,
            password: h.argocd.password,
          },
        ],
      })),
    },
  });
  const settings = readHubSettings(config);

  fullGc();
  const before = process.memoryUsage();
  let peak = before.rss;
  const sampler = setInterval(() => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  }, 100);

  const hubs = settings.map(s => ({
    settings: s,
    store: new HubStore(s.name),
  }));
  const service = new TopologyService(hubs);
  let rebuilds = 0;
  let rebuildMs = 0;
  const rebuild = hub => {
    const t = performance.now();
    service.full(hub);
    rebuildMs += performance.now() - t;
    rebuilds++;
  };
  const sources = createSources({ hubs, logger });
  const tStart = performance.now();
  sources.start();

  const allOk = () =>
    hubs.every(h => {
      const s = h.store.sources();
      return s.length > 0 && s.every(x => x.state === 'ok');
    });
  let lastLog = 0;
  while (!allOk()) {
    if (performance.now() - tStart > 600000)
      throw new Error(
        `sources not ok after 600 s: ${JSON.stringify(
          hubs.map(h => h.store.sources().map(s => `${s.name}:${s.state}`)),
        )}`,
      );
    if (performance.now() - lastLog > 10000) {
      lastLog = performance.now();
      process.stderr.write(
        `waiting: ${hubs
          .map(
            h =>
              `${h.settings.name} ${h.store
                .sources()
                .map(s => `${s.name}:${s.state}`)
                .join(',')}`,
          )
          .join(' | ')}; rss ${fmt(process.memoryUsage.rss())}\n`,
      );
    }
    await sleep(100);
  }
  const okMs = performance.now() - tStart;
  // The first views, as the first page load after start asks for them.
  for (const h of hubs) rebuild(h.settings.name);
  const okRebuildMs = rebuildMs;
  // Every announced change rebuilds that hub's topology, as the push to an open view does.
  const off = service.onChange(hub => rebuild(hub));
  const tSettle = performance.now();
  while (performance.now() - tSettle < settleSeconds * 1000) await sleep(100);
  off();

  let applications = 0;
  let clusterCount = 0;
  for (const h of hubs) {
    const t = service.full(h.settings.name);
    applications += t.applications.length;
    clusterCount += t.clusters.length;
  }
  clearInterval(sampler);
  const hwm = vmHwm();
  fullGc();
  const after = process.memoryUsage();

  // What the sources' own thread holds (the Search thread's isolate and heap), told apart
  // from the stores: the sources stop (the stores and topologies stay), and GC again.
  await sources.stop();
  await sleep(500);
  fullGc();
  const stopped = process.memoryUsage();
  if (process.env.BENCH_HEAP_SNAPSHOT)
    require('v8').writeHeapSnapshot(process.env.BENCH_HEAP_SNAPSHOT);
  const bytesPerApp = (after.heapUsed - before.heapUsed) / applications;
  const share = b => b - before.rss;
  const peakShareTarget = (TARGET_PEAK_MB - BACKEND_WITHOUT_HUBS_MB) * MB;
  const gcShareTarget = (TARGET_AFTER_GC_MB - BACKEND_WITHOUT_HUBS_MB) * MB;
  const peakPass = share(Math.max(peak, hwm ?? 0)) <= peakShareTarget;
  const gcPass = share(after.rss) <= gcShareTarget;

  console.log(
    `store-memory bench ${new Date()
      .toISOString()
      .slice(
        0,
        16,
      )} UTC: ${hubCount} hub(s) x ${clusters} clusters x ${appsPerCluster} apps; ${clusterCount} clusters and ${applications} applications in the topologies; node ${
      process.version
    }; settled ${settleSeconds} s (${rebuilds} topology builds, ${rebuildMs.toFixed(
      0,
    )} ms in all)`,
  );
  console.log(
    '| measure | this process | plugin share (minus before the stores) | target for the share | PASS/FAIL |',
  );
  console.log('|---|---|---|---|---|');
  console.log(
    `| RSS before the stores (code loaded, after GC) | ${fmt(
      before.rss,
    )} | - | - | - |`,
  );
  console.log(
    `| RSS peak (sampled every 100 ms; kernel high-water mark ${
      hwm ? fmt(hwm) : 'n/a'
    }) | ${fmt(peak)} | ${fmt(share(Math.max(peak, hwm ?? 0)))} | <= ${
      TARGET_PEAK_MB - BACKEND_WITHOUT_HUBS_MB
    } MB (${TARGET_PEAK_MB} MB minus the backend's ${BACKEND_WITHOUT_HUBS_MB} MB) | ${
      peakPass ? 'PASS' : 'FAIL'
    } |`,
  );
  console.log(
    `| RSS after a full GC | ${fmt(after.rss)} | ${fmt(
      share(after.rss),
    )} | <= ${TARGET_AFTER_GC_MB - BACKEND_WITHOUT_HUBS_MB} MB | ${
      gcPass ? 'PASS' : 'FAIL'
    } |`,
  );
  console.log(
    `| heapUsed after a full GC (before the stores: ${fmt(
      before.heapUsed,
    )}) | ${fmt(after.heapUsed)} | ${fmt(
      after.heapUsed - before.heapUsed,
    )} | - | - |`,
  );
  console.log(
    `| RSS after stopping the sources (the Search thread ends) and a full GC | ${fmt(
      stopped.rss,
    )} | ${fmt(share(stopped.rss))} | - | - |`,
  );
  console.log(
    `| V8 heap committed after a full GC (heapTotal) | ${fmt(
      after.heapTotal,
    )} | ${fmt(after.heapTotal - before.heapTotal)} | - | - |`,
  );
  console.log(
    `| external + array buffers after GC | ${fmt(
      after.external + after.arrayBuffers,
    )} | - | - | - |`,
  );
  console.log(
    `| bytes per application (heapUsed after GC minus before, / applications) | ${bytesPerApp.toFixed(
      0,
    )} B | - | - | - |`,
  );
  console.log(
    `| time to every source ok (then the first topology builds: ${okRebuildMs.toFixed(
      0,
    )} ms) | ${(okMs / 1000).toFixed(1)} s | - | - | - |`,
  );
  if (jsonOut)
    fs.writeFileSync(
      jsonOut,
      JSON.stringify(
        {
          hubs: hubCount,
          clusters,
          appsPerCluster,
          applications,
          rssBefore: before.rss,
          heapBefore: before.heapUsed,
          rssPeak: peak,
          vmHwm: hwm,
          rssAfterGc: after.rss,
          rssSourcesStopped: stopped.rss,
          heapAfterGc: after.heapUsed,
          bytesPerApp,
          okMs,
          firstBuildMs: okRebuildMs,
          rebuilds,
          rebuildMs,
        },
        null,
        2,
      ),
    );

  sim.child.kill();
  clearTimeout(watchdog);
  process.exit(peakPass && gcPass ? 0 : 1);
}

main().catch(e => {
  console.error(e);
  process.exit(2);
});
