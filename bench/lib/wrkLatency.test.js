// node --test bench/lib (npm test runs it): the load generator's figures are what the
// benchmarks' targets are judged on.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const {
  assumedIntervalUs,
  withCorrection,
  withoutCorrection,
  percentileUs,
  uncorrected,
} = require('./wrkLatency');
const { wrkLoad } = require('./wrkLoad');

test('the correction adds one sample per interval below each slow sample', () => {
  // interval 100: a 450 us sample adds 350, 250 and 150 (not 50: at or below the interval)
  assert.deepEqual(
    withCorrection(
      [
        [60, 5],
        [450, 1],
      ],
      100,
    ),
    [
      [60, 5],
      [150, 1],
      [250, 1],
      [350, 1],
      [450, 1],
    ],
  );
  // below twice the interval nothing is added
  assert.deepEqual(withCorrection([[199, 3]], 100), [[199, 3]]);
});

test('undoing the correction gives back the samples, also where made-up and real ones meet', () => {
  const real = [
    [40, 900],
    [150, 2], // real samples where the correction also adds
    [250, 1],
    [450, 3],
    [1030, 1],
    [5000, 7],
  ];
  for (const interval of [1, 7, 100, 101, 999]) {
    const corrected = withCorrection(real, interval);
    assert.deepEqual(
      withoutCorrection(corrected, interval),
      real,
      `interval ${interval}`,
    );
  }
});

test("the interval is wrk's integer arithmetic, and none below one request per connection", () => {
  assert.equal(assumedIntervalUs(3_000_000, 6_000, 32), 16_042); // 3e6 / 187
  assert.equal(assumedIntervalUs(3_000_000, 31, 32), 0);
  assert.deepEqual(
    uncorrected({
      histogram: [
        [10, 1],
        [900, 1],
      ],
      durationUs: 1_000,
      requests: 31,
      connections: 32,
    }).histogram,
    [
      [10, 1],
      [900, 1],
    ],
  );
});

test('a histogram the correction cannot have produced is refused, not reported', () => {
  // interval 100: a 450 us sample implies at least one sample at 350, 250 and 150
  assert.throws(
    () =>
      uncorrected({
        histogram: [
          [60, 5],
          [250, 1],
          [450, 1],
        ],
        durationUs: 600,
        requests: 6,
        connections: 1,
      }),
    /cannot undo wrk's latency correction|fewer samples/,
  );
});

test("percentiles follow wrk's rank rule", () => {
  const h = [
    [1, 90],
    [2, 5],
    [3, 5],
  ];
  assert.equal(percentileUs(h, 50), 1);
  // 100 samples: p94 is rank round(94.5) = 95, p95 is rank round(95.5) = 96
  assert.equal(percentileUs(h, 94), 2);
  assert.equal(percentileUs(h, 95), 3);
  assert.equal(percentileUs([], 95), 0);
});

test(
  "against wrk itself: a rare stall stays out of the clients' p95, and wrk's own p95 is kept beside it",
  {
    skip:
      !fs.existsSync('/usr/bin/wrk') &&
      'wrk is not installed (apt-get install wrk)',
  },
  async () => {
    // Every 200th request waits 100 ms; the rest are answered at once. One client: 0.5 % of
    // its requests are slow, so the p95 it saw is sub-millisecond. wrk's correction adds
    // about 100 ms / (mean time per request) made-up samples for each slow one.
    let n = 0;
    const server = http.createServer((req, res) => {
      n++;
      if (n % 200 === 0) setTimeout(() => res.end('ok'), 100);
      else res.end('ok');
    });
    await new Promise(r => server.listen(0, '127.0.0.1', r));
    try {
      const r = await wrkLoad({
        url: `http://127.0.0.1:${server.address().port}/`,
        concurrency: 1,
        durationMs: 2000,
      });
      assert.ok(r.n > 400, `only ${r.n} requests in 2 s`);
      assert.ok(
        r.p95 < 20,
        `the clients' p95 is ${r.p95} ms; 99.5 % of answers were immediate`,
      );
      assert.ok(r.max >= 100, `max ${r.max} ms: the stalls are still seen`);
      assert.ok(
        r.p95Corrected >= 50,
        `wrk's corrected p95 is ${r.p95Corrected} ms; the correction should have made it large`,
      );
    } finally {
      server.close();
    }
  },
);
