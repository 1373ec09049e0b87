/*
 * Loaded into the backend by the suite (`node --expose-gc --require`), never by the product:
 * on SIGUSR2 it collects garbage (when --expose-gc is set), then writes the process's memory
 * and its event-loop delay since the previous signal to the file named by
 * MCG_RELIABILITY_PROBE, so the suite can tell memory the process keeps from garbage V8 has
 * not collected yet, and measure the event loop without a product metric.
 */
'use strict';
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');

const file = process.env.MCG_RELIABILITY_PROBE;
if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  process.on('SIGUSR2', () => {
    if (typeof global.gc === 'function') global.gc();
    const m = process.memoryUsage();
    const ms = ns => ns / 1e6;
    fs.writeFileSync(
      `${file}.tmp`,
      JSON.stringify({
        at: Date.now(),
        gc: typeof global.gc === 'function',
        rssMiB: m.rss / 2 ** 20,
        heapUsedMiB: m.heapUsed / 2 ** 20,
        externalMiB: m.external / 2 ** 20,
        arrayBuffersMiB: m.arrayBuffers / 2 ** 20,
        eventLoopDelayMs: {
          p50: ms(delay.percentile(50)),
          p99: ms(delay.percentile(99)),
          max: ms(delay.max),
        },
      }),
    );
    fs.renameSync(`${file}.tmp`, file);
    delay.reset();
  });
}
