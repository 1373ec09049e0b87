#!/usr/bin/env node
/* eslint-disable */
// What glibc's mmap threshold (scripts/lib/backendEnv.js) does to a Node process, with and
// without it, in one run:
//
//   node bench/malloc.bench.js [--rounds 3] [--seconds 5]
//
// 1. Memory: a child process reads an upstream answer streamed without a length, 50 MB,
//    refusing it at 32 MiB as the plugin's HTTP client does (http/httpClient.ts), eight
//    times in a row while it keeps allocating small long-lived objects, as a server does.
//    Reported: its RSS before, at the highest, and after a full GC.
// 2. Cost: a child HTTP server answers 40 KiB of JSON to wrk (16 connections); rounds
//    alternate between the settings. Reported: requests/s and the server's CPU per request
//    (user + system, from /proc/<pid>/stat), the median of the rounds.
//
// Only 127.0.0.1 is used; every child is stopped at the end, on failure too.
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const http = require('http');
const os = require('os');
const { wrkLoad, wrkVersion } = require('./lib/wrkLoad');
const { MMAP_THRESHOLD_BYTES } = require('../scripts/lib/backendEnv');

function arg(name, def) {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : def;
}
const ROUNDS = arg('--rounds', 3);
const SECONDS = arg('--seconds', 5);
const MiB = 1024 * 1024;
const CLK_TCK = 100;

const SETTINGS = [
  { name: 'glibc default', env: {} },
  {
    name: `MALLOC_MMAP_THRESHOLD_=${MMAP_THRESHOLD_BYTES}`,
    env: { MALLOC_MMAP_THRESHOLD_: String(MMAP_THRESHOLD_BYTES) },
  },
];

// ---------------------------------------------------------------------------------------------
// Child roles
const role = process.argv[2];
if (role === '--oversized-source') {
  // Streams 50 MB of JSON without a length, in 64 KiB writes.
  const pad = Buffer.alloc(64 * 1024, 32);
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    let left = (50 * MiB) / pad.length;
    const write = () => {
      while (left-- > 0) if (!res.write(pad)) return res.once('drain', write);
      res.end();
    };
    write();
  });
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`${server.address().port}\n`),
  );
  return;
}
if (role === '--reader') {
  const port = Number(process.argv[3]);
  const agent = new http.Agent({ keepAlive: true });
  const rss = () =>
    Number(
      /VmRSS:\s+(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'))[1],
    ) / 1024;
  const readOnce = () =>
    new Promise(resolve => {
      http
        .get({ host: '127.0.0.1', port, agent }, res => {
          const chunks = [];
          let received = 0;
          res.on('data', c => {
            received += c.length;
            if (received > 32 * MiB) {
              chunks.length = 0;
              res.destroy();
              resolve();
            } else chunks.push(c);
          });
          res.on('end', resolve);
        })
        .on('error', resolve);
    });
  // Small long-lived allocations between the reads, as a server's requests make.
  const kept = [];
  const churn = setInterval(() => {
    kept.push(Buffer.alloc(2000));
    if (kept.length > 5000) kept.shift();
  }, 1);
  (async () => {
    const settle = async () => {
      for (let i = 0; i < 3; i++) {
        global.gc();
        await new Promise(r => setTimeout(r, 200));
      }
    };
    await settle();
    const before = rss();
    let peak = before;
    for (let i = 0; i < 8; i++) {
      await readOnce();
      peak = Math.max(peak, rss());
    }
    clearInterval(churn);
    await settle();
    process.stdout.write(JSON.stringify({ before, peak, after: rss() }) + '\n');
    process.exit(0);
  })();
  return;
}
if (role === '--server') {
  const body = Buffer.from(
    JSON.stringify({
      items: Array.from({ length: 400 }, (_, i) => ({
        name: `app-${i}`,
        sync: 'Synced',
        health: 'Healthy',
        cluster: `cluster-${i % 50}`,
      })),
    }).padEnd(40 * 1024, ' '),
  );
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(body);
    });
  });
  server.listen(0, '127.0.0.1', () =>
    process.stdout.write(`${server.address().port}\n`),
  );
  return;
}

// ---------------------------------------------------------------------------------------------
// Main
const children = new Set();
function start(args, env = {}) {
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
function firstLine(child) {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', d => {
      out += d;
      const i = out.indexOf('\n');
      if (i >= 0) resolve(out.slice(0, i));
    });
    child.once('exit', code => reject(new Error(`child exited with ${code}`)));
  });
}
function cpuTicks(pid) {
  const f = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = f.slice(f.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime
}
const median = xs => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const stopAll = () => children.forEach(c => c.kill('SIGKILL'));
process.on('exit', stopAll);
setTimeout(() => {
  console.error('malloc bench: over its time limit, stopping');
  process.exit(1);
}, (ROUNDS * SETTINGS.length * (SECONDS + 5) + 120) * 1000).unref();

async function main() {
  if (!wrkVersion()) throw new Error('wrk is needed: apt-get install wrk');
  const source = start([__filename, '--oversized-source']);
  const sourcePort = Number(await firstLine(source));
  const memory = [];
  for (const s of SETTINGS) {
    process.stderr.write(`memory: ${s.name}...\n`);
    const reader = start(
      ['--expose-gc', __filename, '--reader', String(sourcePort)],
      s.env,
    );
    memory.push({ ...s, ...JSON.parse(await firstLine(reader)) });
  }
  source.kill();

  const servers = [];
  for (const s of SETTINGS) {
    const child = start([__filename, '--server'], s.env);
    servers.push({
      ...s,
      child,
      port: Number(await firstLine(child)),
      rps: [],
      cpu: [],
    });
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of servers) {
      process.stderr.write(`cost: round ${round + 1}, ${s.name}...\n`);
      const t0 = cpuTicks(s.child.pid);
      const r = await wrkLoad({
        url: `http://127.0.0.1:${s.port}/`,
        concurrency: 16,
        durationMs: SECONDS * 1000,
      });
      const ticks = cpuTicks(s.child.pid) - t0;
      s.rps.push(r.n / (r.elapsedMs / 1000));
      s.cpu.push(((ticks / CLK_TCK) * 1e6) / r.n);
    }
  }

  console.log(
    `\nglibc's mmap threshold, ${os.cpus().length} cores, Node ${
      process.version
    }\n`,
  );
  console.log(
    '| setting | RSS before | highest | after a full GC | after - before |',
  );
  console.log('| --- | --- | --- | --- | --- |');
  for (const m of memory)
    console.log(
      `| ${m.name} | ${m.before.toFixed(0)} MiB | ${m.peak.toFixed(
        0,
      )} MiB | ${m.after.toFixed(0)} MiB | ${(m.after - m.before).toFixed(
        0,
      )} MiB |`,
    );
  console.log(
    `\n| setting | requests/s (median of ${ROUNDS}) | server CPU per request | vs default |`,
  );
  console.log('| --- | --- | --- | --- |');
  const base = median(servers[0].cpu);
  for (const s of servers)
    console.log(
      `| ${s.name} | ${median(s.rps).toFixed(0)} | ${median(s.cpu).toFixed(
        1,
      )} µs | ${median(s.cpu) - base >= 0 ? '+' : ''}${(
        median(s.cpu) - base
      ).toFixed(1)} µs |`,
    );
  stopAll();
  process.exit(0);
}

main().catch(e => {
  console.error(e.message);
  stopAll();
  process.exit(1);
});
