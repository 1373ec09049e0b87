'use strict';
/*
 * Helpers of dynamic.test.js: the docs' dynamic-plugins.yaml, a backend that loads dynamic
 * plugins the way Red Hat Developer Hub's does (Backstage's dynamic plugin loader, in a folder
 * outside this workspace, installed from the registry at our Backstage release), and the
 * frontend export's Scalprum container loaded in jsdom. Processes, ports and polling:
 * processes.js.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const YAML = require('yaml');
const { root } = require('./pack');

const DOCS = path.join(root, 'docs/rhdh.md');
/** The loader Developer Hub's backend uses, at the release matching our Backstage pins. */
const DYNAMIC_FEATURE_SERVICE_VERSION = '0.8.7';
/**
 * The backend plugins our exported modules extend, which Developer Hub provides itself: here
 * installed in the backend from the registry, at the workspace's pins.
 */
const HOST_PLUGINS = [
  '@backstage/plugin-catalog-backend',
  '@backstage/plugin-kubernetes-backend',
  '@backstage/plugin-scaffolder-backend',
];

/**
 * Libraries the host provides to our exports, shared, not embedded, like every @backstage
 * package: the backend plugin sends owners' notifications through this one's service
 * (docs/rhdh.md).
 */
const HOST_LIBRARIES = ['@backstage/plugin-notifications-node'];

/** The YAML block after `<!-- rhdh-test:dynamic-plugins -->` in docs/rhdh.md, parsed. */
function docsDynamicPlugins() {
  const text = fs.readFileSync(DOCS, 'utf8');
  const marker = '<!-- rhdh-test:dynamic-plugins -->';
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`docs/rhdh.md has no ${marker}`);
  const block = /```yaml\n([\s\S]*?)```/.exec(text.slice(at));
  if (!block) throw new Error(`docs/rhdh.md: no yaml block after ${marker}`);
  return YAML.parse(block[1]);
}

/** The plugin folder a `package:` entry names (`oci://...!<folder>`, or a path). */
function packageFolder(pkg) {
  return pkg.includes('!')
    ? pkg.slice(pkg.lastIndexOf('!') + 1)
    : path.basename(pkg);
}

/** Deep merge of plain objects (arrays replaced), as the pluginConfig fragments are merged. */
function merge(into, from) {
  for (const [k, v] of Object.entries(from ?? {})) {
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      into[k] &&
      typeof into[k] === 'object'
    )
      merge(into[k], v);
    else into[k] = v;
  }
  return into;
}

/**
 * Starts `npm install` of a backend in `dir`: backend-defaults and the plugins our backend
 * modules extend (the scaffolder, catalog and Kubernetes backends) at the versions this
 * workspace pins, the dynamic plugin loader, and better-sqlite3 for their databases. Every
 * @backstage package is pinned to the workspace's overrides, so the backend is on our Backstage
 * release. Output goes to install.log. Returns { done (the exit code), stop }.
 */
function startBackendInstall(dir) {
  const rootPkg = JSON.parse(
    fs.readFileSync(path.join(root, 'package.json'), 'utf8'),
  );
  const pins = Object.fromEntries(
    Object.entries(rootPkg.overrides).filter(([n]) =>
      n.startsWith('@backstage/'),
    ),
  );
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'dynamic-plugins-backend',
        private: true,
        dependencies: {
          '@backstage/backend-defaults': pins['@backstage/backend-defaults'],
          '@backstage/backend-dynamic-feature-service':
            DYNAMIC_FEATURE_SERVICE_VERSION,
          ...Object.fromEntries(
            [...HOST_PLUGINS, ...HOST_LIBRARIES].map(name => [
              name,
              pins[name],
            ]),
          ),
          'better-sqlite3': '^12.0.0',
        },
        overrides: pins,
      },
      null,
      2,
    ),
  );
  fs.writeFileSync(
    path.join(dir, '.npmrc'),
    'legacy-peer-deps=true\naudit=false\nfund=false\n',
  );
  const logFd = fs.openSync(path.join(dir, 'install.log'), 'w');
  const child = spawn(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error'],
    {
      cwd: dir,
      stdio: ['ignore', logFd, logFd],
    },
  );
  fs.closeSync(logFd);
  const done = new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', code => resolve(code));
  });
  return {
    done,
    /** Ends the install if it is still running (a failed test run). */
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await done.catch(() => {});
      }
    },
  };
}

/** Every installed copy of every @backstage package under `dir`: [{ name, version, at }]. */
function installedBackstagePackages(dir) {
  const found = [];
  const walk = nm => {
    if (!fs.existsSync(nm)) return;
    for (const entry of fs.readdirSync(nm)) {
      if (entry.startsWith('.')) continue;
      const names = entry.startsWith('@')
        ? fs.readdirSync(path.join(nm, entry)).map(n => `${entry}/${n}`)
        : [entry];
      for (const name of names) {
        const pkgDir = path.join(nm, name);
        if (name.startsWith('@backstage/')) {
          const { version } = JSON.parse(
            fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8'),
          );
          found.push({ name, version, at: path.relative(dir, pkgDir) });
        }
        walk(path.join(pkgDir, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return found;
}

/** The backend: Backstage's dynamic plugin loader plus HOST_PLUGINS, nothing else. */
function writeBackend(dir) {
  fs.writeFileSync(
    path.join(dir, 'index.js'),
    [
      "const { createBackend } = require('@backstage/backend-defaults');",
      "const { dynamicPluginsFeatureLoader } = require('@backstage/backend-dynamic-feature-service');",
      '',
      'const backend = createBackend();',
      'backend.add(dynamicPluginsFeatureLoader);',
      ...HOST_PLUGINS.map(name => `backend.add(require('${name}'));`),
      'backend.start();',
      '',
    ].join('\n'),
  );
}

function writeYaml(file, value) {
  fs.writeFileSync(file, YAML.stringify(value));
}

/** GET of a JSON document over HTTPS, trusting `ca` (the simulator's self-signed certificate). */
function getJson(url, { ca, token }) {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { ca, headers: { authorization: `Bearer ${token}` } },
      res => {
        let body = '';
        res.on('data', d => (body += d));
        res.on('end', () =>
          res.statusCode === 200
            ? resolve(JSON.parse(body))
            : reject(
                new Error(
                  `GET ${url}: ${res.statusCode} ${body.slice(0, 500)}`,
                ),
              ),
        );
      },
    );
    req.once('error', reject);
  });
}

/**
 * Loads a frontend export's Scalprum container the way a browser host does: serves
 * dist-scalprum/ over HTTP, runs the manifest's loadScripts in jsdom, takes the container the
 * entry script registers through `__load_plugin_entry__`, initialises it with an empty share
 * scope (so it uses the React and Backstage copies it bundles as fallbacks) and returns
 * { manifest, name, container, close }.
 */
async function loadScalprumContainer(distScalprum) {
  const { JSDOM, VirtualConsole } = require('jsdom');
  const server = http.createServer((req, res) => {
    const file = path.join(
      distScalprum,
      decodeURIComponent(req.url.split('?')[0]),
    );
    if (
      !file.startsWith(distScalprum) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    ) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, {
      'content-type': file.endsWith('.js')
        ? 'text/javascript'
        : 'application/json',
    });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const errors = [];
  const virtualConsole = new VirtualConsole();
  virtualConsole.on('jsdomError', e => errors.push(e.message));
  const dom = new JSDOM(
    '<!doctype html><html><head></head><body></body></html>',
    {
      url: base,
      runScripts: 'dangerously',
      resources: 'usable',
      pretendToBeVisual: true,
      virtualConsole,
    },
  );
  const close = async () => {
    dom.window.close();
    await new Promise(r => server.close(r));
  };
  try {
    const manifest = JSON.parse(
      fs.readFileSync(path.join(distScalprum, 'plugin-manifest.json'), 'utf8'),
    );
    const registered = new Promise(resolve => {
      dom.window.__load_plugin_entry__ = (name, container) =>
        resolve({ name, container });
    });
    for (const script of manifest.loadScripts) {
      const el = dom.window.document.createElement('script');
      el.src = new URL(script, base).href;
      dom.window.document.head.appendChild(el);
    }
    const { name, container } = await Promise.race([
      registered,
      new Promise((_, reject) =>
        setTimeout(
          () =>
            reject(new Error(`no container registered: ${errors.join('; ')}`)),
          30000,
        ).unref(),
      ),
    ]);
    await container.init({});
    return { manifest, name, container, errors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

module.exports = {
  DYNAMIC_FEATURE_SERVICE_VERSION,
  docsDynamicPlugins,
  packageFolder,
  merge,
  startBackendInstall,
  installedBackstagePackages,
  writeBackend,
  writeYaml,
  getJson,
  loadScalprumContainer,
};
