/*
 * Starts the example portal (scripts/start.js) with the browser tests' config and waits
 * until it is ready; used by the browser tests and the frontend benchmark.
 */
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

async function startPortal({
  configs = [path.join(__dirname, 'app-config.e2e.yaml')],
  port = 7017,
  timeoutMs = 240000,
  log = () => {},
  nice = 0,
} = {}) {
  const args = [
    path.join(root, 'scripts/start.js'),
    ...configs.flatMap(c => ['--config', c]),
  ];
  // `nice` lowers the CPU priority of the portal and everything it starts (its backend and
  // the simulated hubs inherit it): a benchmark can give the browser the CPU first.
  const [command, commandArgs] = nice
    ? ['nice', ['-n', String(nice), process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, commandArgs, {
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

/** Debian's Chromium, headless, through playwright-core, as every browser test runs it. */
function launchBrowser() {
  const { chromium } = require('playwright-core');
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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

/**
 * A browser journey on a backend of its own: `start(tmp)` starts the backend (its config and
 * repositories in the temp folder `tmp`) and gives { backend, ctx }; the steps run in order,
 * signed in as the guest, each result to `report` as e2e/run.js records them. A failed step
 * leaves its screenshot in .ci-out/, and the temp folder in place.
 */
async function runJourney({ name, start, steps, report }) {
  const { signIn } = require('./tests');
  const slug = name.replace(/\W+/g, '-');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mcg-${slug}-`));
  const { backend, ctx } = await start(tmp);
  let browser;
  let failed = 0;
  try {
    Object.assign(ctx, {
      tmp,
      url: backend.url,
      token: await guestToken(backend.url),
    });
    browser = await launchBrowser();
    ctx.browser = browser;
    await signIn(ctx);
    for (const s of steps) {
      const t0 = Date.now();
      const step = `${name}: ${s.name}`;
      try {
        await s.run(ctx);
        report({ name: step, ok: true, ms: Date.now() - t0 });
      } catch (e) {
        failed++;
        report({ name: step, ok: false, error: String(e.message) });
        await ctx.page
          ?.screenshot({
            path: path.join(
              root,
              '.ci-out',
              `failed-${step.replace(/\W+/g, '-').slice(0, 150)}.png`,
            ),
          })
          .catch(() => {});
      }
    }
  } finally {
    await browser?.close().catch(() => {});
    await backend.stop();
    if (!failed) fs.rmSync(tmp, { recursive: true, force: true });
  }
  return { failed, tmp };
}

/** A journey run from the command line: results on stdout, exit code 1 when one failed. */
function runAlone(journey) {
  journey({
    report: r =>
      process.stdout.write(
        r.ok ? `✓ ${r.name} (${r.ms} ms)\n` : `✗ ${r.name}: ${r.error}\n`,
      ),
    log: process.env.E2E_VERBOSE ? d => process.stderr.write(d) : undefined,
  }).then(
    ({ failed, tmp }) => {
      if (failed) process.stdout.write(`kept ${tmp}\n`);
      process.exit(failed ? 1 : 0);
    },
    e => {
      process.stderr.write(`${e.stack || e}\n`);
      process.exit(1);
    },
  );
}

module.exports = {
  startPortal,
  guestToken,
  launchBrowser,
  runJourney,
  runAlone,
  root,
};
