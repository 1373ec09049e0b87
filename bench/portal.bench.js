#!/usr/bin/env node
/*
 * Warm views through the whole example portal: the real auth, catalog and permission
 * backends, not mocks. `backend.bench.js` measures the plugin alone with a static catalog
 * and the permission framework off; here every view pays what it pays in production:
 * verifying the user's token, the read permission and the catalog lookup of the entity.
 *
 * One run starts the portal twice on a 2,000-cluster x 20-app simulated fleet:
 *   - as shipped (multicloudGitops.accessCacheSeconds default, 10 s);
 *   - the baseline, accessCacheSeconds: 0 (ask the permission and catalog backends on
 *     every view, as the peer plugins do);
 * and measures, for each, p50/p95 at 1 and 32 closed-loop clients of the System and the
 * Component view (200 and If-None-Match 304), next to the portal's own floor: its
 * unauthenticated readiness endpoint under the same load.
 *
 *   node bench/portal.bench.js [--requests 500]
 *
 * Prints a table, writes .ci-out/bench-portal.json, exits 0 when the targets pass, 1 when
 * one fails, 2 on an error or when its 300 s watchdog fires. Only 127.0.0.1/localhost.
 */
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { startPortal, guestToken, root } = require('../e2e/portal');
const { closedLoop } = require('./lib/closedLoop');
const { wrkLoad, wrkVersion } = require('./lib/wrkLoad');
const { withMachineFigures } = require('./lib/machine');
const { portOverride } = require('../plugins/multicloud-gitops/e2e/ports');

const OUT = path.join(root, '.ci-out', 'bench-portal.json');
const PORT = 7057;
const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const REQUESTS = arg('--requests', 500);
const CLUSTERS = arg('--clusters', 2000);
const APPS = arg('--apps-per-cluster', 20);
const TARGET_P95_MS = 30;

const log = (...a) =>
  console.error(
    `[portal-bench ${new Date().toISOString().slice(11, 19)}]`,
    ...a,
  );
const sleep = ms => new Promise(r => setTimeout(r, ms));

let portal;
const overrides = [];
async function stopAll() {
  if (portal) await portal.stop();
  portal = undefined;
  for (const o of overrides.splice(0)) await o.cleanup();
}
const watchdog = setTimeout(async () => {
  log('time limit (300 s) reached: stopping');
  await stopAll();
  process.exit(2);
}, 300000);
watchdog.unref();

// As in backend.bench.js: wrk when Debian's package is there (its client costs the server's
// 2 cores far less than the Node client), unless --node-load.
const WRK = process.argv.includes('--node-load') ? undefined : wrkVersion();
const warm = (url, headers) =>
  closedLoop({ url, headers, total: 20, concurrency: 2, timeCapMs: 60000 });
async function load(url, headers, total, concurrency) {
  const r = await withMachineFigures(() =>
    WRK
      ? wrkLoad({ url, headers, concurrency, durationMs: 3000 })
      : closedLoop({ url, headers, total, concurrency, timeCapMs: 60000 }),
  );
  // Requests still in flight when wrk stops must not count in the next cell.
  if (WRK) await sleep(1500);
  return r;
}

async function measure(accessCacheSeconds) {
  const t0 = Date.now();
  // The browser tests' portal config on our port, with this fleet and Search polled at the
  // plugin's default interval (a 2 s poll of 40,000 apps would disturb the figures).
  const override = portOverride(
    PORT,
    `    tick: 0s\n    clusters: ${CLUSTERS}\n    appsPerCluster: ${APPS}\n    groups: 4\n` +
      `  accessCacheSeconds: ${accessCacheSeconds}\n`,
    { searchPollSeconds: 15 },
  );
  overrides.push(override);
  portal = await startPortal({
    configs: [path.join(root, 'e2e/app-config.e2e.yaml'), override.file],
    port: PORT,
  });
  const startMs = Date.now() - t0;
  const token = await guestToken(portal.url);
  const auth = { authorization: `Bearer ${token}` };
  const api = `${portal.url}/api/multicloud-gitops/v1`;
  // The fleet store is filled from the simulator after startup.
  for (let i = 0; ; i++) {
    const r = await fetch(`${api}/hubs`, { headers: auth });
    const hub = (await r.json()).hubs?.[0];
    if (
      hub &&
      hub.applicationCount >= CLUSTERS * APPS * 0.9 &&
      hub.sources.every(s => s.state === 'ok')
    )
      break;
    if (i > 120) throw new Error('the fleet did not load within 120 s');
    await sleep(1000);
  }
  log(
    `portal with accessCacheSeconds ${accessCacheSeconds}: ready in ${startMs} ms`,
  );
  const urls = {
    floor: `${portal.url}/.backstage/health/v1/readiness`,
    system: `${api}/entity-topology?entityRef=system:default/multicloud-gitops`,
    component: `${api}/entity-topology?entityRef=component:default/hello-world`,
  };
  const out = {};
  for (const [k, url] of Object.entries(urls)) {
    await warm(url, auth); // caches, JIT, compressed views
    for (const c of [1, 32]) {
      out[`${k}@${c}`] = await load(url, auth, REQUESTS, c);
      log(
        `  ${k} @${c}: p50 ${out[`${k}@${c}`].p50.toFixed(1)} ms, p95 ${out[
          `${k}@${c}`
        ].p95.toFixed(1)} ms ${JSON.stringify(out[`${k}@${c}`].statuses)}${
          Number.isFinite(out[`${k}@${c}`].stealPct)
            ? `, ${out[`${k}@${c}`].stealPct.toFixed(0)} % CPU steal`
            : ''
        }`,
      );
    }
    if (k === 'floor') continue;
    const res = await fetch(url, { headers: auth });
    const etag = res.headers.get('etag');
    await res.arrayBuffer();
    out[`${k}-304@32`] = await load(
      url,
      { ...auth, 'if-none-match': etag },
      REQUESTS,
      32,
    );
  }
  await portal.stop();
  portal = undefined;
  await override.cleanup();
  return out;
}

async function main() {
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    loadAverageAtStart: os.loadavg().map(x => Number(x.toFixed(2))),
    fleet: { clusters: CLUSTERS, appsPerCluster: APPS },
    requests: REQUESTS,
    load: WRK ? `wrk ${WRK}, 3 s a cell` : 'the Node client',
  };
  results.shipped = await measure(10);
  results.baseline = await measure(0);

  const rows = [];
  let failed = false;
  const f = x => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
  for (const [key, label] of [
    [
      'system@1',
      `System view (${CLUSTERS + 1} clusters, ${
        CLUSTERS * APPS
      } apps) @1 client`,
    ],
    ['system@32', 'System view @32 clients'],
    ['system-304@32', 'System view, If-None-Match -> 304 @32'],
    ['component@1', `Component view (${CLUSTERS} clusters, 1 app) @1 client`],
    ['component@32', 'Component view @32 clients'],
    ['component-304@32', 'Component view, If-None-Match -> 304 @32'],
  ]) {
    const ours = results.shipped[key];
    const base = results.baseline[key];
    const floor = results.shipped[`floor@${key.endsWith('@1') ? 1 : 32}`];
    const pass = ours.p95 <= TARGET_P95_MS;
    if (!pass) failed = true;
    rows.push([
      label,
      `${f(ours.p50)} / ${f(ours.p95)} ms`,
      `${f(base.p50)} / ${f(base.p95)} ms`,
      `${(base.p95 / ours.p95).toFixed(1)}x`,
      `${f(floor.p50)} / ${f(floor.p95)} ms`,
      `p95 <= ${TARGET_P95_MS} ms`,
      pass ? 'PASS' : 'FAIL',
    ]);
  }
  const head = [
    'warm view through the portal (p50 / p95)',
    'ours (accessCacheSeconds 10)',
    'baseline (accessCacheSeconds 0)',
    'baseline/ours p95',
    'portal floor (readiness)',
    'target',
    'PASS/FAIL',
  ];
  const widths = head.map((h, i) =>
    Math.max(h.length, ...rows.map(r => r[i].length)),
  );
  const line = r => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(
    `portal bench ${results.date
      .slice(0, 16)
      .replace('T', ' ')} UTC: ${CLUSTERS} clusters x ${APPS} apps, node ${
      results.node
    }, ${results.cores} cores, ${
      WRK
        ? `wrk ${WRK}, 3 s a cell`
        : `the Node client, ${REQUESTS} requests a cell`
    }, guest user, real auth/catalog/permission backends`,
  );
  console.log(line(head));
  console.log(line(widths.map(w => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
  const steals = [results.shipped, results.baseline]
    .flatMap(o => Object.entries(o))
    .filter(([k]) => k.endsWith('@32'))
    .map(([, v]) => v.stealPct)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (steals.length)
    console.log(
      `CPU taken by the host (steal) during the 32-client cells: median ${steals[
        Math.floor(steals.length / 2)
      ].toFixed(0)} % (${steals[0].toFixed(0)}-${steals[
        steals.length - 1
      ].toFixed(0)} %)`,
    );
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(results, null, 2));
  log(`wrote ${path.relative(root, OUT)}`);
  return failed ? 1 : 0;
}

main().then(
  code => process.exit(code),
  async e => {
    console.error(`portal bench failed: ${e.stack || e.message}`);
    await stopAll();
    process.exit(2);
  },
);
