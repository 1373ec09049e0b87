'use strict';
/*
 * The Red Hat Developer Hub route (docs/rhdh.md), tested: the published packages are built and
 * packed, exported with Red Hat's CLI (scripts/export-dynamic.js) into the dynamic plugins root
 * of a backend built on Backstage's dynamic plugin loader (the one Developer Hub's backend uses)
 * with the catalog, scaffolder and Kubernetes backends our modules extend, outside this workspace
 * and installed from the registry at our Backstage release. That backend gets the pluginConfig of
 * the docs' dynamic-plugins.yaml, merged as Developer Hub merges it, and runs against a fleet
 * simulator, whose clusters must reach the catalog and, through its cluster-proxy, the Kubernetes
 * backend. The frontend export's Scalprum container is loaded in jsdom and must export
 * everything the docs' wiring imports.
 *
 * Slow (two installs, a webpack build): about 5 minutes on two cores, plus about 3 the first
 * time, when scripts/export-dynamic.js installs rhdh-cli.
 *   node --test e2e/install/dynamic.test.js        KEEP_WORK=1 keeps the temporary folder
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { preparedPacks, root } = require('./pack');
const { startScopeRegistry } = require('./registry');
const {
  exportDynamicPlugins,
  SCALPRUM_NAME,
} = require('../../scripts/export-dynamic');
const dyn = require('./dynamic');
const {
  freePort,
  startProcess,
  startFleetSimulator,
  backendReady,
  eventually,
  jsonApi,
} = require('./processes');

const SCOPE = '@multicloud-gitops-backstage';
const SIM_TOKEN = 'dynamic-test-simulator-token';
/** CLUSTER_PROXY_AUTH_PROVIDER of -common: the Kubernetes module's strategy. */
const HUB_AUTH_PROVIDER = 'multicloudGitopsHub';
const STATIC_TOKEN = crypto.randomBytes(24).toString('base64url');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-dynamic-'));
const backendDir = path.join(work, 'backend');
const pluginsRoot = path.join(backendDir, 'dynamic-plugins-root');
const log = m => process.stdout.write(`# ${m}\n`);
const seconds = t0 => `${((Date.now() - t0) / 1000).toFixed(0)} s`;

let registry;
let packs;
let exported;
let docs;
let simulator;
let backend;
let url;
let backendInstall;

const byRole = role => exported.find(e => e.role === role);
const byName = short => exported.find(e => e.name === `${SCOPE}/${short}`);
const readJson = file => JSON.parse(fs.readFileSync(file, 'utf8'));

const api = jsonApi(
  () => url,
  () => STATIC_TOKEN,
);

test.before(async () => {
  const t0 = Date.now();
  log(`working in ${work}`);
  docs = dyn.docsDynamicPlugins();
  // The backend's npm install runs while the packages are built and exported.
  backendInstall = dyn.startBackendInstall(backendDir);

  // Built and packed here, or once for all the install tests by `npm test` (MCG_PACKS).
  let t = Date.now();
  packs = preparedPacks(path.join(work, 'packs'));
  registry = await startScopeRegistry(packs);
  log(`build and pack: ${seconds(t)}`);

  t = Date.now();
  exported = await exportDynamicPlugins({
    packs,
    registryUrl: registry.url,
    outDir: pluginsRoot,
    log: m => log(`export: ${m}`),
  });
  log(`export: ${seconds(t)}`);

  t = Date.now();
  const code = await backendInstall.done;
  const installLog = fs.readFileSync(
    path.join(backendDir, 'install.log'),
    'utf8',
  );
  assert.equal(
    code,
    0,
    `npm install of the backend failed:\n${installLog.slice(-4000)}`,
  );
  log(`backend npm install finished ${seconds(t)} after the export`);

  // The simulator's self-signed certificate is given to the backend as the docs' caData, as a
  // real hub's CA would be.
  simulator = await startFleetSimulator({
    clusters: 6,
    groups: 2,
    seed: 11,
    token: SIM_TOKEN,
    log,
  });

  // What a test run needs: ports, a database, a static token, the plugins root. Then the docs'
  // pluginConfig fragments as they are, merged into one file as Developer Hub's installer
  // merges them into app-config.dynamic-plugins.yaml; their ${...} come from the environment.
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  dyn.writeBackend(backendDir);
  dyn.writeYaml(path.join(backendDir, 'app-config.yaml'), {
    backend: {
      baseUrl: url,
      listen: { port, host: '127.0.0.1' },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          {
            type: 'static',
            options: { token: STATIC_TOKEN, subject: 'dynamic-plugins-test' },
          },
        ],
      },
    },
    dynamicPlugins: { rootDirectory: 'dynamic-plugins-root' },
  });
  const pluginConfig = docs.plugins.reduce(
    (acc, p) => dyn.merge(acc, p.pluginConfig),
    {},
  );
  // The simulator's cluster-proxy is on 127.0.0.1, which the catalog cluster locator refuses
  // unless allowed (as the docs say); a real hub's route needs nothing.
  const catalogLocators = (
    pluginConfig.kubernetes?.clusterLocatorMethods ?? []
  ).filter(m => m.type === 'catalog');
  assert.equal(catalogLocators.length, 1, "the docs' catalog cluster locator");
  catalogLocators[0].dangerouslyAllowClusterUrls = ['127.0.0.1'];
  dyn.writeYaml(
    path.join(backendDir, 'app-config.dynamic-plugins.yaml'),
    pluginConfig,
  );

  backend = await startProcess(
    'backend',
    process.execPath,
    [
      'index.js',
      '--config',
      'app-config.yaml',
      '--config',
      'app-config.dynamic-plugins.yaml',
    ],
    {
      cwd: backendDir,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        ...simulator.env,
      },
    },
    backendReady(url),
    180000,
    log,
  );
  log(`ready after ${seconds(t0)}`);
});

test.after(async () => {
  if (backend && process.env.DYNAMIC_TEST_LOG)
    fs.writeFileSync(process.env.DYNAMIC_TEST_LOG, backend.output());
  await backend?.stop();
  await simulator?.stop();
  await backendInstall?.stop();
  await registry?.close();
  if (!process.env.KEEP_WORK) fs.rmSync(work, { recursive: true, force: true });
});

test('rhdh-cli exported the five plugins as derived -dynamic packages', () => {
  assert.deepEqual(exported.map(e => e.name).sort(), [
    `${SCOPE}/plugin-catalog-backend-module-multicloud-gitops`,
    `${SCOPE}/plugin-kubernetes-backend-module-multicloud-gitops`,
    `${SCOPE}/plugin-multicloud-gitops`,
    `${SCOPE}/plugin-multicloud-gitops-backend`,
    `${SCOPE}/plugin-scaffolder-backend-module-multicloud-gitops`,
  ]);
  const index = readJson(path.join(pluginsRoot, 'index.json'));
  assert.deepEqual(
    index.map(e => Object.keys(e)[0]).sort(),
    exported.map(e => e.folder).sort(),
  );
  for (const e of exported) {
    const pkg = readJson(path.join(e.dir, 'package.json'));
    assert.equal(pkg.name, `${e.name}-dynamic`);
    assert.equal(pkg.backstage.role, e.role);
    assert.deepEqual(pkg.devDependencies, {});
  }
  // Nothing in the exports points at the temporary registry the packages came from.
  for (const e of exported.filter(x => x.role !== 'frontend-plugin')) {
    const lock = fs.readFileSync(path.join(e.dir, 'yarn.lock'), 'utf8');
    assert.ok(
      !lock.includes(registry.url.replace(/\/$/, '')),
      `${e.folder}/yarn.lock names the scope registry`,
    );
  }
});

test('the backend exports share @backstage packages and embed -common and -node', () => {
  for (const e of exported.filter(x => x.role !== 'frontend-plugin')) {
    const pkg = readJson(path.join(e.dir, 'package.json'));
    const deps = Object.keys(pkg.dependencies);
    assert.deepEqual(
      deps.filter(d => d.startsWith('@backstage/')),
      [],
      `${e.folder}: private @backstage deps`,
    );
    assert.ok(
      pkg.peerDependencies['@backstage/backend-plugin-api'],
      `${e.folder}: backend-plugin-api not a peer`,
    );
    assert.equal(pkg.bundleDependencies, true);
    assert.ok(
      !fs.existsSync(path.join(e.dir, 'node_modules/@backstage')),
      `${e.folder} bundles @backstage packages`,
    );
    for (const lib of [
      'plugin-multicloud-gitops-common',
      'plugin-multicloud-gitops-node',
    ]) {
      assert.equal(
        pkg.dependencies[`${SCOPE}/${lib}`],
        `file:./embedded/multicloud-gitops-backstage-${lib}`,
        `${e.folder}: ${lib} not embedded`,
      );
      const installed = readJson(
        path.join(e.dir, 'node_modules', SCOPE, lib, 'package.json'),
      );
      assert.match(
        installed.version,
        /\+embedded$/,
        `${e.folder}: ${lib} ${installed.version}`,
      );
    }
  }
  const catalogModule = byName(
    'plugin-catalog-backend-module-multicloud-gitops',
  );
  assert.ok(
    readJson(path.join(catalogModule.dir, 'package.json')).dependencies[
      '@kubernetes/client-node'
    ],
    'the catalog module: @kubernetes/client-node not a private dependency',
  );
  assert.ok(
    fs.existsSync(
      path.join(catalogModule.dir, 'node_modules/@kubernetes/client-node'),
    ),
  );
  const kubernetesModule = byName(
    'plugin-kubernetes-backend-module-multicloud-gitops',
  );
  assert.ok(
    readJson(path.join(kubernetesModule.dir, 'package.json')).peerDependencies[
      '@backstage/plugin-kubernetes-backend'
    ],
    'the Kubernetes module: the Kubernetes backend not a peer',
  );
  const scaffolder = byName(
    'plugin-scaffolder-backend-module-multicloud-gitops',
  );
  assert.ok(
    fs.existsSync(
      path.join(scaffolder.dir, 'templates/create-pattern/template.yaml'),
    ),
  );
});

test('the backend is on our Backstage release and holds none of our packages itself', () => {
  const pins = readJson(path.join(root, 'package.json')).overrides;
  const off = dyn
    .installedBackstagePackages(backendDir)
    .filter(p => !p.at.startsWith('dynamic-plugins-root'))
    .filter(p => pins[p.name] && pins[p.name] !== p.version);
  assert.deepEqual(
    off,
    [],
    'installed @backstage packages not at the workspace pins',
  );
  assert.equal(
    require(path.join(
      backendDir,
      'node_modules/@backstage/backend-dynamic-feature-service/package.json',
    )).version,
    dyn.DYNAMIC_FEATURE_SERVICE_VERSION,
  );
  assert.ok(!fs.existsSync(path.join(backendDir, 'node_modules', SCOPE)));
});

test('the loader loaded the four backend exports from the dynamic plugins root', () => {
  for (const e of exported.filter(x => x.role !== 'frontend-plugin')) {
    const line = `loaded dynamic backend plugin '${e.name}-dynamic' from 'file://${e.dir}'`;
    assert.ok(
      backend.output().includes(line),
      `no "${line}" in the backend log`,
    );
  }
  assert.doesNotMatch(
    backend.output(),
    /could not be loaded|error occurred while loading dynamic backend plugin/,
  );
});

test('GET /api/multicloud-gitops/v1/hubs answers 200 with the configured hub', async () => {
  assert.equal(
    (await api('/api/multicloud-gitops/v1/hubs', { token: null })).status,
    401,
  );

  const { body } = await eventually(
    'every source of the hub to be read',
    async () => {
      const r = await api('/api/multicloud-gitops/v1/hubs');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const sources = r.body.hubs?.[0]?.sources ?? [];
      return sources.length > 0 && sources.every(s => s.state === 'ok')
        ? r
        : undefined;
    },
  );
  assert.deepEqual(
    body.hubs.map(h => h.id),
    ['hub'],
  );
  assert.equal(body.hubs[0].title, 'Management hub');
  assert.deepEqual(body.hubs[0].sources.map(s => s.kind).sort(), [
    'acm',
    'argocd',
    'search',
  ]);

  assert.equal(
    body.hubs[0].clusterCount,
    (await managedClusters()).length,
    'clusters read from the hub',
  );
  const text = JSON.stringify(body);
  assert.ok(
    !text.includes(SIM_TOKEN) && !text.includes('BEGIN CERTIFICATE'),
    'no credential in the answer',
  );
});

test('the backend plugin publishes its permissions for the RBAC plugin', async () => {
  const { status, body } = await api(
    '/api/multicloud-gitops/.well-known/backstage/permissions/metadata',
  );
  assert.equal(status, 200);
  assert.deepEqual(body.permissions.map(p => p.name).sort(), [
    'multicloud-gitops.application.sync',
    'multicloud-gitops.topology.read',
  ]);
});

test('the scaffolder lists the actions of the exported module', async () => {
  const { status, body } = await api('/api/scaffolder/v2/actions');
  assert.equal(status, 200);
  const ids = body.map(a => a.id);
  for (const id of [
    'multicloud-gitops:pattern:create',
    'multicloud-gitops:cluster:import',
    'multicloud-gitops:values:add-cluster-group',
  ])
    assert.ok(ids.includes(id), `${id} not in ${ids.join(', ')}`);
});

/** The simulated hub's ManagedClusters, read from it directly. */
async function managedClusters() {
  const { items } = await dyn.getJson(
    `${simulator.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
    { ca: simulator.ca, token: SIM_TOKEN },
  );
  return items;
}

test("the catalog module puts the hub's managed clusters in the catalog", async () => {
  const expected = (await managedClusters()).map(m => m.metadata.name).sort();
  const clusters = await eventually(
    'the managed clusters in the catalog',
    async () => {
      const r = await api(
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=kubernetes-cluster&limit=1000',
      );
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.length >= expected.length ? r.body.items : undefined;
    },
    120000,
  );
  const cluster = e => e.metadata.annotations['validatedpatterns.io/cluster'];
  assert.deepEqual(clusters.map(cluster).sort(), expected);
  for (const e of clusters) {
    const a = e.metadata.annotations;
    assert.equal(e.metadata.name, `hub-${cluster(e)}`);
    assert.equal(a['validatedpatterns.io/hub'], 'hub', e.metadata.name);
    // The Kubernetes plugin's catalog cluster locator reads these.
    assert.equal(
      a['kubernetes.io/api-server'],
      `${simulator.url}/cluster-proxy/${cluster(e)}`,
      e.metadata.name,
    );
    assert.equal(
      a['kubernetes.io/auth-provider'],
      HUB_AUTH_PROVIDER,
      e.metadata.name,
    );
    assert.ok(
      a['kubernetes.io/api-server-certificate-authority'],
      `${e.metadata.name}: no CA`,
    );
  }
  const text = JSON.stringify(clusters);
  assert.ok(!text.includes(SIM_TOKEN), 'no credential in the entities');
});

test("the Kubernetes module's auth provider lets the Kubernetes backend reach the catalog's clusters through the hub", async () => {
  const managed = await managedClusters();
  const listed = await eventually(
    'the catalog clusters in the Kubernetes backend',
    async () => {
      const r = await api('/api/kubernetes/clusters');
      assert.equal(r.status, 200, JSON.stringify(r.body));
      return r.body.items.length >= managed.length ? r.body.items : undefined;
    },
    120000,
  );
  assert.deepEqual(
    listed.map(c => c.name).sort(),
    managed.map(m => `hub-${m.metadata.name}`).sort(),
  );
  for (const c of listed) assert.equal(c.authProvider, HUB_AUTH_PROVIDER);

  // Through the Kubernetes backend's proxy, which asks the cluster's auth strategy for a
  // credential: without ours registered it fails, and without the hub's token the simulated
  // cluster-proxy answers 401.
  const hubCluster = managed.find(
    m => m.metadata.labels?.['local-cluster'] === 'true',
  );
  const { status, body } = await api('/api/kubernetes/proxy/version', {
    headers: {
      'Backstage-Kubernetes-Cluster': `hub-${hubCluster.metadata.name}`,
    },
  });
  assert.equal(status, 200, JSON.stringify(body));
  assert.ok(body.gitVersion, JSON.stringify(body));
  assert.ok(
    backend
      .output()
      .includes(
        `Kubernetes auth provider ${HUB_AUTH_PROVIDER}: managed clusters through the cluster-proxy of hub(s) hub`,
      ),
    'the module logs the hubs it serves',
  );
});

test("the docs' packages are the exported folders", () => {
  const folders = docs.plugins.map(p => dyn.packageFolder(p.package)).sort();
  assert.deepEqual(folders, exported.map(e => e.folder).sort());
  for (const p of docs.plugins) assert.equal(p.disabled, false, p.package);
});

test("the frontend export's Scalprum container exports everything the docs' wiring imports", async () => {
  const frontend = byRole('frontend-plugin');
  const distScalprum = path.join(frontend.dir, 'dist-scalprum');
  const pkg = readJson(path.join(frontend.dir, 'package.json'));
  const packed = packs.find(p => p.name === frontend.name).packedJson;
  assert.deepEqual(
    pkg.exports,
    packed.exports,
    'the export changed the package entry points',
  );

  const wiring = docs.plugins.find(
    p => p.pluginConfig?.dynamicPlugins?.frontend,
  ).pluginConfig.dynamicPlugins.frontend;
  assert.deepEqual(Object.keys(wiring), [SCALPRUM_NAME]);
  const w = wiring[SCALPRUM_NAME];

  const tabMountPoints = w.entityTabs.map(t => `${t.mountPoint}/cards`);
  for (const m of tabMountPoints)
    assert.ok(
      w.mountPoints.some(mp => mp.mountPoint === m),
      `nothing mounted on ${m}`,
    );

  // Everything the wiring imports, with the module it comes from (PluginRoot unless named).
  const imports = [
    ...w.dynamicRoutes,
    ...w.mountPoints,
    ...w.scaffolderFieldExtensions,
  ].map(x => ({
    module: x.module ?? 'PluginRoot',
    importName: x.importName,
    kind: 'component',
  }));
  for (const mp of w.mountPoints)
    for (const cond of Object.values(mp.config?.if ?? {}).flat())
      if (typeof cond === 'string')
        imports.push({
          module: mp.module ?? 'PluginRoot',
          importName: cond,
          kind: 'condition',
        });

  const loaded = await dyn.loadScalprumContainer(distScalprum);
  try {
    assert.equal(loaded.manifest.name, SCALPRUM_NAME);
    assert.equal(loaded.name, SCALPRUM_NAME);
    await assert.rejects(
      loaded.container.get('NoSuchModule'),
      /does not exist in container/,
    );
    for (const moduleName of new Set(imports.map(i => i.module))) {
      const mod = (await loaded.container.get(moduleName))();
      for (const i of imports.filter(x => x.module === moduleName)) {
        assert.ok(
          mod[i.importName],
          `${moduleName} does not export ${i.importName}`,
        );
        if (i.kind === 'condition') {
          const annotated = {
            metadata: {
              name: 'p',
              annotations: {
                'validatedpatterns.io/pattern': 'multicloud-gitops',
              },
            },
          };
          assert.equal(
            mod[i.importName](annotated),
            true,
            `${i.importName}(annotated entity)`,
          );
          assert.equal(
            mod[i.importName]({ metadata: { name: 'other' } }),
            false,
            `${i.importName}(other entity)`,
          );
        }
      }
    }
    assert.deepEqual(loaded.errors, []);
  } finally {
    await loaded.close();
  }
});
