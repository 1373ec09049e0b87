/*
 * Loaded into the backend by the suite (`node --expose-gc --require`), never by the product:
 * on SIGUSR2 it collects garbage (when --expose-gc is set), then writes the process's memory
 * and its event-loop delay since the previous signal to the file named by
 * MCG_RELIABILITY_PROBE, so the suite can tell memory the process keeps from garbage V8 has
 * not collected yet, and measure the event loop without a product metric.
 *
 * Worker threads (the ACM Search pages are read on one) inherit the flags and load this file
 * too: each has a heap of its own, which the main thread's gc() does not touch, so the main
 * thread asks them over a BroadcastChannel to collect first and waits for their answers.
 */
'use strict';
const fs = require('node:fs');
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { isMainThread, threadId } = require('node:worker_threads');

const file = process.env.MCG_RELIABILITY_PROBE;
const CHANNEL = 'mcg-reliability-probe';
/** How long the main thread waits for the workers' answers. */
const WORKER_WAIT_MS = 500;

const collect = () => {
  if (typeof global.gc === 'function') global.gc();
};

if (file && !isMainThread) {
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  channel.onmessage = ({ data }) => {
    if (data?.type !== 'collect') return;
    collect();
    channel.postMessage({
      type: 'collected',
      threadId,
      heapUsedMiB: process.memoryUsage().heapUsed / 2 ** 20,
    });
  };
} else if (file) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const channel = new BroadcastChannel(CHANNEL);
  channel.unref();
  let workers = new Map();
  channel.onmessage = ({ data }) => {
    if (data?.type === 'collected')
      workers.set(data.threadId, data.heapUsedMiB);
  };
  process.on('SIGUSR2', () => {
    workers = new Map();
    channel.postMessage({ type: 'collect' });
    setTimeout(() => {
      collect();
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
          workersHeapUsedMiB: [...workers.values()],
          eventLoopDelayMs: {
            p50: ms(delay.percentile(50)),
            p99: ms(delay.percentile(99)),
            max: ms(delay.max),
          },
        }),
      );
      fs.renameSync(`${file}.tmp`, file);
      delay.reset();
    }, WORKER_WAIT_MS).unref();
  });
}
