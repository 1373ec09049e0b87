#!/usr/bin/env node
/* eslint-disable */
// Backend benchmark: our multicloud-gitops backend plugin and the peer
// @backstage-community/plugin-ocm-backend, both reading ONE fleet simulator with 2,000 clusters x
// 20 apps, in one run. It prints one table (metric | ours | peer | ratio peer/ours | target |
// result) and writes the figures to .ci-out/bench-backend.json.
//
//   node bench/backend.bench.js [--clusters N] [--apps-per-cluster N] [--requests N]
//
// - The simulator runs in this process; our plugin (bench/ours-backend, with a static catalog)
//   and the peer each run in a backend process of their own, created with createBackend(), so
//   their RSS compare like for like. The load generator (lib/closedLoop.js) runs in a worker
//   thread, so reading answers does not slow the simulator. With wrk installed, fast endpoints
//   are loaded by wrk (lib/wrkLoad.js); p50/p95 are then the latencies the closed-loop clients
//   saw, like the Node client's, and wrk's own coordinated-omission-corrected p95 is printed
//   beside them (lib/wrkLatency.js explains the difference).
// - The peer's backend (bench/peer-ocm, a child process) is installed on first use with
//   `npm install --prefix bench/peer-ocm` (not a workspace).
// - Only 127.0.0.1 is ever called. Every loop is bounded in count and time, a watchdog ends the
//   run after 420 s, and everything started here is stopped, on failure too.
'use strict';

const http = require('http');
const { closedLoop, pct } = require('./lib/closedLoop');
const { wrkLoad, wrkVersion } = require('./lib/wrkLoad');
const { withMachineFigures } = require('./lib/machine');

// ---------------------------------------------------------------------------------------------
// Main thread
const path = require('path');
const fs = require('fs');
const net = require('net');
const os = require('os');
const { spawn, spawnSync } = require('child_process');

const ROOT = path.resolve(__dirname, '..');
const PEER_DIR = path.join(__dirname, 'peer-ocm');
const OUT = path.join(ROOT, '.ci-out', 'bench-backend.json');
const HARD_LIMIT_MS = 420000;

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const CLUSTERS = arg('--clusters', 2000);
const APPS = arg('--apps-per-cluster', 20);
const REQUESTS = arg('--requests', 1000);

const log = (...a) =>
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}]`, ...a);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => pct(xs, 50);
const MB = b => b / 1048576;

// --- things to stop ---------------------------------------------------------------------------
const running = {
  sim: undefined,
  backend: undefined,
  peer: undefined,
  ours: undefined,
  sse: undefined,
  workers: new Set(),
  wrk: new Set(),
};

function killChildrenSync() {
  for (const p of [running.peer, running.ours]) {
    if (p && p.exitCode === null && p.signalCode === null) {
      try {
        p.kill('SIGKILL');
      } catch {}
    }
  }
}
process.on('exit', killChildrenSync);

async function stopChild(which) {
  const p = running[which];
  if (!p) return;
  running[which] = undefined;
  if (p.exitCode !== null || p.signalCode !== null) return;
  const exited = new Promise(r => p.once('exit', r));
  p.kill('SIGTERM');
  const t = setTimeout(() => p.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(t);
}

async function cleanup() {
  for (const w of running.workers) await w.terminate().catch(() => {});
  running.workers.clear();
  for (const c of running.wrk) c.kill('SIGKILL');
  running.wrk.clear();
  if (running.sse) running.sse.destroy();
  running.sse = undefined;
  await stopChild('peer').catch(e => log('stopping the peer:', e.message));
  await stopChild('ours').catch(e => log('stopping our backend:', e.message));
  if (running.sim) {
    const s = running.sim;
    running.sim = undefined;
    await Promise.race([s.stop(), sleep(5000)]).catch(e =>
      log('stopping the simulator:', e.message),
    );
  }
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    log(`${sig}: stopping everything`);
    cleanup().finally(() => process.exit(130));
  });
}

// --- helpers ----------------------------------------------------------------------------------
function load(options) {
  return closedLoop(options, (w, started) =>
    started ? running.workers.add(w) : running.workers.delete(w),
  );
}

// Latency runs use wrk when Debian's package is there (`apt-get install wrk`), unless
// --node-load: on 2 cores the Node client costs the server CPU it would otherwise have.
const WRK = process.argv.includes('--node-load') ? undefined : wrkVersion();
const LOAD_SECONDS = arg('--seconds', 3);
// 32-client runs are repeated in rounds, each round measuring both floors and both views
// back to back, so that all four see the same machine (see lib/machine.js).
const ROUNDS = arg('--rounds', 5);

/** One load run; with `pid`, also the backend's CPU ms per request and the machine's steal. */
async function measure(options, pid) {
  const r = await withMachineFigures(
    () =>
      WRK
        ? wrkLoad(
            { ...options, durationMs: LOAD_SECONDS * 1000 },
            (c, started) =>
              started ? running.wrk.add(c) : running.wrk.delete(c),
          )
        : load(options),
    pid,
  );
  // wrk stops at its deadline with requests in flight; the server finishes them (and the
  // peer's make upstream calls) after it exits. Let them drain before the next phase counts.
  if (WRK) await sleep(1500);
  return r;
}

/** Rounds of one measurement folded into one: medians of p50, p95 and CPU, and each round. */
function foldRounds(runs) {
  const med = k => median(runs.map(x => x[k]).filter(Number.isFinite));
  return {
    n: runs.reduce((s, x) => s + x.n, 0),
    ok: runs.reduce((s, x) => s + x.ok, 0),
    p50: med('p50'),
    p95: med('p95'),
    p95Corrected: med('p95Corrected'),
    max: Math.max(...runs.map(x => x.max)),
    meanBytes: runs[0].meanBytes,
    cpuMsPerRequest: med('cpuMsPerRequest'),
    stealPct: med('stealPct'),
    concurrency: runs[0].concurrency,
    rounds: runs.map(x => ({
      n: x.n,
      p50: x.p50,
      p95: x.p95,
      p95Corrected: x.p95Corrected,
      cpuMsPerRequest: x.cpuMsPerRequest,
      stealPct: x.stealPct,
    })),
  };
}

async function getJson(url, headers = {}, method = 'GET', body) {
  const res = await fetch(url, {
    method,
    headers: {
      ...headers,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(60000),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  if (!res.ok)
    throw new Error(`${method} ${url}: ${res.status} ${text.slice(0, 300)}`);
  return json;
}

async function until(what, fn, timeoutMs, everyMs = 250) {
  const t0 = Date.now();
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs)
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${
          last ? `: ${last.message}` : ''
        }`,
      );
    await sleep(everyMs);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function gcNow() {
  // exposes gc() without a command-line flag, so `node bench/backend.bench.js` is enough
  try {
    require('v8').setFlagsFromString('--expose-gc');
    const gc = require('vm').runInNewContext('gc');
    gc();
    gc();
  } catch {}
}

function procRss(pid) {
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = k =>
    Number((new RegExp(`${k}:\\s+(\\d+)`).exec(s) || [])[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

/**
 * Starts a Backstage backend in a process of its own (ours or the peer), with a config file
 * (JSON is YAML) that is removed once it is up. Resolves when it prints `readyText`.
 */
async function startBackendProcess({ which, script, cwd, config, readyText }) {
  const cfg = path.join(os.tmpdir(), `bench-${which}-${process.pid}.yaml`);
  fs.writeFileSync(cfg, JSON.stringify(config, null, 2));
  // BENCH_NODE_ARGS, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof', profiles both backends.
  const extra = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(
    process.execPath,
    ['--expose-gc', ...extra, script, '--config', cfg],
    {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    },
  );
  running[which] = child;
  let stderr = '';
  child.stderr.on('data', d => (stderr = (stderr + d).slice(-20000)));
  try {
    await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(
        () =>
          reject(new Error(`${which} did not start within 90 s:\n${stderr}`)),
        90000,
      );
      child.stdout.on('data', d => {
        out += d;
        if (out.includes(readyText)) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.once('exit', code => {
        clearTimeout(timer);
        reject(new Error(`${which} exited with ${code}:\n${stderr}`));
      });
    });
  } finally {
    fs.rmSync(cfg, { force: true });
  }
  let out = '';
  child.stdout.on('data', d => (out = (out + d).slice(-1000)));
  // BENCH_CHILD_LOG=DIR keeps each backend's output (with BENCH_NODE_ARGS='--trace-gc', its GCs).
  if (process.env.BENCH_CHILD_LOG) {
    const file = path.join(
      process.env.BENCH_CHILD_LOG,
      `${which}-${child.pid}.log`,
    );
    fs.mkdirSync(process.env.BENCH_CHILD_LOG, { recursive: true });
    const sink = fs.createWriteStream(file);
    child.stdout.on('data', d => sink.write(d));
    child.stderr.on('data', d => sink.write(d));
    child.once('exit', () => sink.end());
  }
  /** RSS as the OS sees it, then after a full GC in the child (SIGUSR2, see its script). */
  const memory = async () => {
    const before = procRss(child.pid);
    const marks = (out.match(/gc done/g) || []).length;
    child.kill('SIGUSR2');
    for (
      let i = 0;
      i < 50 && (out.match(/gc done/g) || []).length === marks;
      i++
    )
      await sleep(100);
    await sleep(300);
    return {
      rss: before.rss,
      peak: before.peak,
      afterGc: procRss(child.pid).rss,
    };
  };
  return { child, stderr: () => stderr, memory };
}

/** The backend part of a config: port, in-memory database, a static token for the bench. */
function backendConfig(port, staticToken) {
  return {
    app: { baseUrl: `http://127.0.0.1:${port}` },
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: staticToken, subject: 'bench' } },
        ],
      },
    },
  };
}

// The peer's own folder: not a workspace (root workspaces are packages/* and plugins/*).
function ensurePeerInstalled() {
  const marker = path.join(
    PEER_DIR,
    'node_modules',
    '@backstage-community',
    'plugin-ocm-backend',
    'package.json',
  );
  if (fs.existsSync(marker)) return { installed: false, ms: 0 };
  log('installing the peer into bench/peer-ocm (first run only) ...');
  const t0 = Date.now();
  const r = spawnSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    [
      'install',
      '--prefix',
      PEER_DIR,
      '--no-audit',
      '--no-fund',
      '--legacy-peer-deps',
    ],
    { cwd: PEER_DIR, stdio: ['ignore', 'inherit', 'inherit'], timeout: 240000 },
  );
  if (r.status !== 0 || !fs.existsSync(marker))
    throw new Error(
      `npm install --prefix bench/peer-ocm failed (exit ${r.status})`,
    );
  return { installed: true, ms: Date.now() - t0 };
}

// --- simulator admin --------------------------------------------------------------------------
const admin = (sim, p, body, method = 'POST') =>
  getJson(
    `${sim.url}/_simulator/${p}`,
    { authorization: `Bearer ${sim.token}` },
    method,
    body,
  );

const UPSTREAM = [
  'k8s.list',
  'k8s.watch',
  'k8s.get',
  'k8s.write',
  'k8s.discovery',
  'search',
  'argocd.session',
  'argocd.list',
  'argocd.get',
  'argocd.sync',
  'argocd.stream',
  'argocd.other',
];
const upstreamTotal = c => UPSTREAM.reduce((n, k) => n + (c[k] || 0), 0);
const nonZero = c =>
  Object.fromEntries(UPSTREAM.filter(k => c[k]).map(k => [k, c[k]]));

// Wait until no Search request has come for `quietMs` (a Search poll of our plugin is a burst of
// paged queries every 15 s): the next window then sits between two polls.
async function afterSearchPoll(sim, quietMs = 1500, capMs = 25000) {
  await admin(sim, 'counters/reset');
  const t0 = Date.now();
  let seen = 0;
  let lastChange = Date.now();
  while (Date.now() - t0 < capMs) {
    await sleep(200);
    const c = await admin(sim, 'counters', undefined, 'GET');
    if (c.search !== seen) {
      seen = c.search;
      lastChange = Date.now();
    } else if (seen > 0 && Date.now() - lastChange >= quietMs) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
async function main() {
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    loadAverageAtStart: os.loadavg().map(x => Number(x.toFixed(2))),
    fleet: { clusters: CLUSTERS, appsPerCluster: APPS },
    load: WRK
      ? `wrk ${WRK}, 1 thread, ${LOAD_SECONDS} s a run (the peer's full /status: the Node client)`
      : 'the Node client (lib/closedLoop.js), 1,000 requests a run',
    rounds: ROUNDS,
    ours: {},
    peer: {},
  };

  const peerInstall = ensurePeerInstalled();
  results.peer.install = peerInstall;
  const peerPkg = require(path.join(
    PEER_DIR,
    'node_modules/@backstage-community/plugin-ocm-backend/package.json',
  ));
  const peerDefaults = require(path.join(
    PEER_DIR,
    'node_modules/@backstage/backend-defaults/package.json',
  ));
  results.peer.package = `${peerPkg.name}@${peerPkg.version}`;
  results.peer.backendDefaults = peerDefaults.version;

  const watchdog = setTimeout(() => {
    log(`time limit (${HARD_LIMIT_MS / 1000} s) reached: stopping everything`);
    cleanup().finally(() => process.exit(2));
  }, HARD_LIMIT_MS);
  watchdog.unref();
  const runStart = Date.now();

  // TypeScript workspace packages are loaded from source, like the simulator's CLI does.
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    startSimulator,
  } = require('@multicloud-gitops-backstage/fleet-simulator');

  // 1. simulator -------------------------------------------------------------------------------
  let t = performance.now();
  const sim = (running.sim = await startSimulator({
    clusters: CLUSTERS,
    groups: 4,
    appsPerCluster: APPS,
    seed: 1,
    host: '127.0.0.1',
  }));
  results.simulator = {
    url: sim.url,
    startMs: Math.round(performance.now() - t),
  };
  log(
    `simulator: ${CLUSTERS} clusters x ${APPS} apps at ${sim.url} in ${results.simulator.startMs} ms`,
  );
  {
    // Prime it with what a client of its APIs does (a paged ManagedCluster list and a full Search)
    // so that neither backend's timed initial reads pay for its lazily built state.
    const auth = { authorization: `Bearer ${sim.readOnlyToken}` };
    let cont = '';
    do {
      const b = await getJson(
        `${
          sim.url
        }/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=500${
          cont ? `&continue=${encodeURIComponent(cont)}` : ''
        }`,
        auth,
      );
      cont = b.metadata.continue || '';
    } while (cont);
    await getJson(
      `${sim.url}/apis/internal.open-cluster-management.io/v1beta1/managedclusterinfos`,
      auth,
    );
    await getJson(`${sim.searchUrl}`, auth, 'POST', {
      query:
        'query q($input: [SearchInput]) { searchResult: search(input: $input) { count items } }',
      variables: {
        input: [
          {
            filters: [{ property: 'kind', values: ['Application'] }],
            limit: -1,
          },
        ],
      },
    });
  }
  gcNow();
  const simRss = process.memoryUsage().rss;
  results.simulator.rssBytes = simRss;
  log(`simulator-only RSS: ${MB(simRss).toFixed(0)} MB`);

  // 2. our backend -----------------------------------------------------------------------------
  // In a process of its own, like the peer: createBackend() with our plugin and a static
  // catalog of the two entities; permissions off and a static token, as for the peer.
  const oursPort = await freePort();
  const oursToken = `bench-ours-${process.pid}-${Date.now()}`;
  const owner = 'group:default/bench';
  const entities = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'multicloud-gitops',
        namespace: 'default',
        annotations: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
      },
      spec: { owner },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'hello-world',
        namespace: 'default',
        annotations: { 'argocd/app-name': 'hello-world' },
      },
      spec: { owner, type: 'service', lifecycle: 'production' },
    },
  ];
  // The same backend without hubs first: what the framework, its services and our code
  // cost before any fleet data, so the plugin's share of memory can be told apart.
  const emptyOurs = await (async () => {
    const empty = await startBackendProcess({
      which: 'ours',
      script: path.join(__dirname, 'ours-backend', 'index.js'),
      cwd: ROOT,
      readyText: 'ours ready',
      config: {
        ...backendConfig(oursPort, oursToken),
        bench: { entities },
      },
    });
    await sleep(3000);
    const m = await empty.memory();
    await stopChild('ours');
    log(`our backend without hubs: ${MB(m.afterGc).toFixed(0)} MB after GC`);
    return m;
  })();
  t = performance.now();
  const ours = await startBackendProcess({
    which: 'ours',
    script: path.join(__dirname, 'ours-backend', 'index.js'),
    cwd: ROOT,
    readyText: 'ours ready',
    config: {
      ...backendConfig(oursPort, oursToken),
      bench: { entities },
      multicloudGitops: {
        hubs: [
          {
            name: 'hub',
            url: sim.url,
            serviceAccountToken: sim.readOnlyToken,
            skipTLSVerify: true,
            search: {
              url: sim.searchUrl,
              ...(process.env.BENCH_SEARCH_POLL_SECONDS
                ? {
                    pollIntervalSeconds: Number(
                      process.env.BENCH_SEARCH_POLL_SECONDS,
                    ),
                  }
                : {}),
            },
            argocd: [
              {
                name: 'hub-gitops',
                url: sim.argocd.url,
                username: sim.argocd.username,
                password: sim.argocd.password,
              },
            ],
          },
        ],
      },
    },
  });
  const base = `http://127.0.0.1:${oursPort}/api/multicloud-gitops`;
  const auth = { authorization: `Bearer ${oursToken}` };
  const startedMs = performance.now() - t;
  const hubs = await until(
    'every source of /v1/hubs to be ok',
    async () => {
      const h = await getJson(`${base}/v1/hubs`, auth);
      const hub = h.hubs[0];
      return hub &&
        hub.sources.length &&
        hub.sources.every(s => s.state === 'ok') &&
        hub.applicationCount > 0
        ? h
        : undefined;
    },
    120000,
    200,
  );
  results.ours.backendStartMs = Math.round(startedMs);
  results.ours.initialSyncMs = Math.round(performance.now() - t);
  results.ours.hub = {
    clusters: hubs.hubs[0].clusterCount,
    applications: hubs.hubs[0].applicationCount,
    sources: hubs.hubs[0].sources.map(s => `${s.name}:${s.state}`),
  };
  log(
    `our backend: started in ${results.ours.backendStartMs} ms, every source ok after ${results.ours.initialSyncMs} ms ` +
      `(${results.ours.hub.clusters} clusters, ${
        results.ours.hub.applications
      } apps; ${results.ours.hub.sources.join(', ')})`,
  );

  const views = {
    system: `${base}/v1/entity-topology?entityRef=system:default/multicloud-gitops`,
    component: `${base}/v1/entity-topology?entityRef=component:default/hello-world`,
  };
  for (const [k, u] of Object.entries(views)) {
    const body = await getJson(u, auth);
    results.ours[`${k}View`] = {
      clusters: body.clusters.length,
      applications: body.applications.length,
    };
  }
  // warm-up
  for (const u of Object.values(views))
    await load({
      url: u,
      headers: auth,
      total: 10,
      concurrency: 2,
      timeCapMs: 10000,
    });

  // 3a. latency, warm. The floor is the framework's own liveness route in the same backend:
  // no auth, no plugin, a 15-byte body. What a request costs there, every route of every
  // plugin pays too; ours pays it plus authentication, our router and the view's bytes.
  const floorUrl = `http://127.0.0.1:${oursPort}/.backstage/health/v1/liveness`;
  const oursPid = ours.child.pid;
  const logRun = (label, r) =>
    log(
      `${label}: n=${r.n} p50=${r.p50.toFixed(1)} ms p95=${r.p95.toFixed(
        1,
      )} ms${
        r.p95Corrected !== undefined
          ? ` (wrk's corrected p95 ${r.p95Corrected.toFixed(1)} ms)`
          : ''
      } (${(r.meanBytes / 1024).toFixed(0)} KiB, ${JSON.stringify(r.statuses)}${
        r.cpuMsPerRequest !== undefined
          ? `, backend CPU ${(r.cpuMsPerRequest * 1000).toFixed(0)} us/request`
          : ''
      }${
        r.stealPct !== undefined
          ? `, ${r.stealPct.toFixed(
              0,
            )} % of the machine's CPU stolen by the host`
          : ''
      })`,
    );
  // The second floor is the least an authenticated plugin route costs here (bench-floor's
  // /ping in bench/ours-backend): the plugin router, credentials barrier and root middleware
  // our routes pass through too, then 11 bytes. Ours minus it is our handler and our bytes.
  const authFloorUrl = `http://127.0.0.1:${oursPort}/api/bench-floor/ping`;
  const targets = { floor: floorUrl, authFloor: authFloorUrl, ...views };
  const floors = { floor: 'floor', authFloor: 'authenticated floor' };
  const labelOf = k => floors[k] ?? `ours ${k}`;
  const run = (k, concurrency) =>
    measure(
      {
        url: targets[k],
        headers: k === 'floor' ? {} : auth,
        total: REQUESTS,
        concurrency,
        timeCapMs: 12000,
      },
      oursPid,
    );
  const store = (k, c, r) => {
    if (floors[k]) (results.ours[k] ??= {})[`@${c}`] = r;
    else results.ours.latency[`${k}@${c}`] = r;
  };
  results.ours.latency = {};
  for (const k of Object.keys(targets)) {
    const r = await run(k, 1);
    store(k, 1, r);
    logRun(`${labelOf(k)} @1`, r);
  }
  {
    const runs = Object.fromEntries(Object.keys(targets).map(k => [k, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const k of Object.keys(targets)) {
        const r = await run(k, 32);
        runs[k].push(r);
        logRun(`round ${round}/${ROUNDS} ${labelOf(k)} @32`, r);
      }
    }
    for (const k of Object.keys(targets)) store(k, 32, foldRounds(runs[k]));
  }

  // 3a'. a repeat view by a client that has the last one (If-None-Match -> 304), as our frontend does
  results.ours.revalidate = {};
  for (const [k, u] of Object.entries(views)) {
    const res = await fetch(u, {
      headers: auth,
      signal: AbortSignal.timeout(60000),
    });
    const etag = res.headers.get('etag');
    await res.arrayBuffer();
    if (!etag) throw new Error(`${u} answered without an ETag`);
    for (const c of [1, 32]) {
      const r = await measure(
        {
          url: u,
          headers: { ...auth, 'if-none-match': etag },
          total: REQUESTS,
          concurrency: c,
          timeCapMs: 12000,
        },
        oursPid,
      );
      results.ours.revalidate[`${k}@${c}`] = r;
      log(
        `ours ${k} revalidate @${c}: n=${r.n} p50=${r.p50.toFixed(
          1,
        )} ms p95=${r.p95.toFixed(1)} ms (${JSON.stringify(r.statuses)})`,
      );
    }
  }

  // 3b. upstream requests per warm view: a window between two Search polls. Our plugin polls
  // Search every 15 s (its default) after the previous poll ends; that background traffic is
  // not caused by views, so the window starts when a poll has ended and lasts at most ~10 s.
  {
    const between = await afterSearchPoll(sim);
    await admin(sim, 'counters/reset');
    const t1 = performance.now();
    const n = 50;
    const rs = [];
    for (const [k, u] of Object.entries(views))
      rs.push(
        await load({
          url: u,
          headers: auth,
          total: n,
          concurrency: 1,
          timeCapMs: k === 'system' ? 5000 : 4000,
        }),
      );
    const c = await admin(sim, 'counters', undefined, 'GET');
    const nViews = rs.reduce((s, r) => s + r.n, 0);
    const windowMs = Math.round(performance.now() - t1);
    results.ours.upstream = {
      views: nViews,
      windowMs,
      betweenSearchPolls: between && windowMs < 13000,
      requests: upstreamTotal(c),
      perView: upstreamTotal(c) / nViews,
      byFamily: nonZero(c),
    };
    log(
      `ours upstream: ${
        results.ours.upstream.requests
      } requests in ${nViews} views (${JSON.stringify(
        results.ours.upstream.byFamily,
      )})`,
    );
  }

  // 3c. change-to-visible: a cluster loses its lease -> the push channel -> the view shows it
  {
    const sys = await getJson(views.system, auth);
    const targets = sys.clusters
      .filter(c => c.status === 'available' && !c.isHub)
      .slice(0, 5)
      .map(c => c.name);
    const events = [];
    const sseReady = new Promise((resolve, reject) => {
      const req = http.get(
        `${base}/v1/events`,
        { headers: { ...auth, accept: 'text/event-stream' } },
        res => {
          res.setEncoding('utf8');
          res.on('data', d => {
            for (const m of d.matchAll(/event: topology-changed/g))
              events.push(performance.now());
          });
          resolve();
        },
      );
      req.on('error', reject);
      running.sse = req;
    });
    await sseReady;
    const status = async name =>
      (await getJson(`${base}/v1/hubs/hub/clusters/${name}`, auth)).cluster
        .status;
    const samples = [];
    const viaPush = [];
    for (const name of targets) {
      const t0 = performance.now();
      await admin(sim, 'mutate', { op: 'cluster-unavailable', cluster: name });
      // wait for a push after the change, then read the view; read again on each further push
      let seenEvents = 0;
      const visible = await until(
        `${name} to show unavailable`,
        async () => {
          const after = events.filter(e => e >= t0);
          if (after.length === seenEvents) return undefined;
          seenEvents = after.length;
          return (await status(name)) === 'unavailable';
        },
        10000,
        20,
      ).catch(() => false);
      const ms = performance.now() - t0;
      samples.push(visible ? ms : Infinity);
      viaPush.push(!!visible);
      log(
        `change-to-visible ${name}: ${
          visible ? `${ms.toFixed(0)} ms` : 'not within 10 s'
        }`,
      );
      await admin(sim, 'mutate', { op: 'cluster-available', cluster: name });
      await until(
        `${name} to show available again`,
        async () => (await status(name)) === 'available',
        10000,
        100,
      ).catch(() => log(`${name} did not show available again within 10 s`));
    }
    running.sse.destroy();
    running.sse = undefined;
    results.ours.changeToVisible = {
      samplesMs: samples.map(x => (Number.isFinite(x) ? Math.round(x) : null)),
      medianMs: median(samples),
      clusters: targets,
      method:
        'POST /_simulator/mutate cluster-unavailable -> SSE topology-changed on /v1/events -> GET /v1/hubs/hub/clusters/NAME shows unavailable',
    };
  }

  // 3d. memory: our backend process, as the peer's below
  {
    const mem = await ours.memory();
    results.ours.rss = {
      rssBytes: mem.rss,
      peakBytes: mem.peak,
      afterGcBytes: mem.afterGc,
      emptyBackendAfterGcBytes: emptyOurs.afterGc,
      pluginShareBytes: mem.afterGc - emptyOurs.afterGc,
    };
    log(
      `our RSS: ${MB(mem.rss).toFixed(0)} MB (peak ${MB(mem.peak).toFixed(
        0,
      )} MB, after GC ${MB(mem.afterGc).toFixed(
        0,
      )} MB; the same backend without hubs ${MB(emptyOurs.afterGc).toFixed(
        0,
      )} MB), its own process`,
    );
  }

  // our backend stops here, so its Search polls do not disturb the peer's figures
  await stopChild('ours');

  // 4. the peer --------------------------------------------------------------------------------
  {
    const port = await freePort();
    const staticToken = `bench-peer-${process.pid}-${Date.now()}`;
    t = performance.now();
    const {
      child,
      stderr,
      memory: peerMemory,
    } = await startBackendProcess({
      which: 'peer',
      script: path.join(PEER_DIR, 'index.js'),
      cwd: PEER_DIR,
      readyText: 'peer-ocm ready',
      config: {
        ...backendConfig(port, staticToken),
        catalog: {
          providers: {
            ocm: {
              hub: {
                name: 'hub',
                url: sim.url,
                serviceAccountToken: sim.readOnlyToken,
                skipTLSVerify: true,
              },
            },
          },
        },
      },
    });
    results.peer.startMs = Math.round(performance.now() - t);
    const pbase = `http://127.0.0.1:${port}/api/ocm`;
    const pauth = { authorization: `Bearer ${staticToken}` };
    const calls = {
      status: `${pbase}/status`,
      cluster: `${pbase}/status/hub/local-cluster`,
    };
    for (const [k, u] of Object.entries(calls)) {
      const body = await getJson(u, pauth).catch(e => {
        throw new Error(
          `the peer cannot read the simulator (${k}): ${
            e.message
          }\n${stderr().slice(-3000)}`,
        );
      });
      results.peer[`${k}View`] = Array.isArray(body)
        ? { clusters: body.length }
        : { name: body.name };
    }
    log(
      `peer: started in ${results.peer.startMs} ms; /status lists ${results.peer.statusView.clusters} clusters`,
    );
    for (const u of Object.values(calls))
      await load({
        url: u,
        headers: pauth,
        total: 2,
        concurrency: 1,
        timeCapMs: 20000,
      });

    results.peer.latency = {};
    for (const [k, u] of Object.entries(calls)) {
      for (const c of [1, 32]) {
        // one wave of 32 for the peer's full /status: each one lists every cluster and every info
        const total =
          k === 'status' ? Math.min(REQUESTS, c === 1 ? 10 : c) : REQUESTS;
        // The full /status takes seconds a call: the Node client's cost is noise there.
        const r = await (k === 'status' ? load : measure)(
          {
            url: u,
            headers: pauth,
            total,
            concurrency: c,
            timeCapMs: 12000,
            timeoutMs: 120000,
            // A /status call takes hundreds of ms to seconds: a connection's setup is noise
            // there, and a warm-up wave of 32 would cost another 13 s.
            warmup: k !== 'status',
          },
          child.pid,
        );
        results.peer.latency[`${k}@${c}`] = r;
        log(
          `peer ${k} @${c}: n=${r.n} p50=${r.p50.toFixed(
            1,
          )} ms p95=${r.p95.toFixed(1)} ms (${(r.meanBytes / 1024).toFixed(
            0,
          )} KiB, ${JSON.stringify(r.statuses)} ${JSON.stringify(
            r.encodings,
          )})`,
        );
      }
    }

    results.peer.upstream = {};
    for (const [k, u] of Object.entries(calls)) {
      await admin(sim, 'counters/reset');
      const r = await load({
        url: u,
        headers: pauth,
        total: k === 'status' ? 5 : 50,
        concurrency: 1,
        timeCapMs: 30000,
        timeoutMs: 120000,
      });
      const c = await admin(sim, 'counters', undefined, 'GET');
      results.peer.upstream[k] = {
        calls: r.n,
        requests: upstreamTotal(c),
        perCall: upstreamTotal(c) / r.n,
        byFamily: nonZero(c),
        detail: c.detail,
      };
      log(
        `peer upstream ${k}: ${upstreamTotal(c)} requests in ${
          r.n
        } calls (${JSON.stringify(nonZero(c))})`,
      );
    }
    const mem = await peerMemory();
    results.peer.rss = {
      bytes: mem.rss,
      peakBytes: mem.peak,
      afterGcBytes: mem.afterGc,
    };
    log(
      `peer RSS: ${MB(mem.rss).toFixed(0)} MB (peak ${MB(mem.peak).toFixed(
        0,
      )} MB, after GC ${MB(mem.afterGc).toFixed(0)} MB), its own process`,
    );
    await stopChild('peer');
  }

  results.runMs = Date.now() - runStart;
  clearTimeout(watchdog);
  await cleanup();
  return results;
}

// --- report -----------------------------------------------------------------------------------
function report(r) {
  const ms = x =>
    Number.isFinite(x) ? `${x.toFixed(x < 100 ? 1 : 0)} ms` : 'n/a';
  const ratio = (peer, ours) =>
    !Number.isFinite(peer) || !Number.isFinite(ours)
      ? 'n/a'
      : ours === 0
      ? peer === 0
        ? '1x'
        : 'inf'
      : `${(peer / ours).toFixed(peer / ours < 10 ? 1 : 0)}x`;
  const L = r.ours.latency;
  const P = r.peer.latency;
  const rows = [];
  const row = (metric, ours, peer, rat, target, pass) =>
    rows.push({
      metric,
      ours,
      peer,
      ratio: rat,
      target,
      result: pass === undefined ? '-' : pass ? 'PASS' : 'FAIL',
    });
  row(
    'initial sync (start -> every source ok)',
    ms(r.ours.initialSyncMs),
    'n/a (no store)',
    'n/a',
    '-',
  );
  for (const c of [1, 32]) {
    for (const p of ['p50', 'p95']) {
      const ours = L[`system@${c}`][p];
      const peer = P[`status@${c}`][p];
      row(
        `${p} @${c} client${
          c > 1 ? 's' : ''
        }: whole fleet (ours system view vs peer /status)`,
        ms(ours),
        ms(peer),
        ratio(peer, ours),
        p === 'p95' ? '<= 30 ms' : '-',
        p === 'p95' ? ours <= 30 : undefined,
      );
    }
  }
  for (const c of [1, 32]) {
    for (const p of ['p50', 'p95']) {
      const ours = L[`component@${c}`][p];
      const peer = P[`cluster@${c}`][p];
      row(
        `${p} @${c} client${
          c > 1 ? 's' : ''
        }: one item (ours component view vs peer /status/hub/local-cluster)`,
        ms(ours),
        ms(peer),
        ratio(peer, ours),
        p === 'p95' ? '<= 30 ms' : '-',
        p === 'p95' ? ours <= 30 : undefined,
      );
    }
  }
  // The floors, measured in the same rounds: what no route (no authenticated route) of this
  // backend can beat.
  const F = r.ours.floor;
  const A = r.ours.authFloor;
  const x = (a, b) =>
    Number.isFinite(a) && Number.isFinite(b) && b > 0
      ? `${(a / b).toFixed(1)}x`
      : 'n/a';
  for (const c of [1, 32]) {
    const rounds = c > 1 ? `, median of ${F['@32'].rounds.length} rounds` : '';
    row(
      `p95 @${c}: framework floor, the same backend's /.backstage/health/v1/liveness (no auth, no plugin router, 15 B)${rounds}`,
      ms(F[`@${c}`].p95),
      '-',
      '-',
      '-',
    );
    row(
      `p95 @${c}: authenticated floor, a plugin route in the same backend that checks the caller and answers 11 B${rounds}`,
      ms(A[`@${c}`].p95),
      '-',
      '-',
      '-',
    );
  }
  row(
    'p95 @32 ours / authenticated floor, same rounds: whole fleet, one item',
    `${x(L['system@32'].p95, A['@32'].p95)}, ${x(
      L['component@32'].p95,
      A['@32'].p95,
    )}`,
    '-',
    '-',
    '-',
  );
  // wrk's own p95 adds made-up samples for coordinated omission (bench/lib/wrkLatency.js):
  // an open-loop model, not what 32 closed-loop clients see. Shown, not judged.
  if (Number.isFinite(L['component@32'].p95Corrected))
    row(
      'p95 @32 as wrk reports it, with its coordinated-omission correction (median of rounds): floor; authenticated floor; ours whole fleet; ours one item',
      [F['@32'], A['@32'], L['system@32'], L['component@32']]
        .map(x => ms(x.p95Corrected))
        .join('; '),
      '-',
      '-',
      '-',
    );
  const us = v => (Number.isFinite(v) ? `${(v * 1000).toFixed(0)} us` : 'n/a');
  row(
    'backend CPU per request @32, median of rounds (it rises with steal too): floor; authenticated floor; ours whole fleet; ours one item',
    `${us(F['@32'].cpuMsPerRequest)}; ${us(A['@32'].cpuMsPerRequest)}; ${us(
      L['system@32'].cpuMsPerRequest,
    )}; ${us(L['component@32'].cpuMsPerRequest)}`,
    '-',
    '-',
    '-',
  );
  const steals = [
    ...F['@32'].rounds,
    ...A['@32'].rounds,
    ...L['system@32'].rounds,
    ...L['component@32'].rounds,
  ]
    .map(q => q.stealPct)
    .filter(Number.isFinite);
  if (steals.length)
    row(
      "machine's CPU taken by the host (steal) during the 32-client runs: median (range)",
      `${median(steals).toFixed(0)} % (${Math.min(...steals).toFixed(
        0,
      )}-${Math.max(...steals).toFixed(0)} %)`,
      '-',
      '-',
      '-',
    );
  for (const c of [1, 32]) {
    for (const p of ['p50', 'p95']) {
      const ours = r.ours.revalidate[`system@${c}`][p];
      const peer = P[`status@${c}`][p];
      row(
        `${p} @${c}: repeat view, If-None-Match -> 304 (ours system view vs peer /status, no ETag)`,
        ms(ours),
        ms(peer),
        ratio(peer, ours),
        '-',
      );
    }
  }
  const f = x => (Number.isInteger(x) ? String(x) : x.toFixed(3));
  row(
    'upstream requests per warm view (ours) vs per /status call (peer)',
    f(r.ours.upstream.perView),
    f(r.peer.upstream.status.perCall),
    ratio(r.peer.upstream.status.perCall, r.ours.upstream.perView),
    '0',
    r.ours.upstream.perView === 0,
  );
  row(
    'upstream requests per /status/hub/local-cluster call (peer)',
    '-',
    f(r.peer.upstream.cluster.perCall),
    'n/a',
    '-',
  );
  const cv = r.ours.changeToVisible.medianMs;
  row(
    'change visible, median of 5 (ours push vs peer: no push, next call)',
    ms(cv),
    'n/a',
    'n/a',
    '<= 3 s',
    cv <= 3000,
  );
  const R = r.ours.rss;
  row(
    'RSS of the backend process, as the OS sees it (each plugin in a backend of its own)',
    `${MB(R.rssBytes).toFixed(0)} MB`,
    `${MB(r.peer.rss.bytes).toFixed(0)} MB`,
    ratio(r.peer.rss.bytes, R.rssBytes),
    '-',
  );
  row(
    'RSS of the backend process after a full GC',
    `${MB(R.afterGcBytes).toFixed(0)} MB`,
    `${MB(r.peer.rss.afterGcBytes).toFixed(0)} MB`,
    ratio(r.peer.rss.afterGcBytes, R.afterGcBytes),
    '-',
  );
  row(
    "plugin's share: after GC, minus the same backend without hubs (ours)",
    `${MB(R.pluginShareBytes).toFixed(0)} MB`,
    'n/a',
    'n/a',
    '<= 400 MB',
    R.pluginShareBytes <= 400 * 1048576,
  );

  const cols = ['metric', 'ours', 'peer', 'ratio', 'target', 'result'];
  const head = {
    metric: 'metric',
    ours: 'ours',
    peer: 'peer',
    ratio: 'peer/ours',
    target: 'target',
    result: 'PASS/FAIL',
  };
  const w = Object.fromEntries(
    cols.map(c => [c, Math.max(head[c].length, ...rows.map(x => x[c].length))]),
  );
  const line = x => `| ${cols.map(c => x[c].padEnd(w[c])).join(' | ')} |`;
  const out = [
    `backend bench ${r.date.slice(0, 16).replace('T', ' ')} UTC: ${
      r.fleet.clusters
    } clusters x ${r.fleet.appsPerCluster} apps, node ${r.node}, ${
      r.cores
    } cores (load average ${r.loadAverageAtStart[0]} at start); ` +
      `ours = @multicloud-gitops-backstage/plugin-multicloud-gitops-backend, peer = ${r.peer.package} (backend-defaults ${r.peer.backendDefaults}); load: ${r.load}`,
    line(head),
    `|${cols.map(c => '-'.repeat(w[c] + 2)).join('|')}|`,
    ...rows.map(line),
    `ours: entity-topology views of ${r.ours.systemView.clusters} clusters/${r.ours.systemView.applications} apps (system) and ` +
      `${r.ours.componentView.clusters}/${r.ours.componentView.applications} (component); peer /status: ${r.peer.statusView.clusters} clusters. ` +
      `Samples: ours ${Object.entries(L)
        .map(([k, v]) => `${k} n=${v.n}`)
        .join(', ')}; peer ${Object.entries(P)
        .map(([k, v]) => `${k} n=${v.n}`)
        .join(', ')}.`,
    `upstream window (ours): ${r.ours.upstream.views} views in ${
      r.ours.upstream.windowMs
    } ms between two Search polls: ${JSON.stringify(
      r.ours.upstream.byFamily,
    )}; ` +
      `peer /status: ${JSON.stringify(r.peer.upstream.status.byFamily)} in ${
        r.peer.upstream.status.calls
      } calls.`,
  ];
  r.table = rows;
  r.pass = rows.every(x => x.result !== 'FAIL');
  return out.join('\n');
}

main()
  .then(r => {
    const text = report(r);
    console.log(text);
    fs.mkdirSync(path.dirname(OUT), { recursive: true });
    fs.writeFileSync(OUT, JSON.stringify(r, null, 2) + '\n');
    log(
      `wrote ${path.relative(ROOT, OUT)}; run took ${(r.runMs / 1000).toFixed(
        0,
      )} s (peer install excluded)`,
    );
    process.exit(r.pass ? 0 : 1);
  })
  .catch(async e => {
    console.error(e && e.stack ? e.stack : e);
    await cleanup().catch(() => {});
    process.exit(2);
  });
