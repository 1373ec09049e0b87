#!/usr/bin/env node
/*
 * What changed where, and who must act, on the example portal in a browser. Runs on a portal
 * of its own (ports 7087/7088, local repositories in a temp folder) whose owners are told
 * within seconds, so it can break and heal applications and push to the pattern repository:
 *
 * - owners told: an application of the guest's team stays Degraded; the notification is on
 *   the notifications page and links to the entity's Fleet tab; once healed, the same
 *   notification becomes the resolution notice;
 * - what runs where: after a commit that releases hello-world by hand on group-one, an owner
 *   opens a spoke in the System's Fleet tab and sees which commit runs on how many clusters,
 *   the sync history with commit authors and messages, and the diff of live against git per
 *   resource; the owner rolls back to an earlier commit, sees the operation and then that
 *   commit running there; a non-owner (hello-world's own tab) has no Rollback.
 *
 * Spokes of group-one have Argo CD instances of their own in the portal (their history has
 * authors and messages, their diff resources); waits are for the portal's state, read from
 * its API or the page, never fixed sleeps. Screenshots go to docs/screenshots/.
 *
 *   node e2e/whats-changed.js          # alone
 *   node e2e/run.js                    # with the other portal tests
 */
'use strict';
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { runJourney, runAlone, root } = require('./portal');
const { api, eventually } = require('./tests');
const {
  writeConfig,
  hubClient,
  startExampleBackend,
  push,
  mainOf,
  open,
} = require('./gitops-loop');

const PORT = 7087;
const PATTERN = 'multicloud-gitops';
const SYSTEM_TAB = `/catalog/default/system/${PATTERN}/multicloud-gitops`;
const SHOTS = path.join(root, 'docs/screenshots');
const hub = hubClient(PORT);
const short = revision => revision.slice(0, 7);

/** The fleet the simulator generates for these options (the same seed, the same names). */
const FLEET = { clusters: 6, groups: 2, appsPerCluster: 4, seed: 42 };

/** The available spokes of group-one, named as the simulator names them. */
function groupOneSpokes() {
  // The simulator's own model, so the portal's config can name the spokes before it starts.
  require('@backstage/cli/config/nodeTransform.cjs');
  const {
    buildModel,
  } = require('../packages/fleet-simulator/src/fleet/generate');
  return buildModel({ ...FLEET, pattern: PATTERN })
    .clusters.filter(c => c.group === 'group-one' && c.state === 'available')
    .map(c => c.name);
}

/** Owners told within seconds; OutOfSync alone never within the run. */
const NOTIFICATIONS = {
  enabled: true,
  degradedAfter: '2s',
  outOfSyncAfter: '1h',
  clusterUnavailableAfter: '1h',
  resolvedAfter: '2s',
  entityRefresh: '2s',
};

/** The guest's notifications of one incident scope (the open notice, then its resolution). */
async function notificationsOf(ctx, scope) {
  const r = await api(ctx, '/api/notifications/notifications?limit=100');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.notifications.filter(n => n.payload.scope === scope);
}

async function setApp(cluster, app, state) {
  const r = await hub('/_simulator/mutate', {
    method: 'POST',
    body: JSON.stringify({ op: 'app-state', cluster, app, ...state }),
  });
  assert.equal(r.status, 200, JSON.stringify(r.body));
}

/** The application as the portal's backend has it on a cluster. */
async function appOn(ctx, cluster, name) {
  const r = await api(
    ctx,
    `/api/multicloud-gitops/v1/hubs/hub/clusters/${cluster}`,
  );
  return r.status === 200
    ? r.body.applications.find(a => a.name === name)
    : undefined;
}

/**
 * Pushes `lines` into hello-world's entry in group-one's values file (with `files`), as a
 * user's commit, and waits until each spoke of the group reports hello-world `sync` at it.
 */
async function changeHelloWorld(ctx, lines, files, message, sync) {
  const file = 'values-group-one.yaml';
  const values = execFileSync(
    'git',
    [
      '--git-dir',
      path.join(ctx.repos, `${PATTERN}.git`),
      'show',
      `main:${file}`,
    ],
    { encoding: 'utf8' },
  );
  const changed = values.replace(
    /^( {6}path: charts\/all\/hello-world)$/m,
    `$1\n${lines}`,
  );
  assert.notEqual(changed, values, `no hello-world in ${file}`);
  const commit = push(ctx, PATTERN, { ...files, [file]: changed }, message);
  for (const s of ctx.spokes)
    await eventually(
      async () => {
        const a = await appOn(ctx, s, 'hello-world');
        // Synced: it runs the commit. OutOfSync: Argo CD compared with the commit, and
        // the application still runs the one before.
        return (
          a?.sync === sync &&
          (sync === 'Synced') === (a.revision === commit) &&
          a.instance === `${s}-gitops`
        );
      },
      60000,
      `hello-world ${sync} with ${commit} on ${s}`,
    );
  return commit;
}

/**
 * hello-world under "What runs where" in the drawer of the first group-one spoke, in an
 * entity's Fleet tab (the System's by default): its spread, history and diff.
 */
async function openHelloWorld(ctx, tab = SYSTEM_TAB) {
  const page = ctx.page;
  const drawer = page.getByRole('dialog', { name: `Cluster ${ctx.spokes[0]}` });
  await open(ctx, `${tab}?cluster=${ctx.spokes[0]}`, () =>
    drawer
      .getByRole('heading', { name: /^Applications \(\d+\)/ })
      .waitFor({ timeout: 60000 }),
  );
  const panel = drawer.locator('section[aria-label="What runs where"]');
  await panel.getByRole('button', { name: 'Choose an application' }).click();
  await page.getByRole('option', { name: 'hello-world', exact: true }).click();
  return {
    panel,
    spread: panel.getByRole('region', { name: 'Revisions of hello-world' }),
    history: panel.getByRole('table', { name: 'Sync history of hello-world' }),
    diff: panel.getByRole('region', { name: 'Diff of hello-world' }),
  };
}

const VAULT = {
  scope: 'multicloud-gitops:component:default/vault:applications',
  open: 'HashiCorp Vault: 1 application Degraded or OutOfSync',
  resolved: 'Resolved: HashiCorp Vault: applications Healthy and Synced again',
  link: '/catalog/default/component/vault/multicloud-gitops',
};

const steps = [
  {
    name: 'an owner is told when an application of theirs stays Degraded, the notice links to its Fleet tab, and turns into a resolution notice once healed',
    async run(ctx) {
      const page = ctx.page;
      // vault runs on the hub and is owned by platform-team, the guest's team
      await eventually(
        async () =>
          (await appOn(ctx, 'local-cluster', 'vault'))?.health === 'Healthy',
        60000,
        'vault Healthy on the hub',
      );
      assert.ok(
        (await notificationsOf(ctx, VAULT.scope)).every(
          n => n.payload.title !== VAULT.open,
        ),
        'vault has no open incident yet',
      );
      await setApp('local-cluster', 'vault', { health: 'Degraded' });
      const [notice] = await eventually(
        async () => {
          const n = await notificationsOf(ctx, VAULT.scope);
          return n.some(x => x.payload.title === VAULT.open) && n;
        },
        60000,
        "the vault owners' notification",
      );
      assert.equal(notice.payload.title, VAULT.open);
      assert.equal(notice.payload.link, VAULT.link);
      assert.equal(notice.payload.severity, 'high');
      assert.match(
        notice.payload.description,
        /^Degraded for over 2 s .*\n- vault on local-cluster \(hub hub\): Degraded$/,
      );

      await open(ctx, '/notifications', () =>
        page
          .getByRole('link', { name: VAULT.open })
          .waitFor({ timeout: 60000 }),
      );
      await page.screenshot({ path: path.join(SHOTS, 'notification.png') });
      await page.getByRole('link', { name: VAULT.open }).click();
      await page.waitForURL(u => u.pathname === VAULT.link, {
        timeout: 30000,
      });
      await page
        .getByTestId('cluster-row-local-cluster')
        .getByText('Degraded')
        .first()
        .waitFor({ timeout: 60000 });

      await setApp('local-cluster', 'vault', { health: 'Healthy' });
      const resolved = await eventually(
        async () => {
          const n = await notificationsOf(ctx, VAULT.scope);
          return n.some(x => x.payload.title === VAULT.resolved) && n;
        },
        60000,
        'the resolution notice',
      );
      // the resolution replaces the notice: one notification per incident
      assert.equal(resolved.length, 1);
      assert.equal(resolved[0].id, notice.id);
      assert.equal(resolved[0].payload.severity, 'low');
      assert.equal(resolved[0].read, null, 'the resolution is unread again');
      await open(ctx, '/notifications', () =>
        page
          .getByRole('link', { name: VAULT.resolved })
          .waitFor({ timeout: 60000 }),
      );
    },
  },
  {
    name: 'what runs where: after a commit that releases hello-world by hand on group-one, an owner sees which commit runs on how many clusters, the history with authors and messages, and the diff per resource',
    async run(ctx) {
      const { spokes } = ctx;
      ctx.seeded = mainOf(ctx, PATTERN);
      // A change group-one's clusters sync on their own, then auto-sync off for hello-world
      // there: the next commit is only compared, and Argo CD takes a rollback.
      const released = await changeHelloWorld(
        ctx,
        '      extraValueFiles:\n        - /values-hello-world.yaml',
        { 'values-hello-world.yaml': 'replicaCount: 2\n' },
        'hello-world: two replicas on group-one',
        'Synced',
      );
      const pushed = await changeHelloWorld(
        ctx,
        '      syncPolicy: Manual',
        {},
        'hello-world: release by hand on group-one',
        'OutOfSync',
      );

      // The pushed commit is only compared (OutOfSync): the spokes still run the released
      // one, and the spread says what runs.
      const { spread, history, diff } = await openHelloWorld(ctx);
      const ahead = spread.getByTestId(`spread-${released}`);
      await ahead.waitFor({ timeout: 30000 });
      assert.equal(
        await ahead.textContent(),
        `${short(released)} on ${spokes.length} clusters (newest): ${[...spokes]
          .sort()
          .join(', ')}`,
      );
      assert.equal(await spread.getByTestId(`spread-${pushed}`).count(), 0);
      assert.match(
        await spread.getByTestId(`spread-${ctx.seeded}`).textContent(),
        new RegExp(`^${short(ctx.seeded)} on \\d+ clusters?: .*local-cluster`),
      );
      await spread
        .getByText(new RegExp(`^Behind ${short(released)}: .*local-cluster`))
        .waitFor({ timeout: 30000 });
      await spread
        .locator('..')
        .screenshot({ path: path.join(SHOTS, 'spread.png') });

      // authors and messages of the commits, read through the spoke's own Argo CD
      const rows = history.locator('tbody tr');
      await rows
        .first()
        .getByText(`${short(released)} (running)`)
        .waitFor({ timeout: 30000 });
      assert.match(
        await rows.first().textContent(),
        /e2e <e2e@example\.com>hello-world: two replicas on group-one/,
      );
      assert.match(
        await rows.nth(1).textContent(),
        new RegExp(
          `^${short(
            ctx.seeded,
          )}Fleet simulator <fleet-simulator@example\\.com>The multicloud-gitops pattern the simulated fleet runs`,
        ),
      );

      await diff.waitFor({ timeout: 30000 });
      assert.match(
        await diff.textContent(),
        /[1-9]\d* of \d+ resources differ/,
      );
      await diff
        .getByRole('button', { name: /^Diff of / })
        .first()
        .click();
      const text = diff.locator('pre').first();
      await text.waitFor({ timeout: 10000 });
      assert.match(await text.innerText(), /^--- desired\n\+\+\+ live\n@@ /);
      await diff
        .locator('..')
        .screenshot({ path: path.join(SHOTS, 'diff.png') });
    },
  },
  {
    name: 'what runs where: an owner rolls back hello-world on a spoke to an earlier revision and sees the operation and the history',
    async run(ctx) {
      const page = ctx.page;
      const [spoke] = ctx.spokes;
      const appPath = `/api/multicloud-gitops/v1/hubs/hub/clusters/${spoke}/applications/hello-world`;
      const { entries } = (await api(ctx, `${appPath}/history`)).body;
      // the seeded commit, before the two replicas
      const earlier = entries.find(
        e => !e.current && e.revision === ctx.seeded,
      );
      assert.ok(earlier, 'an earlier revision in the history');
      const { history, spread } = await openHelloWorld(ctx);
      await history
        .getByRole('button', {
          name: `Roll back hello-world to ${short(earlier.revision)}`,
        })
        .click({ timeout: 30000 });
      const confirm = page.getByRole('dialog', {
        name: `Roll back hello-world on ${spoke} to ${short(
          earlier.revision,
        )}?`,
      });
      await confirm
        .getByRole('button', { name: 'Rollback', exact: true })
        .click();
      const status = confirm.getByRole('status');
      await status.waitFor({ timeout: 30000 });
      assert.equal(
        await status.textContent(),
        `Rollback of hello-world to history entry ${earlier.id} started`,
      );
      await confirm.getByRole('button', { name: 'Close' }).click();

      // the operation ends with the earlier commit running there
      await eventually(
        async () => {
          const h = (await api(ctx, `${appPath}/history`)).body;
          return (
            h.entries[0]?.current && h.entries[0].revision === earlier.revision
          );
        },
        60000,
        `hello-world at ${short(earlier.revision)} on ${spoke}`,
      );
      await openHelloWorld(ctx);
      const now = history.locator('tbody tr').first();
      await now
        .getByText(`${short(earlier.revision)} (running)`)
        .waitFor({ timeout: 30000 });
      assert.equal(
        await now.getByRole('cell').nth(2).textContent(),
        earlier.commit.message,
      );
      // the spread has it on the earlier commit
      await spread
        .getByTestId(`spread-${ctx.seeded}`)
        .getByText(new RegExp(`: .*${spoke}`))
        .waitFor({ timeout: 30000 });
      await history
        .locator('..')
        .screenshot({ path: path.join(SHOTS, 'history.png') });
    },
  },
  {
    name: 'what runs where: a non-owner sees the history without Rollback',
    async run(ctx) {
      // hello-world is owned by app-team; the guest is in platform-team
      const { panel, history } = await openHelloWorld(
        ctx,
        '/catalog/default/component/hello-world/multicloud-gitops',
      );
      await history.locator('tbody tr').nth(1).waitFor({ timeout: 30000 });
      assert.equal(
        await panel.getByRole('button', { name: /^Roll back / }).count(),
        0,
        'a non-owner must not see Rollback',
      );
    },
  },
];

/**
 * Starts the backend of this journey (without a file watcher, so edits elsewhere do not
 * restart it), runs its steps in order in a browser and stops it; `report` gets each step's
 * result as e2e/run.js records them.
 */
function runWhatsChanged({ report, log = () => {} } = {}) {
  return runJourney({
    name: 'what changed where',
    steps,
    report,
    async start(tmp) {
      const spokes = groupOneSpokes();
      const file = writeConfig(tmp, {
        port: PORT,
        simulator: {
          clusters: FLEET.clusters,
          groups: FLEET.groups,
          appsPerCluster: FLEET.appsPerCluster,
          seed: FLEET.seed,
          patternPoll: '1s',
        },
        searchPollSeconds: 1,
        spokes,
      });
      // owners told within seconds, in the same config file
      const config = JSON.parse(fs.readFileSync(file, 'utf8'));
      config.multicloudGitops.notifications = NOTIFICATIONS;
      fs.writeFileSync(file, JSON.stringify(config, null, 2));
      return {
        backend: await startExampleBackend(PORT, file, log),
        ctx: { repos: path.join(tmp, 'repos'), spokes },
      };
    },
  });
}

module.exports = { runWhatsChanged };

if (require.main === module) runAlone(runWhatsChanged);
