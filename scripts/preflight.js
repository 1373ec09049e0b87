/*
 * Checks that would otherwise surface as a stack trace deep inside the backend: Node
 * version, a missing install, unreadable app-config.yaml, ports already taken. Each
 * problem is one line saying what to do.
 */
'use strict';
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function fail(message) {
  process.stderr.write(`Cannot start: ${message}\n`);
  process.exit(1);
}

function checkNode() {
  const major = Number(process.versions.node.split('.')[0]);
  if (major < 20)
    fail(
      `Node.js ${process.versions.node} is too old: install Node.js 20 or newer`,
    );
}

function checkInstall() {
  if (
    !fs.existsSync(path.join(root, 'node_modules', '.bin', 'backstage-cli'))
  ) {
    fail(
      'dependencies are not installed: run `npm ci` in the repository root first',
    );
  }
}

/** Reads the app-config files the backend will read, merged shallowly for the keys we need. */
function readConfig(files) {
  const YAML = require('yaml');
  const merged = {};
  for (const file of files) {
    const full = path.resolve(root, file);
    if (!fs.existsSync(full)) fail(`config file ${file} does not exist`);
    let doc;
    try {
      doc = YAML.parse(fs.readFileSync(full, 'utf8'), { prettyErrors: true });
    } catch (e) {
      fail(`${file} is not valid YAML: ${String(e.message).split('\n')[0]}`);
    }
    if (doc !== null && (typeof doc !== 'object' || Array.isArray(doc))) {
      fail(`${file} must be a YAML mapping at the top level`);
    }
    deepMerge(merged, doc ?? {});
  }
  return merged;
}

function deepMerge(target, source) {
  for (const [k, v] of Object.entries(source)) {
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      typeof target[k] === 'object'
    ) {
      deepMerge(target[k], v);
    } else target[k] = v;
  }
}

function portOf(value, key, fallback) {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    fail(`${key} is "${value}": it must be a port number from 0 to 65535`);
  }
  return n;
}

function checkPortFree(port, key) {
  if (port === 0) return Promise.resolve();
  return new Promise(resolve => {
    const server = net.createServer();
    server.once('error', err => {
      if (err.code === 'EADDRINUSE') {
        fail(
          `port ${port} (${key}) is already in use: stop the process using it (is another portal running?) or change ${key}`,
        );
      }
      fail(`cannot listen on port ${port} (${key}): ${err.message}`);
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
}

async function preflight(configFiles) {
  checkNode();
  checkInstall();
  const config = readConfig(configFiles);
  const backendPort = portOf(
    config.backend?.listen?.port,
    'backend.listen.port',
    7007,
  );
  await checkPortFree(backendPort, 'backend.listen.port');
  const sim = config.multicloudGitops?.simulator;
  if (sim?.enabled) {
    const simPort = portOf(sim.port, 'multicloudGitops.simulator.port', 7008);
    await checkPortFree(simPort, 'multicloudGitops.simulator.port');
  }
  return { config, backendPort };
}

module.exports = { preflight, readConfig, root };
