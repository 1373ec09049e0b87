/*
 * The frontend benchmark on several hubs (`bench.js --hubs N`, N > 1): the example portal on N
 * simulated hubs of CLUSTERS x APPS each, and the Fleet PAGE (/multicloud-gitops, PagedFleet) in
 * Debian's Chromium, RUNS iterations of:
 *   - first render: a click on the sidebar "Fleet" link (app loaded, no fleet answer cached in
 *     the page) until the first cluster rows and every hub's group buttons are painted;
 *   - a filter: a click on a group button until only that group's rows are painted, and the
 *     same click again until the whole fleet's rows are back;
 *   - the application matrix: the tab, then the grid scrolled through SCROLL_COLUMNS columns
 *     (and down and up its rows) in SCROLL_STEPS steps with a frame between them, the longest
 *     main-thread task (PerformanceObserver 'longtask') from the first step until the cells on
 *     screen are loaded, and how many cell buttons are then on screen;
 *   - the JS heap after a forced GC (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage);
 *   - the bytes of GET /api/multicloud-gitops/v1/fleet over the visit (CDP Network);
 *   - and, for reference, a full page load of /multicloud-gitops to the same first render.
 * Then the backend alone: the first render's and the filter's first request again from Node,
 * with the page closed, so the table tells the server's share from the page's.
 * One table of medians (range) against the issue's targets, and JSON with --json (with every
 * run's figures and the first run's /v1/fleet requests).
 *
 * --profile DIR adds one run outside the figures, with a CPU profile (CDP Profiler) and a
 * trace (CDP Tracing) of each phase, written as DIR/<phase>.cpuprofile and .trace.json, and
 * prints each task over 50 ms split into script, style, layout (and what forced it), paint
 * and GC, and the functions behind it, mapped through the app's source maps.
 * --scheduling samples, every 4 ms, how long the renderer's main thread ran and waited for a
 * CPU (the kernel's schedstat), and prints it for the filter and the longest scroll task: it
 * tells a task that worked 80 ms from one whose thread was not running. The sampling takes
 * CPU from the page itself (filters measured 10-20 ms slower with it): not for the figures.
 * --portal-nice N starts the portal (its backend and the simulated hubs) at nice N, so the
 * browser gets the CPU first, as on a user's machine, where neither the backend nor the hubs
 * run. The table says which was measured. The backend's answers are still in every figure.
 * --init-script FILE runs FILE in the page before the app (an experiment: e.g. patch a
 * builtin to test what a profile suggests, without touching the product).
 *
 * The portal's output goes to $TMPDIR/mcg-bench-hubs-portal-<port>.log. The example backend
 * restarts when someone edits its sources (backstage-cli package start watches them): a run
 * during which it restarted is redone once it and its fleet are back (6 times at most).
 * Everything started here is stopped at the end, on failure, on SIGINT/SIGTERM and by a
 * watchdog (--time-limit seconds, 2,400 by default).
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { startPortal, guestToken, root } = require('../../../e2e/portal');
const { signedInPage } = require('./fleetTab');
const { portOverride } = require('./ports');

const FLEET_PATH = '/multicloud-gitops';
const FLEET_API = /\/api\/multicloud-gitops\/v1\/fleet(\?|$)/;
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const TARGETS = {
  firstRenderMs: 1500,
  filterMs: 100,
  longestScrollTaskMs: 50,
  heapMiB: 150,
};

const log = m =>
  process.stderr.write(
    `[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`,
  );
const sleep = ms => new Promise(r => setTimeout(r, ms));
const median = xs => {
  const v = xs.filter(x => typeof x === 'number').sort((a, b) => a - b);
  return v.length ? v[Math.floor(v.length / 2)] : null;
};
const range = xs => {
  const v = xs.filter(x => typeof x === 'number');
  return v.length ? `${Math.min(...v)}–${Math.max(...v)}` : 'n/a';
};
const MiB = b => b / 1048576;
const KiB = b => b / 1024;

function portFree(port) {
  return new Promise(resolve => {
    const s = net.createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/**
 * The hubs for multicloudGitops.hubs, as app-config.yaml's commented second hub: hub i > 1 on
 * the simulator's port + i - 1 with the token fleet-simulator-token-<i>. Hub 1 stays as
 * ports.js writes it. Arrays replace arrays when Backstage merges configs, so this file,
 * read after ports.js's, holds all N.
 */
function hubsOverride(port, hubs, searchPollSeconds) {
  const sim = port + 1;
  const file = path.join(
    os.tmpdir(),
    `mcg-bench-hubs-${process.pid}-${port}.yaml`,
  );
  let yaml = `multicloudGitops:
  simulator:
    hubs: ${hubs}
  hubs:
    - name: hub
      title: Simulated hub
      kubernetesCluster: hub
      search:
        url: http://127.0.0.1:${sim}/searchapi/graphql
        pollIntervalSeconds: ${searchPollSeconds}
      argocd:
        - name: hub-gitops
          url: http://127.0.0.1:${sim}/argocd/local-cluster
          username: admin
          password: fleet-simulator
`;
  for (let i = 2; i <= hubs; i++) {
    const p = sim + i - 1;
    yaml += `    - name: hub-${i}
      title: Simulated hub ${i}
      url: http://127.0.0.1:${p}
      serviceAccountToken: fleet-simulator-token-${i}
      skipTLSVerify: true
      search:
        url: http://127.0.0.1:${p}/searchapi/graphql
        pollIntervalSeconds: ${searchPollSeconds}
      clusterProxy:
        url: http://127.0.0.1:${p}/cluster-proxy
      argocd:
        - name: hub-${i}-gitops
          url: http://127.0.0.1:${p}/argocd/local-cluster
          username: admin
          password: fleet-simulator
`;
  }
  fs.writeFileSync(file, yaml);
  return {
    file,
    titles: Array.from({ length: hubs }, (_, i) =>
      i ? `Simulated hub ${i + 1}` : 'Simulated hub',
    ),
    cleanup: () => fs.rmSync(file, { force: true }),
  };
}

/** Polls /v1/hubs as the guest until every hub has every source ok and its whole fleet. */
async function waitForFleet(url, hubs, clusters, timeoutMs) {
  const t0 = Date.now();
  let token;
  let last = 'no answer yet';
  let lastLog = 0;
  while (Date.now() - t0 < timeoutMs) {
    try {
      token = token ?? (await guestToken(url));
      const res = await fetch(`${url}/api/multicloud-gitops/v1/hubs`, {
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(30000),
      });
      if (res.status === 401) token = undefined;
      if (res.ok) {
        const body = await res.json();
        const ok = h =>
          h.sources.length &&
          h.sources.every(s => s.state === 'ok') &&
          h.clusterCount >= clusters &&
          h.applicationCount > 0;
        last = body.hubs
          .map(
            h =>
              `${h.id}: ${h.clusterCount} clusters, ${
                h.applicationCount
              } apps, ${h.sources.map(s => `${s.name}:${s.state}`).join(' ')}`,
          )
          .join('; ');
        if (body.hubs.length === hubs && body.hubs.every(ok))
          return { ms: Date.now() - t0, hubs: body.hubs };
      } else last = `HTTP ${res.status}`;
    } catch (e) {
      last = String(e.message || e);
    }
    if (Date.now() - lastLog > 30000) {
      lastLog = Date.now();
      log(`waiting for the fleet: ${last}`);
    }
    await sleep(2000);
  }
  throw new Error(
    `the backend did not have every hub's fleet after ${
      timeoutMs / 1000
    } s: ${last}`,
  );
}

// --- in the page ---------------------------------------------------------------------------

/** Installed before every document: collects long tasks into window.__mcgLongTasks. */
function longTaskCollector() {
  performance.setResourceTimingBufferSize(10000);
  window.__mcgLongTasks = [];
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries())
        window.__mcgLongTasks.push({ start: e.startTime, ms: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    window.__mcgLongTasks = null;
  }
  // The same frames as long animation frames, which say where their time went without a
  // trace (a trace slows the page enough to hide them).
  window.__mcgLongFrames = [];
  try {
    new PerformanceObserver(list => {
      for (const e of list.getEntries()) {
        const end = e.startTime + e.duration;
        window.__mcgLongFrames.push({
          start: e.startTime,
          ms: e.duration,
          scriptMs: e.scripts.reduce((t, x) => t + x.duration, 0),
          // rendering: rAF callbacks, then style, layout and paint
          renderMs: e.renderStart ? end - e.renderStart : 0,
          styleLayoutMs: e.styleAndLayoutStart
            ? end - e.styleAndLayoutStart
            : 0,
          scripts: e.scripts
            .slice()
            .sort((a, b) => b.duration - a.duration)
            .slice(0, 3)
            .map(x => ({
              ms: Math.round(x.duration),
              what: `${x.invokerType} ${x.invoker}${
                x.sourceFunctionName ? ` (${x.sourceFunctionName})` : ''
              }`.slice(0, 120),
              forcedLayoutMs: Math.round(x.forcedStyleAndLayoutDuration),
            })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    window.__mcgLongFrames = null;
  }
}

/** Chromium's renderer processes on this machine (their main thread is the page's). */
function rendererPids() {
  return fs.readdirSync('/proc').filter(pid => {
    if (!/^\d+$/.test(pid)) return false;
    try {
      return fs
        .readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .includes('--type=renderer');
    } catch {
      return false;
    }
  });
}

/**
 * With `on` (--scheduling), samples, every few ms, how long each renderer's main thread has run and waited for a CPU
 * (the kernel's /proc/<pid>/schedstat, in ns): on 2 cores shared with the backend, a task
 * can be long because its thread was not running. `stop()` returns the samples.
 */
function sampleScheduler(on, everyMs = 4) {
  if (!on) return { stop: () => [] };
  const pids = rendererPids();
  const samples = [];
  const read = () => {
    const t = performance.timeOrigin + performance.now();
    for (const pid of pids) {
      try {
        const [run, wait] = fs
          .readFileSync(`/proc/${pid}/schedstat`, 'utf8')
          .split(' ')
          .map(Number);
        samples.push({ t, pid, run, wait });
      } catch {
        // the renderer went away
      }
    }
  };
  read();
  const timer = setInterval(read, everyMs);
  return {
    stop() {
      clearInterval(timer);
      read();
      return samples;
    },
  };
}

/**
 * What the busiest renderer main thread did over [from, to] (epoch ms): ran and waited for
 * a CPU, in ms, from the samples around it; undefined without samples on both sides.
 */
function schedulerOver(samples, from, to) {
  let best;
  for (const pid of new Set(samples.map(x => x.pid))) {
    const mine = samples.filter(x => x.pid === pid);
    const a = mine.filter(x => x.t <= from).at(-1);
    const b = mine.find(x => x.t >= to);
    if (!a || !b) continue;
    const r = {
      ranMs: (b.run - a.run) / 1e6,
      waitedMs: (b.wait - a.wait) / 1e6,
      sampledMs: b.t - a.t,
    };
    if (!best || r.ranMs > best.ranMs) best = r;
  }
  return best;
}

/**
 * What the thread of a long task (from longTasks) did meanwhile: "76 ms task: the renderer
 * ran 30 ms and waited 41 ms for a CPU (over 80 ms of samples)"; '' without a task or samples.
 */
function taskScheduling(task, samples) {
  if (!task || !samples.length) return '';
  const r = schedulerOver(samples, task.epochStart, task.epochStart + task.ms);
  if (!r) return `${Math.round(task.ms)} ms task: not sampled`;
  return `${Math.round(task.ms)} ms task: the renderer ran ${Math.round(
    r.ranMs,
  )} ms and waited ${Math.round(r.waitedMs)} ms for a CPU (over ${Math.round(
    r.sampledMs,
  )} ms of samples)`;
}

/**
 * The longest long animation frame overlapping [from, to], as "81 ms: script 12 ms (top
 * script), rendering 66 ms of which style and layout 20 ms"; '' if none.
 */
async function longestFrame(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const all = window.__mcgLongFrames;
      if (!all) return 'long animation frames not supported';
      const hit = all.filter(f => f.start + f.ms >= a && f.start <= b);
      if (!hit.length) return '';
      const f = hit.reduce((x, y) => (y.ms > x.ms ? y : x));
      const r = Math.round;
      const top = f.scripts[0]
        ? ` (${f.scripts[0].what} ${f.scripts[0].ms} ms${
            f.scripts[0].forcedLayoutMs
              ? `, forced layout ${f.scripts[0].forcedLayoutMs} ms`
              : ''
          })`
        : '';
      return `${r(f.ms)} ms: script ${r(f.scriptMs)} ms${top}, rendering ${r(
        f.renderMs,
      )} ms of which style, layout and paint ${r(f.styleLayoutMs)} ms`;
    },
    [from, to],
  );
}

/** The longest task (and the count) overlapping [from, to] of performance.now(); 0 if none. */
async function longTasks(page, from, to) {
  return page.evaluate(
    ([a, b]) => {
      const all = window.__mcgLongTasks;
      if (!all) return { longest: null, count: null };
      const hit = all.filter(t => t.start + t.ms >= a && t.start <= b);
      const task = hit.length
        ? hit.reduce((x, y) => (y.ms > x.ms ? y : x))
        : undefined;
      return {
        longest: task ? Math.round(task.ms) : 0,
        count: hit.length,
        // the longest task, its start on the epoch clock (for the scheduler's samples)
        task: task && {
          epochStart: performance.timeOrigin + task.start,
          ms: task.ms,
        },
      };
    },
    [from, to],
  );
}

/** Runs in the page: waits for the DOM to be ready, and for the frame that shows it to be painted. */
const PAGE_HELPERS = `
window.__mcgAfterPaint = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
// Checked in animation-frame callbacks only: the DOM a frame's callbacks see is what that
// frame paints right after them, so a task queued from the callback that saw it ready runs
// once it is painted. (Waiting for the next frame from there would count one frame more.)
window.__mcgUntilPainted = (ready, timeoutMs) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const tick = () => {
    let v;
    try { v = ready(); } catch (e) { v = false; }
    if (v) return setTimeout(() => resolve(v), 0);
    if (performance.now() - t0 > timeoutMs) return reject(new Error('timed out after ' + timeoutMs + ' ms'));
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
});
window.__mcgUntil = (ready, timeoutMs) => new Promise((resolve, reject) => {
  const t0 = performance.now();
  const tick = () => {
    let v;
    try { v = ready(); } catch (e) { v = false; }
    if (v) return resolve(v);
    if (performance.now() - t0 > timeoutMs) return reject(new Error('timed out after ' + timeoutMs + ' ms'));
    requestAnimationFrame(tick);
  };
  tick();
});
window.__mcgRows = () => [...document.querySelectorAll('[data-testid^="cluster-row-"]')];
window.__mcgRowGroup = r => r.querySelectorAll('[role="cell"]')[2]?.textContent ?? '';
window.__mcgSummary = () => {
  const el = [...document.querySelectorAll('[aria-live="polite"]')].find(e => /^Showing/.test(e.textContent));
  return el ? el.textContent : '';
};
window.__mcgLastAnswer = (t0, t1) => {
  const ends = performance.getEntriesByType('resource')
    .filter(e => e.name.includes('/api/multicloud-gitops/v1/fleet') && e.startTime >= t0 && e.responseEnd <= t1)
    .map(e => e.responseEnd);
  return ends.length ? Math.max(...ends) : null;
};
window.__mcgHubsPainted = n => {
  const hubs = document.querySelectorAll('section[aria-label^="Hub "]');
  return hubs.length === n && [...hubs].every(h => h.querySelector('[data-testid^="group-"]'));
};
`;

async function ensureHelpers(page) {
  await page.evaluate(PAGE_HELPERS);
}

// --- CPU profiles ---------------------------------------------------------------------------

/**
 * Maps a profile's call frames to the app's sources through its source maps: { name, src }
 * where src is `plugins/...:line` (ours), `node_modules/<pkg>/...:line`, or the bundle file.
 */
function sourceMapper() {
  let SourceMapConsumer;
  try {
    ({ SourceMapConsumer } = require('source-map-js'));
  } catch {
    SourceMapConsumer = undefined;
  }
  const maps = new Map();
  const consumer = url => {
    if (!SourceMapConsumer) return null;
    if (maps.has(url)) return maps.get(url);
    let c = null;
    try {
      const file = path.join(
        root,
        'packages/app/dist/static',
        path.basename(new URL(url).pathname),
      );
      if (fs.existsSync(`${file}.map`))
        c = new SourceMapConsumer(
          JSON.parse(fs.readFileSync(`${file}.map`, 'utf8')),
        );
    } catch {
      c = null;
    }
    maps.set(url, c);
    return c;
  };
  return f => {
    const name = f.functionName || '(anonymous)';
    if (!f.url) return { name, src: '' };
    const bundle = `${path.basename(f.url)}:${f.lineNumber + 1}`;
    const c = f.lineNumber >= 0 ? consumer(f.url) : null;
    const o = c?.originalPositionFor({
      line: f.lineNumber + 1,
      column: f.columnNumber,
    });
    if (!o?.source) return { name, src: bundle };
    const src = o.source
      .replace(/^webpack:\/\/[^/]*\//, '')
      .replace(/^.*node_modules\//, 'node_modules/')
      .replace(/^.*\/(plugins|packages)\//, '$1/');
    return { name: o.name || name, src: `${src}:${o.line}` };
  };
}

/** React's own machinery: its time is the components', listed separately. */
const REACT_INTERNALS =
  /^node_modules\/(react-dom|scheduler|react|react-is)\/|^webpack\//;

/**
 * The busy stretches of a profile (samples not idle, gaps under 4 ms) longer than 50 ms, each
 * with, in it: the time in our components and functions (self + callees; plugins/ and
 * packages/ sources), in library functions other than React's own, and the functions and
 * browser calls that took the time themselves (self).
 */
function profileLongTasks(profile, describeFrame, top = 10, minMs = 50) {
  const nodes = new Map(profile.nodes.map(n => [n.id, n]));
  const described = new Map();
  const describe = f => {
    const k = `${f.functionName}|${f.url}|${f.lineNumber}|${f.columnNumber}`;
    if (!described.has(k)) described.set(k, describeFrame(f));
    return described.get(k);
  };
  const parent = new Map();
  for (const n of profile.nodes)
    for (const c of n.children ?? []) parent.set(c, n.id);
  const fnOf = id => nodes.get(id).callFrame.functionName;
  const idle = id => ['(idle)', '(program)'].includes(fnOf(id));
  let t = profile.startTime;
  // Deltas may be negative: the samples come in the order taken, times sorted here.
  const samples = profile.samples
    .map((id, i) => {
      t += profile.timeDeltas[i];
      return { id, t };
    })
    .sort((a, b) => a.t - b.t);
  const spans = [];
  let cur;
  for (let i = 0; i < samples.length; i++) {
    const s = samples[i];
    const dt = (samples[i + 1]?.t ?? s.t) - s.t;
    if (idle(s.id) || (fnOf(s.id) === '(garbage collector)' && !cur)) continue;
    if (!cur || s.t - cur.end > 4000) {
      if (cur) spans.push(cur);
      cur = { start: s.t, end: s.t + dt, samples: [] };
    }
    cur.end = s.t + dt;
    cur.samples.push({ id: s.id, dt });
  }
  if (cur) spans.push(cur);
  const key = d => `${d.name}${d.src ? ` ${d.src}` : ''}`;
  return spans
    .filter(sp => sp.end - sp.start > minMs * 1000)
    .map(sp => {
      const self = new Map();
      const ours = new Map();
      const libs = new Map();
      for (const { id, dt } of sp.samples) {
        const d = describe(nodes.get(id).callFrame);
        self.set(key(d), (self.get(key(d)) ?? 0) + dt);
        const seen = new Set();
        for (let p = id; p !== undefined; p = parent.get(p)) {
          const f = nodes.get(p).callFrame;
          if (f.functionName === '(root)') break;
          const x = describe(f);
          const k = key(x);
          if (seen.has(k) || !x.src) continue;
          seen.add(k);
          const into = /^(plugins|packages)\//.test(x.src)
            ? ours
            : /^node_modules\//.test(x.src) && !REACT_INTERNALS.test(x.src)
            ? libs
            : undefined;
          into?.set(k, (into.get(k) ?? 0) + dt);
        }
      }
      const list = m =>
        [...m]
          .sort((a, b) => b[1] - a[1])
          .slice(0, top)
          .map(([k, us]) => ({ fn: k, ms: Math.round(us / 1000) }));
      return {
        atMs: Math.round((sp.start - profile.startTime) / 1000),
        ms: Math.round((sp.end - sp.start) / 1000),
        ours: list(ours),
        libraries: list(libs),
        self: list(self),
      };
    })
    .sort((a, b) => b.ms - a.ms);
}

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
  'blink.user_timing',
  'v8',
];

/**
 * The renderer main thread's tasks over 50 ms in a trace (the tasks the 'longtask' observer
 * reports), each with where its time went: script (FunctionCall and the like, outermost),
 * style recalculation, layout (and how much of it was forced by script, with the script
 * that forced the largest), paint and GC.
 */
function traceLongTasks(events, mapper) {
  const threads = events.filter(
    e =>
      e.ph === 'M' &&
      e.name === 'thread_name' &&
      e.args?.name === 'CrRendererMain',
  );
  const isTask = e =>
    e.ph === 'X' &&
    (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask');
  let main;
  let most = -1;
  for (const t of threads) {
    const n = events.filter(
      e => e.pid === t.pid && e.tid === t.tid && isTask(e),
    ).length;
    if (n > most) [main, most] = [t, n];
  }
  if (!main) return [];
  const mine = events
    .filter(e => e.pid === main.pid && e.tid === main.tid && e.ph === 'X')
    .sort((a, b) => a.ts - b.ts);
  const start = mine[0]?.ts ?? 0;
  const SCRIPT = new Set([
    'FunctionCall',
    'EvaluateScript',
    'TimerFire',
    'EventDispatch',
    'FireAnimationFrame',
    'RunMicrotasks',
    'V8.Execute',
  ]);
  const frame = st => {
    const f = st?.[0];
    if (!f) return '';
    const d = mapper
      ? mapper({
          functionName: f.functionName,
          url: f.url,
          lineNumber: f.lineNumber - 1,
          columnNumber: f.columnNumber - 1,
        })
      : { name: f.functionName, src: `${f.url}:${f.lineNumber}` };
    return `${d.name || '(anonymous)'} ${d.src}`;
  };
  const out = [];
  let taskUntil = -1;
  const outermost = mine.filter(e => {
    if (!isTask(e) || e.ts < taskUntil) return false;
    taskUntil = e.ts + e.dur;
    return true;
  });
  for (const task of outermost.filter(e => e.dur > 50000)) {
    const end = task.ts + task.dur;
    const inside = mine.filter(
      e => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end,
    );
    const sum = {
      script: 0,
      style: 0,
      layout: 0,
      forcedLayout: 0,
      paint: 0,
      gc: 0,
    };
    let scriptUntil = -1;
    let gcUntil = -1;
    let biggestLayout;
    let biggestForced;
    let styleElements = 0;
    for (const e of inside) {
      const inScript = e.ts < scriptUntil;
      if (SCRIPT.has(e.name) && !inScript) {
        sum.script += e.dur;
        scriptUntil = e.ts + e.dur;
      } else if (
        e.name === 'UpdateLayoutTree' ||
        e.name === 'RecalculateStyles'
      ) {
        sum.style += e.dur;
        styleElements += e.args?.elementCount ?? 0;
      } else if (e.name === 'Layout') {
        sum.layout += e.dur;
        const objects = e.args?.beginData?.dirtyObjects;
        if (!biggestLayout || e.dur > biggestLayout.dur)
          biggestLayout = { dur: e.dur, objects };
        if (inScript) {
          sum.forcedLayout += e.dur;
          if (!biggestForced || e.dur > biggestForced.dur)
            biggestForced = {
              dur: e.dur,
              objects,
              by: frame(e.args?.beginData?.stackTrace),
            };
        }
      } else if (
        [
          'Paint',
          'PrePaint',
          'Layerize',
          'UpdateLayerTree',
          'CompositeLayers',
        ].includes(e.name)
      ) {
        sum.paint += e.dur;
      } else if (
        [
          'MinorGC',
          'MajorGC',
          'V8.GCIncrementalMarking',
          'BlinkGC.AtomicPhase',
        ].includes(e.name) &&
        e.ts >= gcUntil
      ) {
        sum.gc += e.dur;
        gcUntil = e.ts + e.dur;
      }
    }
    const ms = us => Math.round(us / 1000);
    // The profiler starting is a task of its own, not the page's.
    if (inside.some(e => e.name === 'CpuProfiler::StartProfiling')) continue;
    out.push({
      atMs: ms(task.ts - start),
      ms: ms(task.dur),
      scriptMs: ms(sum.script),
      styleMs: ms(sum.style),
      styleElements,
      layoutMs: ms(sum.layout),
      forcedLayoutMs: ms(sum.forcedLayout),
      largestLayout: biggestLayout && {
        ms: ms(biggestLayout.dur),
        dirtyObjects: biggestLayout.objects,
      },
      largestForcedLayout: biggestForced && {
        ms: ms(biggestForced.dur),
        dirtyObjects: biggestForced.objects,
        forcedBy: biggestForced.by,
      },
      paintMs: ms(sum.paint),
      gcMs: ms(sum.gc),
    });
  }
  return out.sort((a, b) => b.ms - a.ms);
}

// --- the run ----------------------------------------------------------------------------------

async function runHubs(opts) {
  const {
    hubs,
    clusters,
    apps,
    port,
    jsonOut,
    runs,
    timeLimitS,
    profileDir,
    scrollColumns,
    scrollSteps,
    initScript,
    sampleScheduling,
    portalNice = 0,
  } = opts;
  if (!Number.isInteger(portalNice) || portalNice < 0 || portalNice > 19)
    throw new Error('--portal-nice must be a whole number from 0 to 19');
  const started = Date.now();
  const portalLog = path.join(os.tmpdir(), `mcg-bench-hubs-portal-${port}.log`);
  const stops = [];
  let shot;
  let stopping;
  const stopAll = async () => {
    if (!stopping)
      stopping = (async () => {
        for (const s of stops.reverse()) await s().catch(() => {});
      })();
    return stopping;
  };
  const watchdog = setTimeout(async () => {
    log(`time limit of ${timeLimitS} s reached: stopping everything`);
    await stopAll();
    process.exit(1);
  }, timeLimitS * 1000);
  const onSignal = async sig => {
    log(`${sig}: stopping everything`);
    await stopAll();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const results = {
    date: new Date().toISOString(),
    page: FLEET_PATH,
    hubs,
    clustersPerHub: clusters,
    applicationsPerCluster: apps,
    runs,
    chromium: CHROMIUM_ARGS,
    portalNice,
    scroll: { columns: scrollColumns, steps: scrollSteps },
    targets: TARGETS,
    firstRenderMs: [],
    firstRenderLongestTaskMs: [],
    firstRenderAnswerMs: [],
    filterMs: [],
    filterAnswerMs: [],
    filterLongestTaskMs: [],
    clearFilterMs: [],
    matrixMs: [],
    longestScrollTaskMs: [],
    longestScrollFrame: [],
    longestScrollTaskScheduling: [],
    longestFilterFrame: [],
    filterScheduling: [],
    longestTaskScrollStepsMs: [],
    longestTaskAfterScrollMs: [],
    scrollLongTasks: [],
    scrollSettleMs: [],
    cellButtonsAfterScroll: [],
    busyCellsAfterScroll: [],
    heapUsedMiB: [],
    jsHeapUsedSizeMiB: [],
    fleetRequests: [],
    fleetNotModified: [],
    fleetTransferKiB: [],
    fleetBodyKiB: [],
    fleetLargestBodyKiB: [],
    fleetLargestTransferKiB: [],
    fullLoadMs: [],
  };
  try {
    for (let p = port; p <= port + hubs; p++)
      if (!(await portFree(p)))
        throw new Error(
          `port ${p} is taken: the portal needs ${port} and its ${hubs} hubs ${
            port + 1
          }-${port + hubs}; pick another --port`,
        );
    const override = portOverride(
      port,
      `    clusters: ${clusters}\n    appsPerCluster: ${apps}\n    groups: 8\n    tick: 0s\n`,
      { searchPollSeconds: 15 },
    );
    stops.push(override.cleanup);
    const hubsFile = hubsOverride(port, hubs, 15);
    fs.writeFileSync(portalLog, '');
    log(`the portal's output goes to ${portalLog}`);
    stops.push(async () => hubsFile.cleanup());
    log(
      `starting the portal on ${port} with ${hubs} simulated hubs (${
        port + 1
      }-${port + hubs}) x ${clusters} clusters x ${apps} apps`,
    );
    const portal = await startPortal({
      configs: [
        path.join(root, 'e2e/app-config.e2e.yaml'),
        override.file,
        hubsFile.file,
      ],
      port,
      timeoutMs: 1200000,
      log: d => fs.appendFileSync(portalLog, d),
      nice: portalNice,
    });
    stops.push(() => portal.stop());
    results.portalReadyMs = portal.startMs;
    log(`portal ready in ${(portal.startMs / 1000).toFixed(1)} s`);

    const fleet = await waitForFleet(portal.url, hubs, clusters, 1500000);
    results.fleetSyncedAfterReadyMs = fleet.ms;
    results.fleet = fleet.hubs.map(h => ({
      id: h.id,
      clusters: h.clusterCount,
      applications: h.applicationCount,
    }));
    const totalClusters = fleet.hubs.reduce((s, h) => s + h.clusterCount, 0);
    const totalApps = fleet.hubs.reduce((s, h) => s + h.applicationCount, 0);
    results.totalClusters = totalClusters;
    results.totalApplications = totalApps;
    log(
      `every hub's fleet is in the backend ${(fleet.ms / 1000).toFixed(
        1,
      )} s after ready: ${results.fleet
        .map(h => `${h.id} ${h.clusters} clusters/${h.applications} apps`)
        .join(', ')}`,
    );

    const { chromium } = require('playwright-core');
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    stops.push(() => browser.close());
    const ctx = { url: portal.url, browser };
    const page = await signedInPage(ctx);
    shot = page;
    await page.addInitScript(longTaskCollector);
    if (initScript) {
      await page.addInitScript({ path: path.resolve(initScript) });
      results.initScript = path.resolve(initScript);
    }
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Performance.enable');
    if (profileDir) {
      fs.mkdirSync(profileDir, { recursive: true });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    }
    let fleetReqs = new Map();
    cdp.on('Network.responseReceived', e => {
      const r = fleetReqs.get(e.requestId);
      if (r) r.status = e.response.status;
    });
    // What came over the wire: a 304 here with a 200 above is the browser's HTTP cache
    // revalidating its copy (the page gets the cached body).
    cdp.on('Network.responseReceivedExtraInfo', e => {
      const r = fleetReqs.get(e.requestId);
      if (r) r.wireStatus = e.statusCode;
    });
    cdp.on('Network.dataReceived', e => {
      const r = fleetReqs.get(e.requestId);
      if (r) r.body += e.dataLength;
    });
    cdp.on('Network.loadingFinished', e => {
      const r = fleetReqs.get(e.requestId);
      if (r) {
        r.transfer = e.encodedDataLength;
        r.done = true;
      }
    });
    // Requests the page gave up on (a new filter aborts the old one's blocks).
    cdp.on('Network.loadingFailed', e => {
      const r = fleetReqs.get(e.requestId);
      if (r) {
        r.done = true;
        r.failed = true;
      }
    });
    cdp.on('Network.requestWillBeSent', e => {
      if (FLEET_API.test(e.request.url) && !fleetReqs.has(e.requestId))
        fleetReqs.set(e.requestId, {
          url: e.request.url,
          status: 0,
          body: 0,
          transfer: 0,
          done: false,
        });
    });
    const inFlight = () => [...fleetReqs.values()].some(r => !r.done);
    const mapper = profileDir ? sourceMapper() : undefined;
    const profiled = async (phase, on, fn) => {
      if (!on) return fn();
      const trace = [];
      const onData = e => trace.push(...e.value);
      cdp.on('Tracing.dataCollected', onData);
      await cdp.send('Tracing.start', {
        transferMode: 'ReportEvents',
        traceConfig: { includedCategories: TRACE_CATEGORIES },
      });
      await cdp.send('Profiler.start');
      try {
        return await fn();
      } finally {
        const { profile } = await cdp.send('Profiler.stop');
        const complete = new Promise(r =>
          cdp.once('Tracing.tracingComplete', r),
        );
        await cdp.send('Tracing.end');
        await Promise.race([complete, sleep(60000)]);
        cdp.off('Tracing.dataCollected', onData);
        const file = path.join(profileDir, `${phase}.cpuprofile`);
        fs.writeFileSync(file, JSON.stringify(profile));
        const traceFile = path.join(profileDir, `${phase}.trace.json`);
        fs.writeFileSync(traceFile, JSON.stringify({ traceEvents: trace }));
        (results.profiles ??= {})[phase] = {
          file,
          traceFile,
          tasks: traceLongTasks(trace, mapper),
          longTasks: profileLongTasks(profile, mapper),
        };
      }
    };

    // A page without the fleet to start from; a full load, so nothing of the fleet is cached.
    // Not fleetTab.js's open(): the locator it loses its race with keeps polling the page
    // (Playwright's injected script, every frame) for up to a minute, into the figures.
    const startPage = async () => {
      await page.goto(`${portal.url}/`);
      const link = page.getByRole('link', { name: 'Fleet', exact: true });
      const enter = page.getByRole('button', { name: /enter/i });
      await link.or(enter).first().waitFor({ timeout: 60000 });
      if (!(await link.first().isVisible())) {
        await enter.first().click({ timeout: 10000 });
        await link.first().waitFor({ timeout: 60000 });
      }
      await page
        .waitForLoadState('networkidle', { timeout: 15000 })
        .catch(() => {});
      await ensureHelpers(page);
    };

    // With --profile, one more run, profiled and traced, outside the figures.
    const iteration = async (i, prof) => {
      const it = {};
      const put = (k, v) => {
        it[k] = v;
      };
      await startPage();
      fleetReqs = new Map();

      // 1. First render: the sidebar link to rows and every hub's groups painted.
      const link = await page
        .getByRole('link', { name: 'Fleet', exact: true })
        .first()
        .elementHandle();
      const first = await profiled('first-render', prof, () =>
        page.evaluate(
          async ([a, n]) => {
            const t0 = performance.now();
            a.click();
            await window.__mcgUntilPainted(
              () => window.__mcgRows().length > 0 && window.__mcgHubsPainted(n),
              120000,
            );
            const t1 = performance.now();
            return { t0, t1, answer: window.__mcgLastAnswer(t0, t1) };
          },
          [link, hubs],
        ),
      );
      put('firstRenderMs', Math.round(first.t1 - first.t0));
      put(
        'firstRenderAnswerMs',
        first.answer === null ? null : Math.round(first.answer - first.t0),
      );
      put(
        'firstRenderLongestTaskMs',
        (await longTasks(page, first.t0, first.t1)).longest,
      );
      const firstRenderUrl = [...fleetReqs.values()][0]?.url;
      if (new URL(page.url()).pathname !== FLEET_PATH)
        throw new Error(`the Fleet link went to ${page.url()}`);

      // 2. A filter: a group other than the first row's, then the same button again.
      const filterScheduler = sampleScheduler(sampleScheduling);
      const filter = await profiled('filter', prof, () =>
        page.evaluate(async () => {
          const rows0 = window.__mcgRows();
          const firstRow = rows0[0].getAttribute('data-testid');
          const firstGroup = window.__mcgRowGroup(rows0[0]);
          const summary0 = window.__mcgSummary();
          const buttons = [
            ...document.querySelectorAll(
              'section[aria-label^="Hub "] [data-testid^="group-"]',
            ),
          ];
          const names = buttons.map(b =>
            b.getAttribute('data-testid').slice('group-'.length),
          );
          const group =
            names.find(g => g !== firstGroup && g.startsWith('group-')) ??
            names.find(g => g !== firstGroup);
          const button = () =>
            document.querySelector(
              `section[aria-label^="Hub "] [data-testid="group-${CSS.escape(
                group,
              )}"]`,
            );
          const t0 = performance.now();
          button().click();
          // The cheapest test first: this runs in every frame of the measured time, on the
          // page's main thread, and the rows are only read once the URL and summary say so.
          await window.__mcgUntilPainted(() => {
            if (
              !new URL(location.href).searchParams
                .getAll('group')
                .includes(group) ||
              window.__mcgSummary() === summary0
            )
              return false;
            const rows = window.__mcgRows();
            return (
              rows.length > 0 &&
              rows.every(r => window.__mcgRowGroup(r) === group)
            );
          }, 60000);
          const t1 = performance.now();
          const filtered = window.__mcgSummary();
          await new Promise(r => setTimeout(r, 300));
          const t2 = performance.now();
          button().click();
          await window.__mcgUntilPainted(
            () =>
              !new URL(location.href).searchParams.has('group') &&
              window.__mcgSummary() === summary0 &&
              window.__mcgRows()[0]?.getAttribute('data-testid') === firstRow,
            60000,
          );
          const t3 = performance.now();
          return {
            group,
            filtered,
            t0,
            t1,
            t2,
            t3,
            answer1: window.__mcgLastAnswer(t0, t1),
            answer3: window.__mcgLastAnswer(t2, t3),
          };
        }),
      );
      const filterSamples = filterScheduler.stop();
      put('filterMs', Math.round(filter.t1 - filter.t0));
      {
        const origin = await page.evaluate(() => performance.timeOrigin);
        const r = schedulerOver(
          filterSamples,
          origin + filter.t0,
          origin + filter.t1,
        );
        put(
          'filterScheduling',
          r
            ? `the renderer ran ${Math.round(
                r.ranMs,
              )} ms and waited ${Math.round(r.waitedMs)} ms for a CPU`
            : '',
        );
      }
      put('clearFilterMs', Math.round(filter.t3 - filter.t2));
      put(
        'filterAnswerMs',
        filter.answer1 === null ? null : Math.round(filter.answer1 - filter.t0),
      );
      put('longestFilterFrame', await longestFrame(page, filter.t0, filter.t1));
      put(
        'filterLongestTaskMs',
        Math.max(
          (await longTasks(page, filter.t0, filter.t1)).longest ?? 0,
          (await longTasks(page, filter.t2, filter.t3)).longest ?? 0,
        ),
      );
      if (i === 0) {
        results.replayUrls = {
          firstRender: firstRenderUrl,
          filter: [...fleetReqs.values()].find(r => /[?&]group=/.test(r.url))
            ?.url,
        };
        results.filterGroup = filter.group;
        results.filteredSummary = filter.filtered;
      }

      // 3. The matrix: the tab, then scrolling through a few thousand columns.
      const matrix = await page.evaluate(async () => {
        const t0 = performance.now();
        document.getElementById('mcg-tab-matrix').click();
        await window.__mcgUntilPainted(
          () =>
            document.querySelector(
              'section[aria-label^="Applications by cluster"] button[aria-label*=" on "]',
            ),
          60000,
        );
        const t1 = performance.now();
        // The first screen's cells, before scrolling.
        await window
          .__mcgUntil(
            () =>
              !document.querySelector(
                'section[aria-label^="Applications by cluster"] [aria-busy="true"]',
              ),
            30000,
          )
          .catch(() => {});
        return {
          ms: t1 - t0,
          label: document
            .querySelector('section[aria-label^="Applications by cluster"]')
            .getAttribute('aria-label'),
        };
      });
      put('matrixMs', Math.round(matrix.ms));
      if (i === 0) results.matrixLabel = matrix.label;
      await sleep(500);

      // Profiled until the blocks on screen have loaded: the long tasks come after the steps.
      const scheduler = sampleScheduler(sampleScheduling);
      const scroll = await profiled('matrix-scroll', prof, async () => {
        const steps = await page.evaluate(
          async ([columns, steps]) => {
            const section = document.querySelector(
              'section[aria-label^="Applications by cluster"]',
            );
            const grid = [...section.querySelectorAll('div')].find(
              d =>
                getComputedStyle(d).overflow === 'auto' &&
                d.scrollWidth > d.clientWidth,
            );
            if (!grid) throw new Error('no scrolling grid in the matrix');
            const colWidth =
              grid.scrollWidth /
              Number(
                /on (\d+) cluster/.exec(section.getAttribute('aria-label'))[1],
              );
            const maxLeft = grid.scrollWidth - grid.clientWidth;
            const maxTop = grid.scrollHeight - grid.clientHeight;
            const frame = () => new Promise(r => requestAnimationFrame(r));
            const t0 = performance.now();
            for (let s = 1; s <= steps; s++) {
              grid.scrollLeft = Math.min(
                maxLeft,
                Math.round((columns * colWidth * s) / steps),
              );
              // Down to the last rows over the first half, back up over the second.
              const f =
                s <= steps / 2 ? s / (steps / 2) : (steps - s) / (steps / 2);
              grid.scrollTop = Math.round(maxTop * f);
              await frame();
            }
            const t1 = performance.now();
            return {
              t0,
              t1,
              scrollLeft: grid.scrollLeft,
              columnsScrolled: Math.round(grid.scrollLeft / colWidth),
              maxTop,
            };
          },
          [scrollColumns, scrollSteps],
        );
        // Settled: no request in flight and no cell on screen waiting for its block.
        const settle0 = Date.now();
        while (Date.now() - settle0 < 60000) {
          const busy = await page.evaluate(
            () =>
              document.querySelectorAll(
                'section[aria-label^="Applications by cluster"] [aria-busy="true"]',
              ).length,
          );
          if (busy === 0 && !inFlight()) break;
          await sleep(50);
        }
        return steps;
      });
      const settled = await page.evaluate(async () => {
        await window.__mcgAfterPaint();
        return {
          t: performance.now(),
          cells: document.querySelectorAll(
            'section[aria-label^="Applications by cluster"] button[aria-label*=" on "]',
          ).length,
          busy: document.querySelectorAll(
            'section[aria-label^="Applications by cluster"] [aria-busy="true"]',
          ).length,
        };
      });
      const schedSamples = scheduler.stop();
      const lt = await longTasks(page, scroll.t0, settled.t);
      put('longestScrollTaskScheduling', taskScheduling(lt.task, schedSamples));
      put(
        'longestTaskScrollStepsMs',
        (await longTasks(page, scroll.t0, scroll.t1)).longest,
      );
      put(
        'longestTaskAfterScrollMs',
        (await longTasks(page, scroll.t1, settled.t)).longest,
      );
      put('longestScrollTaskMs', lt.longest);
      put('longestScrollFrame', await longestFrame(page, scroll.t0, settled.t));
      put('scrollLongTasks', lt.count);
      put('scrollSettleMs', Math.round(settled.t - scroll.t1));
      put('cellButtonsAfterScroll', settled.cells);
      put('busyCellsAfterScroll', settled.busy);
      if (i === 0) results.columnsScrolled = scroll.columnsScrolled;

      // 4. The heap after a full GC, then the fleet's bytes over the visit.
      await cdp.send('HeapProfiler.collectGarbage');
      await sleep(200);
      await cdp.send('HeapProfiler.collectGarbage');
      const heap = await cdp.send('Runtime.getHeapUsage');
      const { metrics } = await cdp.send('Performance.getMetrics');
      put('heapUsedMiB', Number(MiB(heap.usedSize).toFixed(1)));
      put(
        'jsHeapUsedSizeMiB',
        Number(
          MiB(metrics.find(m => m.name === 'JSHeapUsedSize').value).toFixed(1),
        ),
      );
      const reqs = [...fleetReqs.values()].filter(r => !r.failed);
      if (i === 0)
        results.fleetRequestLog = [...fleetReqs.values()].map(r => ({
          query: new URL(r.url).search,
          status: r.failed ? 'aborted' : r.status,
          wireStatus: r.wireStatus,
          bodyBytes: r.body,
          transferBytes: r.transfer,
        }));
      put('fleetRequests', reqs.length);
      put('fleetNotModified', reqs.filter(r => r.status === 304).length);
      put(
        'fleetRevalidatedByBrowser',
        reqs.filter(r => r.status === 200 && r.wireStatus === 304).length,
      );
      put(
        'fleetTransferKiB',
        Math.round(KiB(reqs.reduce((s, r) => s + r.transfer, 0))),
      );
      put(
        'fleetBodyKiB',
        Math.round(KiB(reqs.reduce((s, r) => s + r.body, 0))),
      );
      put(
        'fleetLargestBodyKiB',
        Number(KiB(Math.max(0, ...reqs.map(r => r.body))).toFixed(1)),
      );
      put(
        'fleetLargestTransferKiB',
        Number(KiB(Math.max(0, ...reqs.map(r => r.transfer))).toFixed(1)),
      );

      // 5. For reference: a full page load of the Fleet page to the same first render.
      await page.goto(`${portal.url}${FLEET_PATH}`);
      const full = await page
        .waitForFunction(
          n => {
            const hubsEl = document.querySelectorAll(
              'section[aria-label^="Hub "]',
            );
            const ok =
              document.querySelector('[data-testid^="cluster-row-"]') &&
              hubsEl.length === n &&
              [...hubsEl].every(h =>
                h.querySelector('[data-testid^="group-"]'),
              );
            return ok ? performance.now() : false;
          },
          hubs,
          { polling: 'raf', timeout: 120000 },
        )
        .then(h => h.jsonValue())
        .catch(() => null);
      put('fullLoadMs', full === null ? null : Math.round(full));
      return it;
    };

    // The example backend restarts when someone edits its sources (backstage-cli package
    // start watches them): then wait for it and its fleet again, and redo the iteration.
    let restarts = 0;
    const MAX_RESTARTS = 6;
    const restartsInLog = () =>
      (
        fs
          .readFileSync(portalLog, 'utf8')
          .match(/Change detected, restarting/g) ?? []
      ).length;
    // After a restart: the new backend's plugins initialised, then every hub's fleet again.
    const backAfterRestart = async () => {
      const t0 = Date.now();
      for (;;) {
        const text = fs.readFileSync(portalLog, 'utf8');
        const at = text.lastIndexOf('Change detected, restarting');
        if (text.indexOf('Plugin initialization complete', at) > at) break;
        if (Date.now() - t0 > 900000)
          throw new Error('the backend did not come back after a restart');
        await sleep(2000);
      }
      const w = await waitForFleet(portal.url, hubs, clusters, 1500000);
      log(
        `back with every hub's fleet ${((Date.now() - t0) / 1000).toFixed(
          0,
        )} s later (${(w.ms / 1000).toFixed(0)} s for the fleet)`,
      );
    };
    const restarted = async e => {
      if (
        /ERR_CONNECTION_REFUSED|ECONNREFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET/.test(
          String(e),
        )
      )
        return true;
      try {
        const res = await fetch(
          `${portal.url}/.backstage/health/v1/readiness`,
          {
            signal: AbortSignal.timeout(10000),
          },
        );
        return !res.ok;
      } catch {
        return true;
      }
    };
    /**
     * Runs `fn`, again after a backend restart during it (its figures are not the page's),
     * at most MAX_RESTARTS times in all.
     */
    const withRestarts = async fn => {
      for (;;) {
        const before = restartsInLog();
        try {
          const value = await fn();
          if (restartsInLog() === before) return value;
          if (restarts >= MAX_RESTARTS)
            throw new Error(
              `the backend restarted more than ${MAX_RESTARTS} times`,
            );
          restarts++;
          log(
            `the backend restarted during the run (a source file changed), restart ${restarts}: waiting for it and its fleet, then redoing the run`,
          );
          await backAfterRestart();
        } catch (e) {
          if (
            restarts >= MAX_RESTARTS ||
            (restartsInLog() === before && !(await restarted(e)))
          )
            throw e;
          restarts++;
          log(
            `the backend went away (${
              String(e.message || e).split('\n')[0]
            }), restart ${restarts}: waiting for it and its fleet, then redoing the run`,
          );
          await backAfterRestart();
        }
      }
    };

    // A first visit, outside the figures: the app's chunks into the HTTP cache and the
    // backend's first answers for these filters.
    await withRestarts(async () => {
      await startPage();
      await page
        .getByRole('link', { name: 'Fleet', exact: true })
        .first()
        .click();
      await page
        .locator('[data-testid^="cluster-row-"]')
        .first()
        .waitFor({ timeout: 120000 });
    });

    for (let i = 0; i < runs + (profileDir ? 1 : 0); i++) {
      const prof = i === runs;
      const it = await withRestarts(() => iteration(i, prof));
      const R = prof ? (results.profiledRun = {}) : results;
      for (const [k, v] of Object.entries(it)) (R[k] ??= []).push(v);
      log(
        `${prof ? 'profiled run' : `run ${i + 1}/${runs}`}: first render ${
          it.firstRenderMs
        } ms, filter ${it.filterMs} ms, matrix ${
          it.matrixMs
        } ms, longest scroll task ${it.longestScrollTaskMs} ms, ${
          it.cellButtonsAfterScroll
        } cells, heap ${it.heapUsedMiB} MiB, /fleet ${
          it.fleetRequests
        } requests ${it.fleetTransferKiB} KiB, full load ${it.fullLoadMs} ms`,
      );
      // Where the longest frames' time went (long animation frames, see longTaskCollector).
      if (it.filterScheduling)
        log(`  filter, click to painted: ${it.filterScheduling}`);
      if (it.longestFilterFrame)
        log(`  longest frame while filtering: ${it.longestFilterFrame}`);
      if (it.longestScrollFrame)
        log(`  longest frame while scrolling: ${it.longestScrollFrame}`);
      if (it.longestScrollTaskScheduling)
        log(
          `  longest task while scrolling: ${it.longestScrollTaskScheduling}`,
        );
    }
    results.backendRestarts = restarts;

    // The backend alone: the same requests as the first render's and the filter's first
    // block, from Node one after the other with the page closed, as the guest.
    await browser.close();
    await withRestarts(async () => {
      const token = await guestToken(portal.url);
      for (const [k, url] of Object.entries(results.replayUrls ?? {})) {
        if (!url) continue;
        const key = `backend${k[0].toUpperCase()}${k.slice(1)}Ms`;
        results[key] = [];
        for (let n = 0; n < runs; n++) {
          const t0 = performance.now();
          const res = await fetch(url, {
            headers: { authorization: `Bearer ${token}` },
            signal: AbortSignal.timeout(60000),
          });
          await res.arrayBuffer();
          if (!res.ok) throw new Error(`GET ${url}: HTTP ${res.status}`);
          results[key].push(Math.round(performance.now() - t0));
        }
      }
    });
  } catch (e) {
    if (shot) {
      const file = path.join(os.tmpdir(), 'mcg-bench-hubs-failed.png');
      await shot
        .screenshot({ path: file, timeout: 10000 })
        .then(() => log(`screenshot of the page at the failure: ${file}`))
        .catch(() => {});
    }
    throw e;
  } finally {
    clearTimeout(watchdog);
    await stopAll();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
  results.wallS = Math.round((Date.now() - started) / 1000);
  printTable(results);
  if (jsonOut) {
    const medians = {};
    for (const [k, v] of Object.entries(results))
      if (Array.isArray(v) && v.length === results.runs && k !== 'chromium')
        medians[k] = median(v);
    fs.writeFileSync(jsonOut, JSON.stringify({ ...results, medians }, null, 2));
    log(`figures written to ${jsonOut}`);
  }
}

function printTable(r) {
  const verdict = (v, target) =>
    v === null ? '-' : v <= target ? 'PASS' : 'FAIL';
  const row = (measure, key, target, unit = '') => {
    const m = median(r[key]);
    return [
      measure,
      m === null ? 'n/a' : `${m}${unit}`,
      range(r[key]),
      target === undefined ? '-' : `<= ${target}${unit}`,
      target === undefined ? '-' : verdict(m, target),
    ];
  };
  const rows = [
    row(
      'first render: sidebar "Fleet" link -> first cluster rows and every hub\'s groups painted',
      'firstRenderMs',
      TARGETS.firstRenderMs,
      ' ms',
    ),
    row(
      '  of which: click -> last /v1/fleet answer received',
      'firstRenderAnswerMs',
      undefined,
      ' ms',
    ),
    row(
      "  the backend alone: the first render's block from Node (same URL, page closed)",
      'backendFirstRenderMs',
      undefined,
      ' ms',
    ),
    row(
      '  longest main-thread task during it',
      'firstRenderLongestTaskMs',
      undefined,
      ' ms',
    ),
    row(
      `a filter: group button -> only that group's rows painted (${r.filterGroup})`,
      'filterMs',
      TARGETS.filterMs,
      ' ms',
    ),
    row(
      '  of which: click -> its /v1/fleet answer received',
      'filterAnswerMs',
      undefined,
      ' ms',
    ),
    row(
      "  the backend alone: the filter's first block from Node (same URL, page closed)",
      'backendFilterMs',
      undefined,
      ' ms',
    ),
    row(
      '  clearing it: same button -> whole fleet painted',
      'clearFilterMs',
      undefined,
      ' ms',
    ),
    row(
      '  longest main-thread task while filtering',
      'filterLongestTaskMs',
      undefined,
      ' ms',
    ),
    row(
      'switch to the Application matrix tab -> first cells painted',
      'matrixMs',
      undefined,
      ' ms',
    ),
    row(
      `longest main-thread task while scrolling the matrix (${r.columnsScrolled} columns, ${r.scroll.steps} steps, until loaded; 0 = none over 50 ms)`,
      'longestScrollTaskMs',
      TARGETS.longestScrollTaskMs,
      ' ms',
    ),
    row(
      '  during the scroll steps',
      'longestTaskScrollStepsMs',
      undefined,
      ' ms',
    ),
    row(
      '  after the last step, while the blocks on screen load',
      'longestTaskAfterScrollMs',
      undefined,
      ' ms',
    ),
    row('  long tasks (> 50 ms) while scrolling', 'scrollLongTasks'),
    row(
      '  last step -> every cell on screen loaded',
      'scrollSettleMs',
      undefined,
      ' ms',
    ),
    row(
      '  cell buttons on screen after scrolling settles',
      'cellButtonsAfterScroll',
    ),
    row('  cells still loading (aria-busy) then', 'busyCellsAfterScroll'),
    row(
      'JS heap used after GC at the end (CDP Runtime.getHeapUsage)',
      'heapUsedMiB',
      TARGETS.heapMiB,
      ' MiB',
    ),
    row(
      '  JSHeapUsedSize (CDP Performance.getMetrics)',
      'jsHeapUsedSizeMiB',
      undefined,
      ' MiB',
    ),
    row('GET /v1/fleet requests over the visit', 'fleetRequests'),
    row(
      "  of which 304 Not Modified to the page (the client's ETag cache)",
      'fleetNotModified',
    ),
    row(
      "  of which 200 to the page from the browser's HTTP cache (304 on the wire)",
      'fleetRevalidatedByBrowser',
    ),
    row(
      '  bytes over the wire (encoded, with headers)',
      'fleetTransferKiB',
      undefined,
      ' KiB',
    ),
    row('  bytes of the answers (decoded)', 'fleetBodyKiB', undefined, ' KiB'),
    row(
      '  largest single answer, decoded',
      'fleetLargestBodyKiB',
      undefined,
      ' KiB',
    ),
    row(
      '  largest single answer, over the wire',
      'fleetLargestTransferKiB',
      undefined,
      ' KiB',
    ),
    row(
      'for reference: full page load of /multicloud-gitops -> same first render (from navigation start)',
      'fullLoadMs',
      undefined,
      ' ms',
    ),
  ];
  process.stdout.write(
    `Fleet page (${r.page}), ${r.hubs} hubs x ${r.clustersPerHub} clusters x ${
      r.applicationsPerCluster
    } apps (${r.totalClusters} clusters, ${
      r.totalApplications
    } applications), median (range) of ${
      r.runs
    } runs, Chromium ${r.chromium.join(' ')}; ${
      r.portalNice
        ? `the portal and its hubs at nice ${r.portalNice} (the browser first)`
        : 'the portal, its hubs and the browser sharing the CPU alike'
    }; portal ready in ${(
      r.portalReadyMs / 1000
    ).toFixed(0)} s, every hub's fleet ${(
      r.fleetSyncedAfterReadyMs / 1000
    ).toFixed(0)} s later${
      r.backendRestarts
        ? `; ${r.backendRestarts} run(s) redone after the backend restarted on a source change`
        : ''
    }; matrix: ${r.matrixLabel}\n` +
      '| measure | median | range | target | PASS/FAIL |\n|---|---|---|---|---|\n' +
      rows.map(x => `| ${x.join(' | ')} |`).join('\n') +
      '\n',
  );
  for (const [phase, p] of Object.entries(r.profiles ?? {})) {
    process.stdout.write(
      `\nTrace of the profiled run's ${phase} (${p.traceFile}): ${p.tasks.length} task(s) over 50 ms on the main thread\n`,
    );
    for (const t of p.tasks.slice(0, 5))
      process.stdout.write(
        `  ${t.ms} ms at +${t.atMs} ms: script ${t.scriptMs} ms, style ${
          t.styleMs
        } ms (${t.styleElements} elements), layout ${
          t.layoutMs
        } ms (forced by script ${t.forcedLayoutMs} ms${
          t.largestForcedLayout
            ? `; largest ${t.largestForcedLayout.ms} ms, ${t.largestForcedLayout.dirtyObjects} dirty objects, by ${t.largestForcedLayout.forcedBy}`
            : ''
        }), paint ${t.paintMs} ms, GC ${t.gcMs} ms\n`,
      );
    process.stdout.write(
      `CPU profile of the profiled run's ${phase} (${p.file}): ${p.longTasks.length} busy stretch(es) over 50 ms\n`,
    );
    for (const t of p.longTasks.slice(0, 3)) {
      process.stdout.write(`  ${t.ms} ms at +${t.atMs} ms\n`);
      for (const [title, list] of [
        ['our code (self + callees)', t.ours],
        ['libraries other than React (self + callees)', t.libraries],
        ['self', t.self],
      ]) {
        process.stdout.write(`   ${title}:\n`);
        for (const f of list) process.stdout.write(`    ${f.ms} ms  ${f.fn}\n`);
      }
    }
  }
}

module.exports = { runHubs, profileLongTasks, traceLongTasks, sourceMapper };
