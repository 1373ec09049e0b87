/*
 * Faults injected through the simulator while readers load the views and push streams stay
 * open: for each, the views keep answering, the affected source (and only it) says since when
 * and why it is not ok, it recovers after the heal, the backend does not crash and the push
 * streams stay open.
 */
'use strict';
const fs = require('node:fs');

const API = '/api/multicloud-gitops';
const VIEWS = [
  `${API}/v1/fleet?limit=50`,
  `${API}/v1/topology?pattern=multicloud-gitops`,
  `${API}/v1/entity-topology?entityRef=component:default/hello-world`,
  `${API}/v1/hubs/hub/clusters/local-cluster`,
];

const MiB = 1024 * 1024;

/** Fault scenarios: what to inject, what to heal, and which sources it must affect. */
const SCENARIOS = [
  {
    name: 'hub API down',
    affects: ['acm'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'k8s', dropConnections: true }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    // The simulator's admin API needs the very token revoked here, so the token comes back
    // with a restarted simulator (which also breaks every watch).
    name: 'hub token revoked, then accepted again',
    // Watches and streams opened before the revocation go on until they break, as a
    // Kubernetes API server and Argo CD do; Search asks anew on every poll.
    affects: ['search'],
    mayAffect: ['acm', 'argocd/hub-gitops'],
    inject: h => h.sim('POST', 'tokens/revoke', { token: h.canary }),
    heal: h => h.restartSimulator(),
  },
  {
    name: 'Search answers 500',
    affects: ['search'],
    inject: h => h.sim('POST', 'faults', { family: 'search', status: 500 }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'Search takes 10 s',
    // Within the request timeout (15 s) a slow answer is still an answer.
    affects: [],
    mayAffect: ['search'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'search', latencyMs: 10000 }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'Argo CD 502 on half the calls',
    affects: [],
    mayAffect: ['argocd/hub-gitops'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'argocd', status: 502, rate: 0.5 }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'Argo CD takes 10 s',
    affects: [],
    mayAffect: ['argocd/hub-gitops'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'argocd', latencyMs: 10000 }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'watches expire (410 Gone) every 2 s',
    affects: [],
    mayAffect: ['acm'],
    inject: h => {
      h.expiring = setInterval(
        () => h.sim('POST', 'watch/expire').catch(() => {}),
        2000,
      );
    },
    heal: h => clearInterval(h.expiring),
  },
  {
    // The connection closes after half of the page: the client sees a premature close (or,
    // without a length, JSON that does not parse).
    name: 'a truncated Search page',
    affects: ['search'],
    inject: h => h.sim('POST', 'faults', { family: 'search', truncate: true }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    // A valid JSON list padded to 50 MB, streamed without a length: the source refuses it
    // past its size cap instead of buffering it.
    name: 'a 50 MB Search answer',
    affects: ['search'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'search', oversizeBytes: 50 * MiB }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'a 50 MB Argo CD answer',
    affects: ['argocd/hub-gitops'],
    inject: h =>
      h.sim('POST', 'faults', { family: 'argocd', oversizeBytes: 50 * MiB }),
    heal: h => h.sim('DELETE', 'faults'),
  },
  {
    name: 'simulator restarted (new resourceVersions, every watch broken)',
    affects: [],
    mayAffect: ['acm', 'search', 'argocd/hub-gitops'],
    inject: h => h.restartSimulator(),
    heal: () => {},
  },
  {
    // The same minute of readers, push streams and a fleet change with nothing injected:
    // how far the backend's RSS moves on its own, beside which each fault's figure reads.
    name: 'no fault (control)',
    affects: [],
    inject: () => {},
    heal: () => {},
  },
];

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * The longest a source waits between two tries while it fails: "one poll interval" for a
 * fault's recovery. ACM (list and watch) retries with a backoff capped at 10 s, Argo CD at
 * 30 s, both with up to 25 % jitter; a failing Search is retried within its poll interval
 * (`pollIntervalSeconds: 2` in the suite's config).
 */
const RETRY_INTERVAL_MS = {
  acm: 12500,
  search: 2000,
  'argocd/hub-gitops': 37500,
};
/** Room for the try itself once it comes: a list, a Search poll, a stream reopened. */
const TRY_MS = 5000;

/** How soon after the heal every source of a scenario must be ok again. */
function recoveryBoundMs(sc) {
  const sources = [...sc.affects, ...(sc.mayAffect ?? [])];
  return Math.max(0, ...sources.map(s => RETRY_INTERVAL_MS[s])) + TRY_MS;
}

/** How many forced-GC readings make one memory level. */
const LEVEL_PROBES = 5;

function p95(xs) {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
}

/**
 * The reading whose RSS is the median of `readings` (the lower middle of an even count): one
 * level for memory that moves by tens of MiB between two forced collections, without mixing
 * figures from different readings.
 */
function medianReading(readings) {
  if (!readings.length) throw new Error('no readings to take a level from');
  const s = [...readings].sort((a, b) => a.rssMiB - b.rssMiB);
  return s[Math.floor((s.length - 1) / 2)];
}

/** The backend's memory level: `n` probes (each after a forced GC) `gapMs` apart. */
async function memoryLevel(h, { n = LEVEL_PROBES, gapMs = 1000 } = {}) {
  const readings = [];
  for (let i = 0; i < n; i++) {
    if (i) await sleep(gapMs);
    readings.push(await h.probe());
  }
  return { ...medianReading(readings), readings: readings.map(r => r.rssMiB) };
}

function rssMiB(pid) {
  try {
    const kb = /VmRSS:\s+(\d+)/.exec(
      fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
    )[1];
    return Number(kb) / 1024;
  } catch {
    return NaN;
  }
}

/** `n` clients reading the views in a loop until stopped: latencies and statuses. */
function readers(h, n) {
  let running = true;
  let samples = [];
  const statuses = {};
  const loops = Array.from({ length: n }, async (_, i) => {
    let k = i;
    while (running) {
      const url = `${h.base}${VIEWS[k++ % VIEWS.length]}`;
      const t0 = performance.now();
      try {
        const res = await fetch(url, {
          headers: { authorization: `Bearer ${h.token}` },
        });
        await res.arrayBuffer();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      } catch (e) {
        statuses[`error ${e.cause?.code ?? e.message}`] =
          (statuses[`error ${e.cause?.code ?? e.message}`] ?? 0) + 1;
      }
      samples.push(performance.now() - t0);
    }
  });
  return {
    /** Latencies since the last call, and resets them. */
    take() {
      const s = samples;
      samples = [];
      return s;
    },
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** `n` push streams, each counting the events it receives and noticing when it ends. */
function pushStreams(h, n) {
  const streams = Array.from({ length: n }, () => {
    const s = {
      events: 0,
      open: false,
      ended: false,
      ac: new AbortController(),
    };
    (async () => {
      const res = await fetch(`${h.base}${API}/v1/events`, {
        headers: { authorization: `Bearer ${h.token}` },
        signal: s.ac.signal,
      });
      s.open = res.status === 200;
      s.status = res.status;
      const decoder = new TextDecoder();
      for await (const chunk of res.body)
        s.events += (decoder.decode(chunk).match(/^event: /gm) ?? []).length;
      s.ended = true;
    })().catch(() => {
      s.ended = true;
    });
    return s;
  });
  return {
    streams,
    close: () => streams.forEach(s => s.ac.abort()),
  };
}

async function sources(h) {
  const res = await fetch(`${h.base}${API}/v1/hubs`, {
    headers: { authorization: `Bearer ${h.token}` },
  });
  return (await res.json()).hubs[0].sources;
}

async function waitFor(what, fn, timeoutMs) {
  const t0 = Date.now();
  for (;;) {
    const r = await fn();
    if (r) return Date.now() - t0;
    if (Date.now() - t0 > timeoutMs) return undefined;
    await sleep(250);
  }
}

/** The scenarios `--only REGEX` asks for: all when it matches `faults`, else by name. */
const scenariosFor = only =>
  SCENARIOS.filter(sc => !only || only.test('faults') || only.test(sc.name));

/**
 * Runs every scenario `only` asks for (see scenariosFor); `faultMs` is how long each fault lasts. Returns one result per
 * scenario with what was checked (ok) and what was measured.
 */
async function runFaults(
  h,
  {
    faultMs,
    readersCount = 16,
    pushCount = 50,
    settleMs = 0,
    levelProbes = LEVEL_PROBES,
    log,
    only,
  },
) {
  const results = [];
  const load = readers(h, readersCount);
  const push = pushStreams(h, pushCount);
  try {
    await sleep(3000);
    for (const sc of scenariosFor(only)) {
      log(`fault: ${sc.name}`);
      load.take();
      await sleep(2000);
      const before = load.take();
      // Read after forced garbage collections (what the process keeps, not garbage V8 has
      // not collected yet), as the median of several: one reading can land in a trough or on
      // a peak of the allocator's own movement and misplace the level by more than 10 %.
      const rawRssBefore = rssMiB(h.backend.child.pid);
      const memBefore = await memoryLevel(h, { n: levelProbes });
      // The collections pause the event loop: their answers belong to no latency figure.
      load.take();
      const statusesBefore = { ...load.statuses };
      await sc.inject(h);
      // Every affected source must leave ok with a reason while the fault lasts.
      const marked = {};
      const t0 = Date.now();
      while (Date.now() - t0 < faultMs) {
        for (const s of await sources(h))
          if (s.state !== 'ok' && s.message && s.since && !marked[s.name])
            marked[s.name] = `${s.state}: ${s.message.slice(0, 100)}`;
        await sleep(500);
      }
      const during = load.take();
      await sc.heal(h);
      const recoveryMs = await waitFor(
        'every source ok',
        async () => (await sources(h)).every(s => s.state === 'ok'),
        90000,
      );
      // A change after the heal reaches every push stream that was open: counted from the
      // change itself, as the fault's own source events reach the streams too.
      const eventsBeforeChange = push.streams.map(s => s.events);
      await h.sim('POST', 'mutate', {
        op: 'cluster-unavailable',
        cluster: h.spoke,
      });
      await waitFor(
        'the push',
        async () =>
          push.streams.every((s, i) => s.events > eventsBeforeChange[i]),
        10000,
      );
      const pushGotEvent = push.streams.filter(
        (s, i) => s.events > eventsBeforeChange[i],
      ).length;
      await h.sim('POST', 'mutate', {
        op: 'cluster-available',
        cluster: h.spoke,
      });
      const newErrors = Object.entries(load.statuses)
        .filter(([k]) => k !== '200' && k !== '304')
        .map(([k, v]) => [k, v - (statusesBefore[k] ?? 0)])
        .filter(([, v]) => v > 0);
      const pushAlive = push.streams.filter(s => s.open && !s.ended).length;
      const wrongly = Object.keys(marked).filter(
        n => !sc.affects.includes(n) && !(sc.mayAffect ?? []).includes(n),
      );
      const missed = sc.affects.filter(n => !marked[n]);
      const r = {
        name: sc.name,
        marked,
        wrongly,
        missed,
        recoveryMs,
        recoveryBoundMs: recoveryBoundMs(sc),
        p95Before: p95(before),
        p95During: p95(during),
        answers: during.length,
        newErrors,
        crashed: h.backend.child.exitCode !== null,
        pushAlive,
        pushGotEvent,
        rawRssBefore,
        rawRssAfter: rssMiB(h.backend.child.pid),
      };
      // Memory is judged once the backend has settled: what a fault leaves behind for good,
      // not the buffers of the reconnects that just happened. The level after is the median
      // of the last `levelProbes` readings, taken every 2 s for up to `settleMs` until it is
      // back within 10 % of before.
      const settleStart = Date.now();
      const afterReadings = [];
      let memAfter;
      for (;;) {
        afterReadings.push(await h.probe());
        const last = afterReadings.slice(-levelProbes);
        memAfter = medianReading(last);
        const settled =
          last.length === levelProbes &&
          memAfter.rssMiB <= memBefore.rssMiB * 1.1;
        if (settled || Date.now() - settleStart >= settleMs) break;
        await sleep(2000);
      }
      r.settledMs = Date.now() - settleStart;
      r.rssReadingsBefore = memBefore.readings;
      r.rssReadingsAfter = afterReadings.slice(-levelProbes).map(m => m.rssMiB);
      r.rssBefore = memBefore.rssMiB;
      r.rssAfter = memAfter.rssMiB;
      r.heapBefore = memBefore.heapUsedMiB;
      r.heapAfter = memAfter.heapUsedMiB;
      // The worker threads' heaps (the Search pages' reader), collected by the probe too.
      const sum = xs => (xs ?? []).reduce((a, b) => a + b, 0);
      r.workersHeapBefore = sum(memBefore.workersHeapUsedMiB);
      r.workersHeapAfter = sum(memAfter.workersHeapUsedMiB);
      // Buffers live outside the JS heap: with the heap, they tell memory the process still
      // holds from memory the allocator has not given back to the OS.
      r.buffersBefore = memBefore.arrayBuffersMiB;
      r.buffersAfter = memAfter.arrayBuffersMiB;
      r.ok =
        !r.crashed &&
        missed.length === 0 &&
        wrongly.length === 0 &&
        recoveryMs !== undefined &&
        recoveryMs <= r.recoveryBoundMs &&
        newErrors.length === 0 &&
        r.answers > 0 &&
        pushAlive === pushCount &&
        pushGotEvent === pushCount;
      results.push(r);
    }
  } finally {
    await load.stop();
    push.close();
  }
  return results;
}

module.exports = {
  runFaults,
  SCENARIOS,
  scenariosFor,
  p95,
  medianReading,
  memoryLevel,
  recoveryBoundMs,
  LEVEL_PROBES,
  rssMiB,
  readers,
  pushStreams,
  sleep,
};
