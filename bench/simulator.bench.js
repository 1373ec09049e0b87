#!/usr/bin/env node
/* eslint-disable */
// Fleet simulator benchmark: 2,000 managed clusters x 20 apps (about 40,000 Argo CD apps).
// It runs the simulator's CLI as a child process (so the figures are the simulator's own, not
// this client's) and prints: start time, a full paged ManagedCluster list (limit 500), a search
// for all Applications, and the simulator's RSS, against its targets (start <= 10 s, full
// list <= 1 s, RSS <= 500 MB).
// Usage: node bench/simulator.bench.js [--clusters N] [--apps-per-cluster N]
const fs = require('fs');
const { startSimulatorProcess } = require('./lib/simulatorProcess');
const { applicationsQuery } = require('./lib/searchQuery');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}

function rssOf(pid) {
  // VmRSS = now, VmHWM = peak, in kB (Linux)
  const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = k =>
    Number((new RegExp(`${k}:\\s+(\\d+)`).exec(s) || [])[1]) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

function start(clusters, apps) {
  return startSimulatorProcess([
    '--clusters',
    clusters,
    '--apps-per-cluster',
    apps,
    '--groups',
    4,
    '--seed',
    1,
  ]);
}

async function main() {
  const clusters = arg('--clusters', 2000);
  const apps = arg('--apps-per-cluster', 20);
  const { child, info, ms: startMs, stderr } = await start(clusters, apps);
  const internal = /ready at .* in (\d+) ms/.exec(stderr());
  const auth = { Authorization: `Bearer ${info.token}` };

  let t = performance.now();
  let cont = '';
  let listed = 0;
  let pages = 0;
  do {
    const u = `${
      info.url
    }/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=500${
      cont ? `&continue=${encodeURIComponent(cont)}` : ''
    }`;
    const body = await (await fetch(u, { headers: auth })).json();
    listed += body.items.length;
    pages++;
    cont = body.metadata.continue || '';
  } while (cont);
  const listMs = performance.now() - t;

  const query = applicationsQuery();
  const search = async () => {
    const s = performance.now();
    const r = await fetch(`${info.url}/searchapi/graphql`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify(query),
    });
    const body = await r.json();
    return [performance.now() - s, body.data.searchResult[0].items.length];
  };
  const [searchMs, found] = await search();
  const [searchAgainMs] = await search();
  const mem = rssOf(child.pid);
  child.kill('SIGTERM');
  await new Promise(r => child.on('exit', r));

  const mb = b => `${(b / 1048576).toFixed(0)} MB`;
  const rows = [
    [
      `start (spawn to ready line; in-process ${
        internal ? internal[1] : '?'
      } ms)`,
      `${(startMs / 1000).toFixed(2)} s`,
      '<= 10 s',
      startMs <= 10000,
    ],
    [
      `full ManagedCluster list (${listed} items, ${pages} pages of 500)`,
      `${listMs.toFixed(0)} ms`,
      '<= 1 s',
      listMs <= 1000,
    ],
    [
      `search all Applications (${found} items)`,
      `${searchMs.toFixed(0)} ms`,
      '-',
      null,
    ],
    [
      'search all Applications, again',
      `${searchAgainMs.toFixed(0)} ms`,
      '-',
      null,
    ],
    [
      'simulator RSS after the searches',
      mb(mem.rss),
      '<= 500 MB',
      mem.rss <= 500 * 1048576,
    ],
    [
      'simulator peak RSS (VmHWM)',
      mb(mem.peak),
      '<= 500 MB',
      mem.peak <= 500 * 1048576,
    ],
  ];
  console.log(
    `fleet simulator bench: ${clusters} clusters x ${apps} apps per cluster (node ${process.version})`,
  );
  const w = Math.max(...rows.map(r => r[0].length));
  console.log(
    `${'measure'.padEnd(w)}  ${'value'.padEnd(9)}  ${'target'.padEnd(
      9,
    )}  result`,
  );
  for (const [m, v, target, ok] of rows) {
    console.log(
      `${m.padEnd(w)}  ${v.padEnd(9)}  ${target.padEnd(9)}  ${
        ok === null ? '-' : ok ? 'PASS' : 'FAIL'
      }`,
    );
  }
  if (rows.some(r => r[3] === false)) process.exitCode = 1;
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
