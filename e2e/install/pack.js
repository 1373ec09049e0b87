'use strict';
/*
 * Builds and packs the published packages exactly as `npm publish` would: the Backstage CLI's
 * prepack rewrites package.json to point at dist/, npm packs what `files` lists, postpack
 * restores the workspace's package.json.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { root, publishedPackages } = require('../../scripts/lib/packages');

function sh(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
  if (res.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (exit ${res.status}) in ${
        opts.cwd ?? process.cwd()
      }:\n${res.stderr}\n${res.stdout}`.slice(0, 8000),
    );
  }
  return res.stdout;
}

/** Builds every published package (root tsc, then the CLI's package build). */
function buildPlugins() {
  sh(process.execPath, [path.join(root, 'scripts/build-plugins.js')], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

/**
 * Packs every published package into `outDir`. Returns one entry per package: its name,
 * version, tarball path, packed size and file list, and the package.json that was packed.
 */
function packAll(outDir) {
  fs.mkdirSync(outDir, { recursive: true });
  return publishedPackages().map(pkg => {
    const out = sh('npm', ['pack', '--json', '--pack-destination', outDir], {
      cwd: pkg.dir,
    });
    // npm prints the lifecycle scripts' output before the JSON report.
    const [report] = JSON.parse(out.slice(out.indexOf('[')));
    const tarball = path.join(outDir, report.filename);
    const listed = sh('tar', ['-xzOf', tarball, 'package/package.json']);
    return {
      name: report.name,
      version: report.version,
      dir: pkg.dir,
      tarball,
      size: report.size,
      files: report.files.map(f => f.path),
      packedJson: JSON.parse(listed),
    };
  });
}

/**
 * The packs the install tests use: those `npm test` made once for all of them (it sets
 * MCG_PACKS to their list), or a fresh build and pack when a test file runs on its own.
 */
function preparedPacks(outDir) {
  if (process.env.MCG_PACKS)
    return JSON.parse(fs.readFileSync(process.env.MCG_PACKS, 'utf8'));
  buildPlugins();
  return packAll(outDir);
}

module.exports = { buildPlugins, packAll, preparedPacks, sh, root };
