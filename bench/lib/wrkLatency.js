/*
 * The latencies wrk measured, as its clients saw them.
 *
 * Before it reports, wrk (4.x, Debian's package) "corrects" its latency histogram for
 * coordinated omission: it takes each connection's mean time per request as the interval
 * at which requests should have been sent, and for every response slower than twice that
 * interval it adds made-up samples, one interval apart, down to the interval. That models an
 * open-loop load (requests arriving on a timetable, whatever the server does). Our targets
 * are for N closed-loop clients, each sending its next request when the last one is
 * answered, and that is what Node's client (closedLoop.js) measures. With the correction, a
 * single 100 ms stall in a 2-s run at one client adds hundreds of samples: a server with
 * p50 53 us and 0.2 % of its requests stalled reports p95 88 ms.
 *
 * The correction is deterministic, so it can be undone exactly: wrk's `done` hook gives the
 * corrected histogram, the run's duration and request count; the interval follows from them.
 * `uncorrected()` undoes it and checks the result by applying the correction again.
 *
 * A histogram is an array of [microseconds, count] pairs with distinct values, ascending.
 */
'use strict';

/** The interval wrk assumed: its integer arithmetic on the run's duration and count. */
function assumedIntervalUs(durationUs, requests, connections) {
  const perConnection = Math.floor(requests / connections);
  return perConnection > 0 ? Math.floor(durationUs / perConnection) : 0;
}

/**
 * What wrk does to a histogram before reporting it: each sample of n >= 2 * interval adds
 * one sample at n - interval, n - 2 * interval, ..., for every such value above the interval.
 */
function withCorrection(histogram, intervalUs) {
  const counts = new Map(histogram);
  if (intervalUs > 0) {
    for (const [n, count] of histogram) {
      if (n < 2 * intervalUs) continue;
      for (let m = n - intervalUs; m > intervalUs; m -= intervalUs)
        counts.set(m, (counts.get(m) ?? 0) + count);
    }
  }
  return [...counts].sort((a, b) => a[0] - b[0]);
}

/**
 * Undoes `withCorrection`. A value m above the interval holds its own samples plus one
 * made-up sample for each real sample at m + k * interval (k >= 1); going from the largest
 * value down, those are already known.
 */
function withoutCorrection(histogram, intervalUs) {
  if (!(intervalUs > 0)) return histogram.map(([v, c]) => [v, c]);
  const real = new Map();
  // madeUp.get(m): the made-up samples at m, one per real sample at m + k * interval, k >= 1.
  const madeUp = new Map();
  for (let i = histogram.length - 1; i >= 0; i--) {
    const [m, count] = histogram[i];
    const own = m > intervalUs ? count - (madeUp.get(m) ?? 0) : count;
    if (own < 0)
      throw new Error(
        `wrk's histogram at ${m} us holds fewer samples (${count}) than its correction adds`,
      );
    if (own > 0) real.set(m, own);
    // The value one interval below gets a made-up sample for each real sample here and for
    // each real sample that made one here.
    const below = m - intervalUs;
    if (below > intervalUs) {
      const carried = (madeUp.get(m) ?? 0) + own;
      if (carried > 0) madeUp.set(below, carried);
    }
  }
  return [...real].sort((a, b) => a[0] - b[0]);
}

/** wrk's percentile rule: the first value whose running count reaches round(p% of n + 0.5). */
function percentileUs(histogram, p) {
  const total = histogram.reduce((s, [, c]) => s + c, 0);
  if (total === 0) return 0;
  const rank = Math.round((p / 100) * total + 0.5);
  let running = 0;
  for (const [v, c] of histogram) {
    running += c;
    if (running >= rank) return v;
  }
  return histogram[histogram.length - 1][0];
}

/**
 * The histogram as the clients saw it, from wrk's corrected one. Throws when applying the
 * correction again does not give back exactly what wrk reported (a wrk that corrects
 * differently): a figure that cannot be checked is not reported.
 */
function uncorrected({ histogram, durationUs, requests, connections }) {
  const interval = assumedIntervalUs(durationUs, requests, connections);
  const real = withoutCorrection(histogram, interval);
  const again = withCorrection(real, interval);
  const same =
    again.length === histogram.length &&
    again.every(([v, c], i) => v === histogram[i][0] && c === histogram[i][1]);
  if (!same)
    throw new Error(
      `cannot undo wrk's latency correction (interval ${interval} us): applying it again to the result does not give wrk's histogram back`,
    );
  return { histogram: real, intervalUs: interval };
}

module.exports = {
  assumedIntervalUs,
  withCorrection,
  withoutCorrection,
  percentileUs,
  uncorrected,
};
