#!/usr/bin/env node
/*
 * `npm start`: builds the app when its sources changed, then starts the example backend,
 * which serves the app and the API on one port (default http://localhost:7007) and runs
 * the fleet simulator in-process. Extra config files: `npm start -- --config my.yaml`.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { preflight, root } = require('./preflight');
const { backendEnv } = require('./lib/backendEnv');

const args = process.argv.slice(2);
const configFiles = ['app-config.yaml'];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--config' && args[i + 1]) configFiles.push(args[++i]);
}

function newestMtime(dir) {
  let newest = 0;
  const walk = d => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue;
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, fs.statSync(p).mtimeMs);
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return newest;
}

function appNeedsBuild() {
  const index = path.join(root, 'packages/app/dist/index.html');
  if (!fs.existsSync(index)) return true;
  const built = fs.statSync(index).mtimeMs;
  const sources = [
    'packages/app',
    'plugins/multicloud-gitops/src',
    'plugins/multicloud-gitops-common/src',
  ].map(d => newestMtime(path.join(root, d)));
  return Math.max(...sources) > built;
}

async function main() {
  const { backendPort } = await preflight(configFiles);
  const cli = path.join(root, 'node_modules/.bin/backstage-cli');
  if (appNeedsBuild()) {
    process.stderr.write('Building the app (about 30 s on 2 cores)...\n');
    const t0 = Date.now();
    const build = spawnSync(cli, ['package', 'build'], {
      cwd: path.join(root, 'packages/app'),
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' },
    });
    if (build.status !== 0) {
      process.stderr.write(
        'Cannot start: the app failed to build (see the errors above)\n',
      );
      process.exit(1);
    }
    process.stderr.write(
      `App built in ${((Date.now() - t0) / 1000).toFixed(0)} s\n`,
    );
  }
  process.stderr.write('Starting the backend and the fleet simulator...\n');
  const backend = spawn(
    cli,
    [
      'package',
      'start',
      ...configFiles.flatMap(f => ['--config', path.resolve(root, f)]),
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      stdio: ['inherit', 'inherit', 'pipe'],
      detached: true,
      env: backendEnv(),
    },
  );
  // `backstage-cli package start` keeps watching for file changes after the backend process
  // exits, so a backend that cannot start would leave `npm start` hanging: watch for the
  // one-line failure the backend prints (src/startupErrors.ts) and stop.
  let failed = false;
  backend.stderr.on('data', chunk => {
    process.stderr.write(chunk);
    if (!failed && /Backend failed to start: /.test(chunk.toString())) {
      failed = true;
      setTimeout(() => {
        try {
          process.kill(-backend.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        process.exit(1);
      }, 200);
    }
  });
  const stop = signal => {
    try {
      process.kill(-backend.pid, signal);
    } catch {
      // already gone
    }
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  backend.on('exit', code => process.exit(code ?? 0));

  // Tell the person when the portal is actually usable, not just when a process started.
  const started = Date.now();
  const url = `http://localhost:${backendPort}`;
  for (;;) {
    await new Promise(r => setTimeout(r, 1000));
    if (backend.exitCode !== null) return;
    try {
      const res = await fetch(`${url}/.backstage/health/v1/readiness`);
      if (res.ok) {
        process.stderr.write(
          `\nPortal ready at ${url} after ${(
            (Date.now() - started) /
            1000
          ).toFixed(
            0,
          )} s: sign in as guest, then open Catalog > multicloud-gitops.\n\n`,
        );
        return;
      }
    } catch {
      // not listening yet
    }
  }
}

main().catch(e => {
  process.stderr.write(`Cannot start: ${e.message}\n`);
  process.exit(1);
});
