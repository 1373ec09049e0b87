/*
 * Closed-loop HTTP load generator for the benchmarks, run in a worker thread so reading
 * answers does not compete with a server in the calling thread's event loop.
 *
 * N clients each send the next request when the previous answer has been read to the end;
 * latency = request sent -> last byte of the body. Unless told not to (`warmup: false`), every
 * client first opens its keep-alive connection with one request, all at once and timed apart
 * (`connectP95`); the measured run starts when they are open. A browser viewing the portal
 * already has its connection, and 32 handshakes landing together would otherwise dominate the
 * p95 of a short run. Every client offers the encodings Chromium offers.
 */
'use strict';

const {
  isMainThread,
  Worker,
  parentPort,
  workerData,
} = require('worker_threads');
const http = require('http');

const pct = (xs, p) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[
    Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))
  ];
};

if (!isMainThread) {
  const { url, headers, total, concurrency, timeCapMs, timeoutMs, warmup } =
    workerData;
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const u = new URL(url);
  const latencies = [];
  const connect = [];
  const statuses = {};
  const encodings = {};
  let bytes = 0;
  let issued = 0;
  let t0 = performance.now();
  let deadline = t0 + timeCapMs;
  const one = (record = true) =>
    new Promise(resolve => {
      const s = performance.now();
      const req = http.request(
        {
          host: u.hostname,
          port: u.port,
          path: u.pathname + u.search,
          headers,
          agent,
          timeout: timeoutMs,
        },
        res => {
          res.on('data', d => (bytes += record ? d.length : 0));
          res.on('end', () => {
            (record ? latencies : connect).push(performance.now() - s);
            if (record) {
              statuses[res.statusCode] = (statuses[res.statusCode] || 0) + 1;
              const e = res.headers['content-encoding'] || 'identity';
              encodings[e] = (encodings[e] || 0) + 1;
            }
            resolve();
          });
          res.on('error', () => {
            statuses.error = (statuses.error || 0) + 1;
            resolve();
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', e => {
        const k = e.message === 'timeout' ? 'timeout' : 'error';
        statuses[k] = (statuses[k] || 0) + 1;
        resolve();
      });
      req.end();
    });
  const client = async () => {
    while (issued < total && performance.now() < deadline) {
      issued++;
      await one();
    }
  };
  const each = fn => Promise.all(Array.from({ length: concurrency }, fn));
  (warmup ? each(() => one(false)) : Promise.resolve())
    .then(() => {
      t0 = performance.now();
      deadline = t0 + timeCapMs;
      return each(client);
    })
    .then(() => {
      agent.destroy();
      parentPort.postMessage({
        latencies,
        connect,
        statuses,
        encodings,
        bytes,
        elapsedMs: performance.now() - t0,
      });
    });
}

/**
 * Runs one load: resolves with n, statuses, encodings, p50, p95, max, connectP95, meanBytes,
 * elapsedMs. `onWorker(worker)` lets the caller terminate it on an early stop.
 */
function closedLoop(
  {
    url,
    headers,
    total,
    concurrency,
    timeCapMs,
    timeoutMs = 60000,
    warmup = true,
  },
  onWorker = () => {},
) {
  return new Promise((resolve, reject) => {
    const w = new Worker(__filename, {
      workerData: {
        url,
        headers: { 'accept-encoding': 'gzip, deflate, br, zstd', ...headers },
        total,
        concurrency,
        timeCapMs,
        timeoutMs,
        warmup,
      },
    });
    onWorker(w, true);
    w.once('message', m => {
      onWorker(w, false);
      w.terminate();
      resolve({
        n: m.latencies.length,
        ok: m.statuses[200] || 0,
        statuses: m.statuses,
        encodings: m.encodings,
        p50: pct(m.latencies, 50),
        p95: pct(m.latencies, 95),
        max: Math.max(...m.latencies),
        connectP95: pct(m.connect, 95),
        meanBytes: m.latencies.length
          ? Math.round(m.bytes / m.latencies.length)
          : 0,
        elapsedMs: m.elapsedMs,
        concurrency,
      });
    });
    w.once('error', e => {
      onWorker(w, false);
      reject(e);
    });
  });
}

module.exports = { closedLoop, pct };
