/*
 * CPU accounting from /proc (Linux), for the benchmarks' load runs. On a shared VM the host
 * takes CPU from the guest ("steal"), a share that can change a lot from one run to the next,
 * enough to multiply a 32-client p95 several times. So load runs record the share stolen,
 * and the server's own CPU time per request (which rises with steal too, but less).
 */
'use strict';

const fs = require('fs');

/** The machine's CPU ticks since boot: all of them, and those the host took. */
function machineTimes() {
  try {
    const f = fs
      .readFileSync('/proc/stat', 'utf8')
      .split('\n')[0]
      .trim()
      .split(/\s+/)
      .slice(1, 9)
      .map(Number);
    return { total: f.reduce((a, b) => a + b, 0), steal: f[7] };
  } catch {
    return undefined;
  }
}
/** utime + stime of a process, in ms (/proc/PID/stat fields 14 and 15, 100 ticks a second). */
function processCpuMs(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

/** The share of the machine's CPU the host took between two machineTimes() readings. */
function stealPct(before, after) {
  return before && after && after.total > before.total
    ? (100 * (after.steal - before.steal)) / (after.total - before.total)
    : undefined;
}

/**
 * Runs one load run and adds to its result the share of the machine's CPU the host took
 * meanwhile (`stealPct`) and, given the server's `pid`, the server's CPU ms per request
 * (`cpuMsPerRequest`).
 */
async function withMachineFigures(run, pid) {
  const m0 = machineTimes();
  const c0 = pid ? processCpuMs(pid) : undefined;
  const r = await run();
  const c1 = pid ? processCpuMs(pid) : undefined;
  r.stealPct = stealPct(m0, machineTimes());
  if (c0 !== undefined && c1 !== undefined && r.n)
    r.cpuMsPerRequest = (c1 - c0) / r.n;
  return r;
}

module.exports = { withMachineFigures };
