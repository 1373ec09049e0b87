#!/usr/bin/env node
/*
 * The GitOps loop on the example portal, in a browser: what the templates commit reaches the
 * simulated fleet, and the portal shows it. Runs on a portal of its own (ports 7067/7068,
 * local repositories in a temp folder), so it can change the pattern repositories and the
 * hub freely:
 *
 * - onboard-cluster into a new group: the cluster is Pending import, then Available, and
 *   receives the group's app of apps;
 * - onboard-team to that group: the application runs on every cluster of the group, Synced
 *   at the pushed commit, in the matrix;
 * - a values file that does not render: the drawer shows the app of apps' render error;
 * - an owner syncs a spoke application from the drawer and sees its operation; a non-owner
 *   gets no Sync;
 * - create-pattern with "Install on a hub" (after uninstalling the seeded Pattern, as a hub
 *   runs one): the System is in the catalog, its Fleet tab shows the hub applications Synced
 *   at the created commit, and its card the Pattern (screenshot for the plugin's README).
 *
 * The backend runs without `npm start`'s file watcher, on the app `npm start` (or e2e/run.js)
 * last built. Templates run through the scaffolder REST API (their forms have tests of their own); every
 * result is checked in the browser. The patterns operator polls every second here and ACM
 * Search every second, so waits are for those polls, never fixed sleeps.
 *
 *   node e2e/gitops-loop.js            # alone
 *   node e2e/run.js                    # with the other portal tests
 */
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, runJourney, runAlone } = require('./portal');
const { startProcess, backendReady } = require('./install/processes');
const { api, eventually } = require('./tests');

const PORT = 7067;
const HUB_TOKEN = 'fleet-simulator-token';
const SEEDED = 'multicloud-gitops';
const SYSTEM = `/catalog/default/system/${SEEDED}`;
const PATTERNS = '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1';
const SCREENSHOT = path.join(
  root,
  'plugins/multicloud-gitops/docs/screenshots/pattern-status.png',
);

const GROUP = 'edge';
const CLUSTERS = ['edge-01', 'edge-02'];

/**
 * The portal's config for a journey or a bench: its ports, local repositories in `dir`, the
 * simulator's settings, and Argo CD instances of its own for `spokes`.
 */
function writeConfig(
  dir,
  { port = PORT, simulator = {}, searchPollSeconds, spokes = [] } = {},
) {
  const sim = `http://127.0.0.1:${port + 1}`;
  const file = path.join(dir, `app-config.${port}.yaml`);
  const instance = (name, cluster) => ({
    name,
    url: `${sim}/argocd/${cluster}`,
    username: 'admin',
    password: 'fleet-simulator',
  });
  const config = {
    app: { baseUrl: `http://localhost:${port}` },
    backend: {
      baseUrl: `http://localhost:${port}`,
      listen: { port },
      reading: { allow: [{ host: `localhost:${port}` }] },
    },
    multicloudGitops: {
      localGit: {
        rootDir: path.join(dir, 'repos'),
        baseUrl: `http://localhost:${port}/api/local-git`,
      },
      simulator: { enabled: true, port: port + 1, tick: '0s', ...simulator },
      hubs: [
        {
          name: 'hub',
          title: 'Simulated hub',
          url: sim,
          serviceAccountToken: HUB_TOKEN,
          skipTLSVerify: true,
          search: {
            url: `${sim}/searchapi/graphql`,
            ...(searchPollSeconds
              ? { pollIntervalSeconds: searchPollSeconds }
              : {}),
          },
          clusterProxy: { url: `${sim}/cluster-proxy` },
          // Spokes with an Argo CD of their own in the portal show the commit their
          // applications run (ACM Search does not index it); the others are found through
          // Search and synced through the hub.
          argocd: [
            instance('hub-gitops', 'local-cluster'),
            ...spokes.map(c => ({
              ...instance(`${c}-gitops`, c),
              clusters: [c],
            })),
          ],
        },
      ],
    },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The simulated hub's API with its full-rights token. */
function hubClient(port = PORT) {
  return async (p, init = {}) => {
    const res = await fetch(`http://127.0.0.1:${port + 1}${p}`, {
      ...init,
      headers: {
        authorization: `Bearer ${HUB_TOKEN}`,
        'content-type': 'application/json',
        ...(init.headers || {}),
      },
    });
    return { status: res.status, body: await res.json().catch(() => ({})) };
  };
}
const hub = hubClient();

/** onboard-team's values: `app` from the pattern repo's hello-world chart, to `group`. */
function onboardTeam(pattern, group, app) {
  return {
    pattern: `system:default/${pattern}`,
    repository: 'local',
    clusterGroup: group,
    app,
    namespace: app,
    source: 'path',
    chartPath: 'charts/all/hello-world',
  };
}

/**
 * The example backend (serving the built app) from its sources, without the file watcher of
 * `npm start`: an edit elsewhere in the repository must not restart it, and the simulator
 * with it, in the middle of a journey. Builds the app first when it was never built.
 */
async function startExampleBackend(port, configFile, log) {
  if (!fs.existsSync(path.join(root, 'packages/app/dist/index.html'))) {
    const build = spawnSync(
      path.join(root, 'node_modules/.bin/backstage-cli'),
      ['package', 'build'],
      { cwd: path.join(root, 'packages/app'), stdio: 'inherit' },
    );
    if (build.status !== 0) throw new Error('the app failed to build');
  }
  const url = `http://localhost:${port}`;
  const backend = await startProcess(
    'example backend',
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [root],
      }),
      'src/index',
      '--config',
      path.join(root, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(root, 'packages/backend'),
      // as `backstage-cli package start` runs it; the guest sign-in needs it
      env: { ...process.env, NODE_ENV: 'development' },
    },
    backendReady(url),
    240000,
    log,
  );
  return { ...backend, url };
}

/** Runs a template through the scaffolder REST API to its end. */
async function runTemplate(ctx, name, values, secrets) {
  const created = await api(ctx, '/api/scaffolder/v2/tasks', {
    method: 'POST',
    body: JSON.stringify({
      templateRef: `template:default/${name}`,
      values,
      ...(secrets ? { secrets } : {}),
    }),
  });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const task = await eventually(
    async () => {
      const t = await api(ctx, `/api/scaffolder/v2/tasks/${created.body.id}`);
      return ['completed', 'failed', 'cancelled'].includes(t.body.status)
        ? t.body
        : undefined;
    },
    120000,
    `${name} to finish`,
  );
  if (task.status !== 'completed') {
    const events = await api(
      ctx,
      `/api/scaffolder/v2/tasks/${created.body.id}/events`,
    );
    const error = events.body.find(e => e.type === 'completion')?.body?.error;
    throw new Error(`${name} ${task.status}: ${JSON.stringify(error)}`);
  }
}

/** git on the local repositories (the portal serves them; the test commits like a user). */
function git(...args) {
  return execFileSync('git', args, { encoding: 'utf8' }).trim();
}

function mainOf(ctx, repo) {
  return git(
    '--git-dir',
    path.join(ctx.repos, `${repo}.git`),
    'rev-parse',
    'main',
  );
}

/** Commit files to a local repository's main, as a user's push; returns the commit. */
function push(ctx, repo, files, message) {
  const bare = path.join(ctx.repos, `${repo}.git`);
  const work = fs.mkdtempSync(path.join(ctx.tmp, 'work-'));
  git('clone', '-q', bare, work);
  for (const [f, text] of Object.entries(files))
    fs.writeFileSync(path.join(work, f), text);
  git('-C', work, 'add', '-A');
  git(
    '-C',
    work,
    '-c',
    'user.name=e2e',
    '-c',
    'user.email=e2e@example.com',
    'commit',
    '-qm',
    message,
  );
  git('-C', work, 'push', '-q', 'origin', 'main');
  // what a dumb-HTTP client (the simulated hub's operator) reads first
  git('--git-dir', bare, 'update-server-info');
  return git('-C', work, 'rev-parse', 'HEAD');
}

function readFile(ctx, repo, file) {
  return git(
    '--git-dir',
    path.join(ctx.repos, `${repo}.git`),
    'show',
    `main:${file}`,
  );
}

/** The applications of a cluster as the portal's backend has them. */
async function appsOn(ctx, cluster) {
  const r = await api(
    ctx,
    `/api/multicloud-gitops/v1/hubs/hub/clusters/${cluster}`,
  );
  return r.status === 200 ? r.body.applications : [];
}

/** A spoke of the seeded group-one that is available (found through Search in the portal). */
async function groupOneSpoke() {
  const mcs = await hub(
    '/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=clusterGroup%3Dgroup-one',
  );
  const c = mcs.body.items.find(m =>
    m.status?.conditions?.some(
      x => x.type === 'ManagedClusterConditionAvailable' && x.status === 'True',
    ),
  );
  assert.ok(c, 'no available cluster in group-one');
  return c.metadata.name;
}

/** Opens a portal page; a full load may land on the sign-in page again. */
async function open(ctx, url, ready) {
  const page = ctx.page;
  await page.goto(`${ctx.url}${url}`);
  const enter = page.getByRole('button', { name: /enter/i }).first();
  const first = await Promise.race([
    ready().then(() => 'ready'),
    enter.waitFor({ timeout: 60000 }).then(() => 'sign-in'),
  ]);
  if (first === 'sign-in') {
    await enter.click();
    await page.goto(`${ctx.url}${url}`);
    await ready();
  }
}

async function openDrawer(ctx, cluster) {
  const page = ctx.page;
  await open(ctx, `/multicloud-gitops?hub=hub&cluster=${cluster}`, () =>
    page
      .getByRole('dialog', { name: `Cluster ${cluster}` })
      .getByRole('heading', { name: /^Applications \(\d+\)/ })
      .waitFor({ timeout: 60000 }),
  );
  return page.getByRole('dialog', { name: `Cluster ${cluster}` });
}

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: spoke
  cluster:
    server: https://api.spoke.example.com:6443
users:
- name: admin
  user:
    token: sha256~gitops-loop-e2e
`;

const steps = [
  {
    name: 'the seeded Pattern follows the local repository the portal wrote',
    async run(ctx) {
      const commit = mainOf(ctx, SEEDED);
      await eventually(
        async () => {
          const p = await hub(
            `${PATTERNS}/namespaces/openshift-operators/patterns/${SEEDED}`,
          );
          return (
            p.body.spec?.gitSpec?.targetRepo ===
              `${ctx.url}/api/local-git/${SEEDED}.git` &&
            p.body.status?.lastStep === 'reconcile complete' &&
            !p.body.status.lastError
          );
        },
        60000,
        'the seeded Pattern to follow the local repository',
      );
      await eventually(
        async () =>
          (
            await appsOn(ctx, 'local-cluster')
          ).some(a => a.name === `${SEEDED}-hub` && a.revision === commit),
        60000,
        `the hub app of apps at ${commit}`,
      );
    },
  },
  {
    name: 'onboard-cluster into a new group: Pending import, then Available, with the group app of apps',
    async run(ctx) {
      const page = ctx.page;
      // the Fleet tab is open before the import: it follows the fleet live
      await open(ctx, `${SYSTEM}/multicloud-gitops`, () =>
        page
          .getByText(/^Showing \d+ of \d+ clusters/)
          .waitFor({ timeout: 60000 }),
      );
      for (const clusterName of CLUSTERS)
        await runTemplate(
          ctx,
          'onboard-cluster',
          {
            pattern: `system:default/${SEEDED}`,
            repository: 'local',
            clusterGroup: GROUP,
            clusterName,
            importMode: 'kubeconfig',
            kubeconfig: '***',
            wait: false,
          },
          { kubeconfig: KUBECONFIG },
        );
      const row = page.getByTestId(`cluster-row-${CLUSTERS[1]}`);
      // the import takes the simulator's import delay (FLEET_SIMULATOR_IMPORT_DELAY_MS)
      await row
        .getByText('Pending import', { exact: true })
        .waitFor({ timeout: 20000 });
      await row
        .getByText('Available', { exact: true })
        .waitFor({ timeout: 30000 });
      const commit = mainOf(ctx, SEEDED);
      const drawer = await openDrawer(ctx, CLUSTERS[1]);
      const parent = drawer.getByTestId(`drawer-app-${SEEDED}-${GROUP}`);
      await parent.waitFor({ timeout: 30000 });
      await parent
        .getByText(commit.slice(0, 7), { exact: true })
        .waitFor({ timeout: 60000 });
    },
  },
  {
    name: 'onboard-team: the application runs on every cluster of the group, Synced at the pushed commit, in the matrix',
    async run(ctx) {
      await runTemplate(ctx, 'onboard-team', onboardTeam(SEEDED, GROUP, 'pos'));
      const pushed = mainOf(ctx, SEEDED);
      assert.match(
        git(
          '--git-dir',
          path.join(ctx.repos, `${SEEDED}.git`),
          'log',
          '-1',
          '--format=%s',
        ),
        /Deploy pos to edge/,
      );
      const page = ctx.page;
      await open(ctx, `${SYSTEM}/multicloud-gitops?view=matrix`, () =>
        page
          .locator('section[aria-label^="Applications by cluster"]')
          .waitFor({ timeout: 60000 }),
      );
      for (const c of CLUSTERS)
        await page
          .locator(`button[aria-label^="pos on ${c}: Synced, Healthy"]`)
          .waitFor({ timeout: 60000 });
      // only the group's clusters run it
      assert.equal(
        await page.locator('button[aria-label^="pos on "]').count(),
        CLUSTERS.length,
      );
      // the commit comes from each cluster's own Argo CD instance, whose source retries
      // until the new cluster serves one (Search, which the matrix may show first, has none)
      for (const c of CLUSTERS)
        await eventually(
          async () =>
            (await appsOn(ctx, c)).find(a => a.name === 'pos')?.revision ===
            pushed,
          60000,
          `pos on ${c} at ${pushed}`,
        );
      const drawer = await openDrawer(ctx, CLUSTERS[0]);
      await drawer
        .getByTestId('drawer-app-pos')
        .getByText(pushed.slice(0, 7), { exact: true })
        .waitFor({ timeout: 30000 });
    },
  },
  {
    name: 'a values file that does not render: the drawer shows the render error, and the fix clears it',
    async run(ctx) {
      const file = `values-${GROUP}.yaml`;
      const good = `${readFile(ctx, SEEDED, file)}\n`;
      push(ctx, SEEDED, { [file]: 'clusterGroup: [not, a, map]\n' }, 'Break');
      const drawer = await openDrawer(ctx, CLUSTERS[0]);
      const error = drawer
        .getByTestId(`drawer-app-${SEEDED}-${GROUP}`)
        .getByTestId('comparison-error');
      await error.waitFor({ timeout: 60000 });
      assert.match(
        await error.textContent(),
        /failed to render the clustergroup chart at [0-9a-f]{40}: values-edge\.yaml: clusterGroup/,
      );
      await ctx.page.screenshot({
        path: path.join(ctx.tmp, 'render-error.png'),
      });
      const fixed = push(ctx, SEEDED, { [file]: good }, 'Fix');
      await eventually(
        async () =>
          (
            await appsOn(ctx, CLUSTERS[0])
          ).some(
            a =>
              a.name === `${SEEDED}-${GROUP}` &&
              a.revision === fixed &&
              a.sync === 'Synced' &&
              !a.comparisonError,
          ),
        60000,
        'the app of apps to sync the fix',
      );
    },
  },
  {
    name: 'an owner syncs a spoke application from the drawer (through the hub) and sees its operation',
    async run(ctx) {
      const page = ctx.page;
      const spoke = await groupOneSpoke();
      const drawer = await openDrawer(ctx, spoke);
      const sync = drawer.getByRole('button', {
        name: `Sync hello-world on ${spoke}`,
      });
      await sync.waitFor({ timeout: 30000 });
      await sync.click();
      const confirm = page.getByRole('dialog', {
        name: `Sync hello-world on ${spoke}?`,
      });
      await confirm.getByRole('button', { name: 'Sync', exact: true }).click();
      const status = confirm.getByRole('status');
      await status.waitFor({ timeout: 30000 });
      assert.match(await status.textContent(), /Running|Succeeded|Synced/);
      await confirm
        .getByRole('button', { name: 'Close' })
        .click({ timeout: 60000 });
    },
  },
  {
    name: 'a non-owner gets no Sync on that spoke',
    async run(ctx) {
      // hello-world is owned by app-team; the guest is in platform-team
      const page = ctx.page;
      const spoke = await groupOneSpoke();
      const cell = page.locator(
        `button[aria-label^="hello-world on ${spoke}:"]`,
      );
      await open(
        ctx,
        '/catalog/default/component/hello-world/multicloud-gitops?view=matrix',
        () =>
          page
            .locator('button[aria-label^="hello-world on "]')
            .first()
            .waitFor({ timeout: 60000 }),
      );
      await cell.click();
      const drawer = page.getByRole('dialog', { name: /^Cluster / });
      await drawer
        .getByTestId('drawer-app-hello-world')
        .waitFor({ timeout: 30000 });
      await drawer
        .getByRole('heading', { name: 'Conditions' })
        .waitFor({ timeout: 30000 });
      assert.equal(
        await drawer.getByRole('button', { name: /^Sync / }).count(),
        0,
        'a non-owner must not see Sync',
      );
    },
  },
  {
    name: 'create-pattern with "Install on a hub": the System is in the catalog, its Fleet tab shows the hub applications Synced at the created commit',
    async run(ctx) {
      // A hub runs one Pattern: uninstall the seeded one as its operator asks
      const seeded = `${PATTERNS}/namespaces/openshift-operators/patterns/${SEEDED}`;
      const annotated = await hub(seeded, {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          metadata: {
            annotations: {
              'patterns.gitops.hybrid-cloud-patterns.io/prune': 'true',
            },
          },
        }),
      });
      assert.equal(annotated.status, 200);
      assert.equal((await hub(seeded, { method: 'DELETE' })).status, 200);

      await runTemplate(ctx, 'create-pattern', {
        name: 'kiosks',
        description: 'Kiosks in every store',
        owner: 'user:default/guest',
        hubGroup: 'hub',
        clusterGroups: ['store'],
        secrets: false,
        exampleApps: true,
        destination: 'local',
        install: true,
        installHub: 'hub',
      });
      const created = mainOf(ctx, 'kiosks');
      const hubApps = await eventually(
        async () => {
          const apps = (await appsOn(ctx, 'local-cluster')).filter(
            a => a.labels['validatedpatterns.io/pattern'] === 'kiosks',
          );
          return apps.length > 1 &&
            apps.every(a => a.sync === 'Synced' && a.revision === created)
            ? apps
            : undefined;
        },
        60000,
        `the kiosks hub applications Synced at ${created}`,
      );
      const page = ctx.page;
      await open(
        ctx,
        '/catalog/default/system/kiosks/multicloud-gitops?view=matrix',
        () =>
          page
            .locator('section[aria-label^="Applications by cluster"]')
            .waitFor({ timeout: 90000 }),
      );
      for (const a of hubApps)
        await page
          .locator(`button[aria-label^="${a.name} on local-cluster: Synced"]`)
          .waitFor({ timeout: 30000 });
      await open(ctx, '/catalog/default/system/kiosks', () =>
        page
          .locator('[aria-label="Pattern kiosks"]')
          .waitFor({ timeout: 60000 }),
      );
      const row = page.locator('[aria-label="Pattern kiosks"]');
      await row
        .getByText(created.slice(0, 7), { exact: true })
        .waitFor({ timeout: 30000 });
      await row.getByText('Synced').first().waitFor();
      await row.screenshot({ path: SCREENSHOT });
    },
  },
];

/**
 * Starts the portal of this journey, runs its steps in order in a browser and stops it;
 * `report` gets each step's result as e2e/run.js records them.
 */
function runGitopsLoop({ report, log = () => {} } = {}) {
  return runJourney({
    name: 'gitops loop',
    steps,
    report,
    async start(tmp) {
      // long enough to see the cluster Pending import in the browser
      process.env.FLEET_SIMULATOR_IMPORT_DELAY_MS = '12000';
      const file = writeConfig(tmp, {
        simulator: { clusters: 6, groups: 2, patternPoll: '1s' },
        searchPollSeconds: 1,
        spokes: CLUSTERS,
      });
      return {
        backend: await startExampleBackend(PORT, file, log),
        ctx: { repos: path.join(tmp, 'repos') },
      };
    },
  });
}

module.exports = {
  runGitopsLoop,
  writeConfig,
  hubClient,
  startExampleBackend,
  runTemplate,
  onboardTeam,
  push,
  mainOf,
  open,
  HUB_TOKEN,
};

if (require.main === module) runAlone(runGitopsLoop);
