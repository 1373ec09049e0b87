#!/usr/bin/env node
/*
 * `npm run dev`: the app dev server with hot reload on http://localhost:3000 and the backend
 * (with the in-process simulator) on :7007. The Backstage CLI resolves --config relative to
 * each package, so the paths are made absolute here.
 */
'use strict';
const { spawn } = require('node:child_process');
const path = require('node:path');
const { preflight, root } = require('./preflight');
const { backendEnv } = require('./lib/backendEnv');

const extra = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--config' && args[i + 1]) extra.push(args[++i]);
}
const configs = ['app-config.yaml', ...extra];

preflight(configs).then(() => {
  const child = spawn(
    path.join(root, 'node_modules/.bin/backstage-cli'),
    [
      'repo',
      'start',
      ...configs.flatMap(c => ['--config', path.resolve(root, c)]),
    ],
    {
      cwd: root,
      stdio: 'inherit',
      // The app is served by the dev server here, not by the backend.
      env: {
        ...backendEnv(),
        APP_CONFIG_app_baseUrl: 'http://localhost:3000',
      },
    },
  );
  const stop = signal => child.kill(signal);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  child.on('exit', code => process.exit(code ?? 0));
});
