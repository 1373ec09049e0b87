/*
 * Starts the example portal (scripts/start.js) with the browser tests' config and waits
 * until it is ready; used by the browser tests and the frontend benchmark.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

async function startPortal({
  configs = [path.join(__dirname, 'app-config.e2e.yaml')],
  port = 7017,
  timeoutMs = 240000,
  log = () => {},
} = {}) {
  const args = [
    path.join(root, 'scripts/start.js'),
    ...configs.flatMap(c => ['--config', c]),
  ];
  const child = spawn(process.execPath, args, {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const collect = d => {
    output += d.toString();
    if (output.length > 200000) output = output.slice(-100000);
    log(d.toString());
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://localhost:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `portal exited with code ${child.exitCode}:\n${output.slice(-4000)}`,
      );
    if (Date.now() - started > timeoutMs) {
      stop(child);
      throw new Error(
        `portal not ready after ${timeoutMs / 1000} s:\n${output.slice(-4000)}`,
      );
    }
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  return {
    url,
    startMs: Date.now() - started,
    output: () => output,
    stop: () => stop(child),
  };
}

function stop(child) {
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    // already gone
  }
  return new Promise(resolve => {
    if (child.exitCode !== null) return resolve();
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      resolve();
    }, 10000);
    child.on('exit', () => {
      clearTimeout(t);
      resolve();
    });
  });
}

async function guestToken(url) {
  const res = await fetch(`${url}/api/auth/guest/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!res.ok) throw new Error(`guest sign-in failed: HTTP ${res.status}`);
  const body = await res.json();
  return body.backstageIdentity.token;
}

module.exports = { startPortal, guestToken, root };
