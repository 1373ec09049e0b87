'use strict';
/*
 * Roadie's Argo CD backend plugin (@roadiehq/backstage-plugin-argo-cd-backend, unmodified),
 * in a backend of its own (index.js), against the fleet simulator's Argo CD: what a real
 * Argo CD client does with the simulator through the plugin's own routes. Run by `npm test`
 * (scripts/test.js) with node's test runner:
 *
 *   node --test bench/peer-roadie
 *
 * The plugin is installed into this folder (npm install --prefix, not a workspace) on first
 * run; that needs the npm registry and is not part of the test's time.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const {
  eventually,
  freePort,
  jsonApi,
  startProcess,
} = require('../../e2e/install/processes');

const HERE = __dirname;
const PLUGIN = '@roadiehq/backstage-plugin-argo-cd-backend';
const PATTERN_REPO = 'https://github.com/validatedpatterns/multicloud-gitops';
const SHA = /^[0-9a-f]{40}$/;

function ensureInstalled() {
  const marker = path.join(HERE, 'node_modules', PLUGIN, 'package.json');
  if (fs.existsSync(marker)) return;
  const r = spawnSync(
    process.platform === 'win32' ? 'npm.cmd' : 'npm',
    [
      'install',
      '--prefix',
      HERE,
      '--no-audit',
      '--no-fund',
      '--legacy-peer-deps',
    ],
    { cwd: HERE, stdio: ['ignore', 'inherit', 'inherit'], timeout: 300000 },
  );
  if (r.status !== 0 || !fs.existsSync(marker))
    throw new Error(
      `npm install --prefix bench/peer-roadie failed (exit ${r.status})`,
    );
}

test('Roadie Argo CD backend plugin against the simulator', async t => {
  ensureInstalled();
  // TypeScript workspace packages are loaded from source, like the simulator's CLI does.
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    startSimulator,
  } = require('@multicloud-gitops-backstage/fleet-simulator');
  const sim = await startSimulator({
    clusters: 2,
    appsPerCluster: 4,
    seed: 'roadie',
  });
  t.after(() => sim.stop());
  // a managed cluster whose own Argo CD runs the group's apps
  const mcs = await fetch(
    `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
    { headers: { authorization: `Bearer ${sim.token}` } },
  ).then(r => r.json());
  let spokeArgo;
  for (const mc of mcs.items) {
    if (mc.metadata.name === 'local-cluster') continue;
    const url = sim.argocdUrl(mc.metadata.name);
    const apps = await fetch(`${url}/api/v1/applications`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    if (apps.status === 200 && (await apps.json()).items.length) {
      spokeArgo = url;
      break;
    }
  }
  assert.ok(spokeArgo, 'a managed cluster runs Argo CD apps');

  const port = await freePort();
  const staticToken = `roadie-test-${process.pid}`;
  const config = {
    backend: {
      baseUrl: `http://127.0.0.1:${port}`,
      listen: { host: '127.0.0.1', port },
      database: { client: 'better-sqlite3', connection: ':memory:' },
      auth: {
        externalAccess: [
          { type: 'static', options: { token: staticToken, subject: 'test' } },
        ],
      },
    },
    argocd: {
      waitCycles: 1,
      appLocatorMethods: [
        {
          type: 'config',
          instances: [
            // the hub with the hub's token, the spoke with a session (POST /api/v1/session)
            { name: 'hub', url: sim.argocd.url, token: sim.token },
            {
              name: 'spoke',
              url: spokeArgo,
              username: sim.argocd.username,
              password: sim.argocd.password,
            },
          ],
        },
      ],
    },
  };
  // in a folder of its own: the backend watches its config file's folder
  const cfgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'peer-roadie-'));
  t.after(() => fs.rmSync(cfgDir, { recursive: true, force: true }));
  const cfg = path.join(cfgDir, 'app-config.json');
  fs.writeFileSync(cfg, JSON.stringify(config));
  const backend = await startProcess(
    'peer-roadie',
    process.execPath,
    [path.join(HERE, 'index.js'), '--config', cfg],
    {
      cwd: HERE,
      env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
    },
    output => output.includes('peer-roadie ready'),
    90000,
  );
  t.after(() => backend.stop());

  const roadie = jsonApi(
    () => `http://127.0.0.1:${port}/api/argocd`,
    async () => staticToken,
  );
  const call = async (method, p, body) => {
    const r = await roadie(p, {
      method,
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    return { status: r.status, json: r.body };
  };
  const argo = jsonApi(
    () => `${sim.argocd.url}/api/v1`,
    async () => sim.token,
  );
  const simGet = async p => {
    const r = await argo(p);
    return { status: r.status, json: r.body };
  };
  const until = (what, fn) => eventually(what, fn, 15000);

  await t.test(
    'finds an app by name on the instances that have it',
    async () => {
      const both = await call('GET', '/find/name/config-demo');
      assert.equal(both.status, 200);
      assert.deepEqual(
        both.json.map(i => [i.name, i.appName]),
        [
          ['hub', ['config-demo']],
          ['spoke', ['config-demo']],
        ],
      );
      // acm runs on the hub only: the spoke answers 403 (Argo CD hides missing apps)
      const hubOnly = await call('GET', '/find/name/acm');
      assert.deepEqual(
        hubOnly.json.map(i => i.name),
        ['hub'],
      );
    },
  );

  await t.test('finds apps by label selector', async () => {
    const sel = encodeURIComponent(
      'app.kubernetes.io/instance=multicloud-gitops-hub',
    );
    const found = await call('GET', `/find/selector/${sel}`);
    assert.equal(found.status, 200);
    const hub = found.json.find(i => i.name === 'hub');
    assert.deepEqual([...hub.appName].sort(), [
      'acm',
      'config-demo',
      'golang-external-secrets',
      'hello-world',
      'vault',
    ]);
    // the spoke answers an empty list, which the plugin reports as no apps there
    assert.deepEqual(found.json.find(i => i.name === 'spoke').appName, []);
    const listed = await call(
      'GET',
      `/argoInstance/hub/applications/selector/${sel}`,
    );
    assert.equal(listed.json.items.length, 5);
    assert.ok(listed.json.items.every(a => a.metadata.instance.name === 'hub'));
  });

  let configDemo;
  await t.test('reads app details with their deployment history', async () => {
    const r = await call(
      'GET',
      '/argoInstance/hub/applications/name/config-demo',
    );
    assert.equal(r.status, 200);
    configDemo = r.json;
    assert.equal(configDemo.instance, 'hub');
    assert.equal(configDemo.metadata.name, 'config-demo');
    assert.ok(configDemo.status.history.length > 0);
    assert.match(configDemo.status.sync.revision, SHA);
    assert.equal(
      configDemo.status.history.at(-1).revision,
      configDemo.status.sync.revision,
    );
  });

  await t.test('reads the metadata of the deployed revision', async () => {
    const rev = configDemo.status.sync.revision;
    const r = await call(
      'GET',
      `/argoInstance/hub/applications/name/config-demo/revisions/${rev}/metadata`,
    );
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.json).sort(), ['author', 'date', 'message']);
    assert.match(r.json.author, /^.+ <.+@.+>$/);
    assert.ok(
      Date.parse(r.json.date) <
        Date.parse(configDemo.status.history.at(-1).deployedAt),
    );
    // a branch name is not a revision the repo server can describe: the plugin fails the call
    const ref = await call(
      'GET',
      '/argoInstance/hub/applications/name/config-demo/revisions/main/metadata',
    );
    assert.equal(ref.status, 500);
    assert.equal(ref.json.error.message, 'Request failed with 500 Error');
  });

  await t.test(
    'syncs every app a selector matches, each to the commit of its branch',
    async () => {
      const r = await call('POST', '/sync', {
        appSelector: 'validatedpatterns.io/pattern=multicloud-gitops',
      });
      assert.equal(r.status, 200);
      const hub = r.json.find(list =>
        list.some(x => /on hub$/.test(x.message)),
      );
      assert.equal(hub.length, 6);
      assert.ok(hub.every(x => x.status === 'Success'));
      const done = await until('config-demo synced', async () => {
        const g = await simGet('/applications/config-demo');
        return g.json.status.operationState.phase === 'Succeeded' &&
          !g.json.operation &&
          g.json.status.operationState.syncResult.revision !==
            configDemo.status.sync.revision
          ? g.json
          : undefined;
      });
      const commit = done.status.operationState.operation.sync.revision;
      assert.match(commit, SHA);
      assert.equal(done.status.sync.revision, commit);
      assert.equal(done.status.history.at(-1).revision, commit);
      assert.equal(done.status.history.at(-1).initiatedBy.username, 'admin');
      const meta = await call(
        'GET',
        `/argoInstance/hub/applications/name/config-demo/revisions/${commit}/metadata`,
      );
      assert.equal(meta.status, 200);
      assert.ok(meta.json.message.length > 0);
    },
  );

  await t.test('gets and updates a project with its application', async () => {
    const before = await simGet('/projects/hello-world');
    assert.equal(before.status, 200);
    const r = await call('PUT', '/updateArgo/hello-world', {
      clusterName: 'hub',
      namespace: 'hello-world',
      projectName: 'hello-world',
      appName: 'hello-world',
      labelValue: 'hello-world',
      sourceRepo: PATTERN_REPO,
      sourcePath: 'charts/all/hello-world',
    });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.deepEqual(r.json, {
      argoProjectName: 'hello-world',
      argoAppName: 'hello-world',
      kubernetesNamespace: 'hello-world',
    });
    const proj = (await simGet('/projects/hello-world')).json;
    assert.deepEqual(proj.spec.sourceRepos, [PATTERN_REPO]);
    assert.equal(proj.spec.destinations[0].namespace, 'hello-world');
    assert.notEqual(
      proj.metadata.resourceVersion,
      before.json.metadata.resourceVersion,
    );
    const app = (await simGet('/applications/hello-world')).json;
    assert.deepEqual(app.metadata.labels, { 'backstage-name': 'hello-world' });
    // a project that does not exist: the plugin reports Argo CD's own message
    const missing = await call('PUT', '/updateArgo/hello-world', {
      clusterName: 'hub',
      namespace: 'hello-world',
      projectName: 'nope',
      appName: 'hello-world',
      labelValue: 'hello-world',
      sourceRepo: PATTERN_REPO,
      sourcePath: 'charts/all/hello-world',
    });
    assert.equal(missing.status, 500);
    assert.equal(
      missing.json.message,
      'Failed to get argo project: appprojects.argoproj.io "nope" not found',
    );
  });

  await t.test(
    'deletes an application: pending while its finalizer runs, then gone',
    async () => {
      const r = await call(
        'DELETE',
        '/argoInstance/hub/applications/hello-world',
      );
      assert.equal(r.status, 200);
      assert.equal(r.json.deleteAppDetails.status, 'pending');
      assert.match(
        r.json.deleteAppDetails.message,
        /^application hello-world still pending deletion with the deletion timestamp of \d{4}-/,
      );
      assert.equal(r.json.deleteProjectDetails.status, 'failed');
      // once the controller has run the finalizer the app is gone; Argo CD then answers 403,
      // not 404, to a client that names no project
      await until('hello-world gone', async () => {
        const g = await call(
          'GET',
          '/argoInstance/hub/applications/hello-world',
        );
        return g.json.statusCode === 403 ? g : undefined;
      });
      const withProject = await simGet(
        '/applications/hello-world?project=hello-world',
      );
      assert.equal(withProject.status, 404);
    },
  );
});
