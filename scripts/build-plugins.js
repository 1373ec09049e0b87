#!/usr/bin/env node
/*
 * `npm run build:plugins`: builds the five published packages into their dist/ folders, the way
 * `npm pack` and the Red Hat Developer Hub export expect them. The Backstage CLI's package build
 * reads the declarations that the root `tsc` writes to dist-types/, so that runs first.
 *
 *   npm run build:plugins              type declarations, then every plugin package
 *   npm run build:plugins -- --no-tsc  reuse dist-types/ from an earlier `npx tsc`
 */
'use strict';
const { spawnSync } = require('node:child_process');
const path = require('node:path');
const { publishedPackages } = require('./lib/packages');

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'node_modules/.bin/backstage-cli');

function run(cmd, args, cwd) {
  const started = Date.now();
  const res = spawnSync(cmd, args, { cwd, stdio: 'inherit' });
  if (res.status !== 0) {
    process.stderr.write(
      `build-plugins: \`${path.basename(cmd)} ${args.join(' ')}\` failed in ${
        path.relative(root, cwd) || '.'
      }\n`,
    );
    process.exit(res.status ?? 1);
  }
  return Date.now() - started;
}

if (!process.argv.includes('--no-tsc')) {
  process.stdout.write('build-plugins: type declarations (tsc)\n');
  run(path.join(root, 'node_modules/.bin/tsc'), [], root);
}
for (const pkg of publishedPackages()) {
  const ms = run(cli, ['package', 'build'], pkg.dir);
  process.stdout.write(
    `build-plugins: ${pkg.name} (${(ms / 1000).toFixed(1)} s)\n`,
  );
}
