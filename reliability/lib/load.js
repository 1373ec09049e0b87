/*
 * Load and soak against the suite's backend.
 *
 * Load: 200 closed-loop clients for 60 s mixing the views, a cluster's details and repeat
 * views that answer 304, while 500 push streams stay open; measured with the benchmarks'
 * load generator (bench/lib/closedLoop.js, a worker thread per kind). Its p95 is set against
 * the authenticated floor measured just before at the same concurrency: the least an
 * authenticated route of this backend costs (the auth plugin's /v1/userinfo, which checks the
 * caller's token and answers a few hundred bytes; the example backend has no bench-floor plugin).
 *
 * Soak: a fleet change every second (a cluster's availability and labels through the
 * simulator's admin API) while 8 clients read and 50 push streams are open. Every minute the
 * backend's probe forces a garbage collection and reports its RSS and the event-loop delay of
 * that minute: the RSS slope, the growth of its trend over the soak and the worst
 * minute's event-loop delay p99 are reported.
 */
'use strict';
const { closedLoop } = require('../../bench/lib/closedLoop');
const {
  medianReading,
  pushStreams,
  readers,
  rssMiB,
  sleep,
} = require('./faults');

const API = '/api/multicloud-gitops';

/** `n` push streams opened a hundred at a time, each waited for (the listen backlog is finite). */
async function openPushStreams(h, n) {
  const all = [];
  for (let i = 0; i < n; i += 100) {
    const batch = pushStreams(h, Math.min(100, n - i));
    all.push(batch);
    const t0 = Date.now();
    while (
      batch.streams.some(s => !s.open && !s.ended) &&
      Date.now() - t0 < 30000
    )
      await sleep(100);
  }
  const streams = all.flatMap(b => b.streams);
  return { streams, close: () => all.forEach(b => b.close()) };
}

/** A change in the fleet: every stream open must receive it. */
async function pushReaches(h, streams) {
  const before = streams.map(s => s.events);
  await h.sim('POST', 'mutate', {
    op: 'cluster-unavailable',
    cluster: h.spoke,
  });
  const t0 = Date.now();
  while (
    streams.some((s, i) => s.events <= before[i]) &&
    Date.now() - t0 < 20000
  )
    await sleep(200);
  const got = streams.filter((s, i) => s.events > before[i]).length;
  await h.sim('POST', 'mutate', { op: 'cluster-available', cluster: h.spoke });
  return got;
}

async function runLoad(h, { seconds = 60, clients = 200, streams = 500, log }) {
  const auth = { authorization: `Bearer ${h.token}` };
  const many = Number.MAX_SAFE_INTEGER;
  log(`load: the authenticated floor at ${clients} clients`);
  const floor = await closedLoop({
    url: `${h.base}/api/auth/v1/userinfo`,
    headers: auth,
    total: many,
    concurrency: clients,
    timeCapMs: 15000,
  });
  const topology = `${h.base}${API}/v1/topology?pattern=multicloud-gitops`;
  const first = await fetch(topology, { headers: auth });
  await first.arrayBuffer();
  const etag = first.headers.get('etag');

  log(`load: ${streams} push streams`);
  const push = await openPushStreams(h, streams);
  const pushOpen = push.streams.filter(s => s.open).length;
  // The mix: its shares are a portal's: views, a cluster's details, and views the browser
  // already has (the ETag answers 304).
  const mix = [
    ['fleet view', `${API}/v1/fleet?limit=50`, 50, {}],
    ['topology view', `${API}/v1/topology?pattern=multicloud-gitops`, 30, {}],
    [
      'entity view',
      `${API}/v1/entity-topology?entityRef=component:default/hello-world`,
      20,
      {},
    ],
    ['cluster details', `${API}/v1/hubs/hub/clusters/${h.spoke}`, 50, {}],
    [
      'repeat view (304)',
      `${API}/v1/topology?pattern=multicloud-gitops`,
      50,
      { 'if-none-match': etag },
    ],
  ];
  log(`load: ${mix.reduce((n, m) => n + m[2], 0)} clients for ${seconds} s`);
  const rssBefore = rssMiB(h.backend.child.pid);
  const results = await Promise.all(
    mix.map(([, path, concurrency, headers]) =>
      closedLoop({
        url: `${h.base}${path}`,
        headers: { ...auth, ...headers },
        total: many,
        concurrency,
        timeCapMs: seconds * 1000,
      }),
    ),
  );
  const rssPeak = rssMiB(h.backend.child.pid);
  const stillOpen = push.streams.filter(s => s.open && !s.ended).length;
  const gotChange = await pushReaches(h, push.streams);
  push.close();
  const kinds = mix.map(([name, , concurrency], i) => {
    const r = results[i];
    const expected = name.includes('304') ? '304' : '200';
    const errors = Object.entries(r.statuses)
      .filter(([k]) => k !== expected)
      .reduce((n, [, v]) => n + v, 0);
    return {
      name,
      concurrency,
      n: r.n,
      perSecond: r.n / (r.elapsedMs / 1000),
      p50: r.p50,
      p95: r.p95,
      ratio: r.p95 / floor.p95,
      errors,
      statuses: r.statuses,
    };
  });
  return {
    floor: { p50: floor.p50, p95: floor.p95, n: floor.n },
    kinds,
    errors: kinds.reduce((n, k) => n + k.errors, 0),
    pushOpen,
    stillOpen,
    gotChange,
    streams,
    rssBefore,
    rssPeak,
  };
}

/** Least-squares slope of y over x. */
function slope(xs, ys) {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den ? num / den : NaN;
}

/** The growth of y's least-squares line from the first x to the last, as a fraction. */
function trendGrowth(xs, ys) {
  const b = slope(xs, ys);
  const mx = xs.reduce((a, c) => a + c, 0) / xs.length;
  const my = ys.reduce((a, c) => a + c, 0) / ys.length;
  const first = my + b * (xs[0] - mx);
  return (b * (xs.at(-1) - xs[0])) / first;
}

/** Forced-GC readings per soak minute: the minute's level is their median. */
const PROBES_PER_MINUTE = 3;

/**
 * One soak minute from its probe readings: the memory of the median-RSS reading, and the
 * worst event-loop delay of the minute (each reading covers the time since the previous one).
 */
function minuteLevel(readings) {
  const m = medianReading(readings);
  return {
    ...m,
    eventLoopDelayMs: {
      p50: Math.max(...readings.map(r => r.eventLoopDelayMs.p50)),
      p99: Math.max(...readings.map(r => r.eventLoopDelayMs.p99)),
      max: Math.max(...readings.map(r => r.eventLoopDelayMs.max)),
    },
  };
}

async function runSoak(h, { minutes = 15, log }) {
  const fleet = await fetch(`${h.base}${API}/v1/fleet?limit=100&sort=name`, {
    headers: { authorization: `Bearer ${h.token}` },
  }).then(r => r.json());
  // Joined spokes only: one still pending import has no availability to change.
  const clusters = fleet.clusters.items
    .filter(c => c.name !== 'local-cluster' && c.status === 'available')
    .map(c => c.name);
  const load = readers(h, 8);
  const push = await openPushStreams(h, 50);
  await sleep(5000);
  // The first probe resets the event-loop histogram; each later one covers a minute.
  await h.probe();
  const perMinute = [];
  const raw = [];
  let changes = 0;
  let changeErrors = 0;
  const t0 = Date.now();
  // In the middle of each third of a minute, so the last minute's readings fall inside it.
  let nextProbe = t0 + 60000 / PROBES_PER_MINUTE / 2;
  let minuteReadings = [];
  for (let i = 0; Date.now() - t0 < minutes * 60000; i++) {
    const tick = Date.now();
    const cluster = clusters[i % clusters.length];
    const round = Math.floor(i / clusters.length);
    const change =
      i % 3 === 2
        ? { op: 'cluster-labels', cluster, labels: { soak: `r${round % 4}` } }
        : {
            op: round % 2 ? 'cluster-available' : 'cluster-unavailable',
            cluster,
          };
    await h
      .sim('POST', 'mutate', change)
      .then(() => changes++)
      .catch(() => changeErrors++);
    raw.push({ at: Date.now() - t0, rss: rssMiB(h.backend.child.pid) });
    if (Date.now() >= nextProbe) {
      minuteReadings.push(await h.probe());
      nextProbe += 60000 / PROBES_PER_MINUTE;
    }
    if (minuteReadings.length === PROBES_PER_MINUTE) {
      const p = minuteLevel(minuteReadings);
      minuteReadings = [];
      perMinute.push({ minute: perMinute.length + 1, ...p });
      log(
        `soak minute ${perMinute.length}: RSS after GC ${p.rssMiB.toFixed(
          0,
        )} MiB, heap ${p.heapUsedMiB.toFixed(
          0,
        )} MiB, event-loop delay p99 ${p.eventLoopDelayMs.p99.toFixed(1)} ms`,
      );
    }
    await sleep(Math.max(0, 1000 - (Date.now() - tick)));
  }
  // Every cluster back to available, as before the soak.
  for (const cluster of clusters)
    await h
      .sim('POST', 'mutate', { op: 'cluster-available', cluster })
      .catch(() => changeErrors++);
  const gotChange = await pushReaches(h, push.streams);
  const stillOpen = push.streams.filter(s => s.open && !s.ended).length;
  push.close();
  await load.stop();
  const errors = Object.entries(load.statuses)
    .filter(([k]) => k !== '200' && k !== '304')
    .reduce((n, [, v]) => n + v, 0);
  const firstM = perMinute[0];
  const lastM = perMinute.at(-1);
  const p99s = perMinute.map(m => m.eventLoopDelayMs.p99).sort((a, b) => a - b);
  return {
    minutes,
    changes,
    changeErrors,
    readerErrors: errors,
    answers: Object.values(load.statuses).reduce((a, b) => a + b, 0),
    rssFirst: firstM?.rssMiB,
    rssLast: lastM?.rssMiB,
    growth: lastM ? lastM.rssMiB / firstM.rssMiB - 1 : NaN,
    // RSS after GC moves by tens of MiB from one reading to the next (allocator arenas,
    // V8's young generation): each minute's level is the median of its readings, and the
    // growth judged is the trend over the soak, its slope times the soak's length against
    // the first minute's fitted level.
    trendGrowth: trendGrowth(
      perMinute.map(m => m.minute),
      perMinute.map(m => m.rssMiB),
    ),
    heapFirst: firstM?.heapUsedMiB,
    heapLast: lastM?.heapUsedMiB,
    slopeMiBPerMin: slope(
      perMinute.map(m => m.minute),
      perMinute.map(m => m.rssMiB),
    ),
    rawSlopeMiBPerMin: slope(
      raw.map(r => r.at / 60000),
      raw.map(r => r.rss),
    ),
    eldP99Worst: p99s.at(-1),
    eldP99Median: p99s[Math.floor(p99s.length / 2)],
    eldMax: Math.max(...perMinute.map(m => m.eventLoopDelayMs.max)),
    pushStillOpen: stillOpen,
    pushGotChange: gotChange,
  };
}

module.exports = { runLoad, runSoak, slope, trendGrowth, minuteLevel };
