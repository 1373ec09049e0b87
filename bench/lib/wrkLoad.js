/*
 * Closed-loop HTTP load from wrk (Debian's package), for the fast endpoints of the benchmarks.
 *
 * On 2 cores the load generator shares the CPU with the server it measures. wrk (C, one
 * thread, keep-alive connections opened before it measures) costs a fraction of what a Node
 * client spends per request, so the figures say more about the server and less about the
 * client; real portal users' browsers are not on the server's cores at all. Same result
 * shape as closedLoop.js, so callers choose either. wrk runs for a duration, not a count.
 * p50/p95 are the latencies the clients saw: wrk's own percentiles include made-up samples
 * (its coordinated-omission correction, undone by wrkLatency.js) and are kept as
 * p50Corrected/p95Corrected.
 */
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn, spawnSync } = require('child_process');
const { percentileUs, uncorrected } = require('./wrkLatency');

const WRK = '/usr/bin/wrk';

// Prints one JSON line: counts, errors, wrk's own percentiles (wrk reports microseconds) and
// its whole latency histogram as "value:count" pairs, so that wrkLatency.js can undo the
// coordinated-omission correction wrk applies before it reports.
const REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  -- latency(i): the i-th latency seen and its count (wrk scans for it: a second or so at most)
  local buckets = {}
  for i = 1, #latency do
    local v, c = latency(i)
    buckets[i] = string.format('%d:%d', v, c)
  end
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"durationUs":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"p50":%d,"p95":%d,"max":%d,"histogram":"%s"}\\n',
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(95), latency.max,
    table.concat(buckets, ',')))
end
`;

function wrkVersion() {
  if (!fs.existsSync(WRK)) return undefined;
  const r = spawnSync(WRK, ['--version'], { encoding: 'utf8' });
  const m = /wrk (\S+)/.exec(`${r.stdout}${r.stderr}`);
  return m ? m[1] : 'unknown';
}

/**
 * Runs wrk against `url` with `concurrency` connections on one thread for `durationMs`.
 * Resolves with n, ok, statuses, encodings, p50, p95, max (ms), meanBytes, elapsedMs.
 * `onChild(child, started)` lets the caller stop it on an early exit.
 */
function wrkLoad(
  { url, headers = {}, concurrency, durationMs = 3000, timeoutMs = 60000 },
  onChild = () => {},
) {
  const script = path.join(os.tmpdir(), `wrk-report-${process.pid}.lua`);
  fs.writeFileSync(script, REPORT);
  const all = { 'accept-encoding': 'gzip, deflate, br, zstd', ...headers };
  const args = [
    '-t1',
    `-c${concurrency}`,
    `-d${Math.max(1, Math.round(durationMs / 1000))}s`,
    `--timeout`,
    `${Math.ceil(timeoutMs / 1000)}s`,
    '-s',
    script,
    ...Object.entries(all).flatMap(([k, v]) => ['-H', `${k}: ${v}`]),
    url,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(WRK, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    onChild(child, true);
    let out = '';
    let err = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (err += d));
    child.on('error', e => {
      onChild(child, false);
      reject(e);
    });
    child.on('exit', code => {
      onChild(child, false);
      const line = out.split('\n').find(l => l.startsWith('{'));
      if (code !== 0 || !line) {
        reject(new Error(`wrk exited with ${code}: ${err || out}`));
        return;
      }
      const r = JSON.parse(line);
      const errors = r.connect + r.read + r.write + r.timeout;
      const ok = r.requests - r.status - errors;
      let seen;
      try {
        seen = uncorrected({
          histogram: r.histogram
            ? r.histogram.split(',').map(p => p.split(':').map(Number))
            : [],
          durationUs: r.durationUs,
          requests: r.requests,
          connections: concurrency,
        }).histogram;
      } catch (e) {
        reject(e);
        return;
      }
      resolve({
        n: r.requests,
        ok,
        statuses: {
          'below 400': ok,
          ...(r.status ? { '400 and above': r.status } : {}),
          ...(errors ? { error: errors } : {}),
        },
        encodings: { offered: all['accept-encoding'] },
        // As the closed-loop clients saw them (see wrkLatency.js), like closedLoop.js's.
        p50: percentileUs(seen, 50) / 1000,
        p95: percentileUs(seen, 95) / 1000,
        max: r.max / 1000,
        // wrk's own figures, with its coordinated-omission correction (an open-loop model).
        p50Corrected: r.p50 / 1000,
        p95Corrected: r.p95 / 1000,
        meanBytes: r.requests ? Math.round(r.bytes / r.requests) : 0,
        elapsedMs: r.durationUs / 1000,
        concurrency,
      });
    });
  });
}

module.exports = { wrkLoad, wrkVersion };
