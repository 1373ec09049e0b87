/*
 * Browser tests of the Fleet tab on the example portal (new frontend system, simulated
 * fleet). Same shape as e2e/tests.js `portalTests` ({ name, browser, run(ctx) }), so the
 * portal runner can append them:
 *
 *   const { fleetTabTests } = require('../plugins/multicloud-gitops/e2e/fleetTab');
 *
 * `ctx` carries { url, browser, shots } and, after the first test, `page`.
 */
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

const SYSTEM_PATH = '/catalog/default/system/multicloud-gitops';
const TAB_PATH = `${SYSTEM_PATH}/multicloud-gitops`;

async function signIn(page) {
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.first().click({ timeout: 60000 });
  await page
    .waitForURL(u => !/sign-in/.test(String(u)), { timeout: 30000 })
    .catch(() => {});
}

async function signedInPage(ctx) {
  if (ctx.page) return ctx.page;
  // bypassCSP: the portal's CSP forbids inline scripts, and axe-core is injected as one.
  const page = await ctx.browser.newPage({
    viewport: { width: 1440, height: 900 },
    bypassCSP: true,
  });
  ctx.page = page;
  await page.goto(ctx.url);
  await signIn(page);
  return page;
}

/**
 * Loads a portal URL. A full page load may land on the sign-in page again (the guest
 * session is per tab); if so, enter as guest and continue to the same place.
 */
async function open(page, url, ready) {
  await page.goto(url);
  const enter = page.getByRole('button', { name: /enter/i }).first();
  const first = await Promise.race([
    ready().then(() => 'ready'),
    enter.waitFor({ timeout: 60000 }).then(() => 'sign-in'),
  ]);
  if (first === 'sign-in') {
    await signIn(page);
    if (new URL(page.url()).pathname !== new URL(url).pathname)
      await page.goto(url);
    await ready();
  }
}

/** Runs axe-core in the page and returns serious and critical violations. */
async function axeViolations(page, selector) {
  await page.addScriptTag({ path: require.resolve('axe-core') });
  return page.evaluate(async sel => {
    const result = await window.axe.run(
      sel ? document.querySelector(sel) : document,
      { resultTypes: ['violations'] },
    );
    return result.violations
      .filter(v => v.impact === 'serious' || v.impact === 'critical')
      .map(v => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.slice(0, 10).map(n => {
          const data = n.any.find(c => c.data)?.data;
          const colours = data?.contrastRatio
            ? ` (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})`
            : '';
          return `${n.target.join(' ')}${colours}`;
        }),
      }));
  }, selector);
}

/**
 * The simulator next to the portal: both e2e configs put it on the portal's port + 1, with
 * the simulator's default full-rights token.
 */
async function simulatorMutate(ctx, body) {
  const port = Number(new URL(ctx.url).port) + 1;
  const res = await fetch(`http://127.0.0.1:${port}/_simulator/mutate`, {
    method: 'POST',
    headers: {
      authorization: 'Bearer fleet-simulator-token',
      'content-type': 'application/json',
    },
    body: JSON.stringify(body),
  });
  if (!res.ok)
    throw new Error(
      `simulator mutate ${JSON.stringify(body)}: HTTP ${
        res.status
      } ${await res.text()}`,
    );
}

const fleetTabTests = [
  {
    name: 'the pattern System shows the Fleet card on its overview',
    browser: true,
    async run(ctx) {
      const page = await signedInPage(ctx);
      await open(page, `${ctx.url}${SYSTEM_PATH}`, () =>
        page
          .getByText(/Hub .* · pattern multicloud-gitops/)
          .first()
          .waitFor({ timeout: 60000 }),
      );
      await page.getByLabel('Clusters by status').waitFor();
      await page.screenshot({
        path: path.join(ctx.shots, 'fleet-card.png'),
        fullPage: true,
      });
      // The worst problem links into the tab with that cluster's drawer open.
      const problem = page
        .getByRole('list', { name: 'Problems, worst first' })
        .getByRole('link')
        .first();
      if (await problem.count()) {
        const href = await problem.getAttribute('href');
        assert.match(href, new RegExp(`^${TAB_PATH}\\?cluster=`));
        await problem.click();
        await page
          .getByRole('dialog', { name: /^Cluster / })
          .waitFor({ timeout: 20000 });
        await page
          .getByRole('dialog', { name: /^Cluster / })
          .getByRole('button', { name: 'Close cluster details' })
          .click();
      }
    },
  },
  {
    name: 'the Fleet tab renders the fleet topology',
    browser: true,
    async run(ctx) {
      const page = await signedInPage(ctx);
      await open(page, `${ctx.url}${TAB_PATH}`, () =>
        page
          .locator('section[aria-label^="Hub "]')
          .first()
          .waitFor({ timeout: 60000 }),
      );
      const groups = await page.locator('[data-testid^="group-"]').count();
      assert.ok(groups >= 2, `expected cluster groups, found ${groups}`);
      const rows = await page.locator('[data-testid^="cluster-row-"]').count();
      assert.ok(rows > 0, 'no cluster rows rendered');
      await page.getByText(/^Showing \d+ of \d+ clusters/).waitFor();
      await page.screenshot({
        path: path.join(ctx.shots, 'fleet-topology.png'),
        fullPage: true,
      });
    },
  },
  {
    name: 'filtering to one group narrows the view and is kept in the URL',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      const groupIds = await page
        .locator('[data-testid^="group-"]')
        .evaluateAll(els =>
          els.map(e => e.getAttribute('data-testid').slice('group-'.length)),
        );
      const target = groupIds.find(g => g !== 'hub') ?? groupIds[0];
      await page.getByRole('button', { name: /^Group: / }).click();
      await page.getByRole('option', { name: target, exact: true }).click();
      await page.keyboard.press('Escape');
      await page.getByRole('listbox').waitFor({ state: 'hidden' });
      await page.waitForURL(
        u => new URL(String(u)).searchParams.getAll('group').includes(target),
        { timeout: 10000 },
      );
      await page.locator(`[data-testid="group-${target}"]`).waitFor();
      const visible = await page.locator('[data-testid^="group-"]').count();
      assert.equal(
        visible,
        1,
        `expected only group ${target}, found ${visible} groups`,
      );
      await page.screenshot({
        path: path.join(ctx.shots, 'fleet-filtered.png'),
        fullPage: true,
      });
    },
  },
  {
    name: 'a cluster drawer opens with conditions, nodes, policies and links',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      await page
        .getByRole('button', { name: /^Open details of cluster / })
        .first()
        .click();
      const drawer = page.getByRole('dialog', { name: /^Cluster / });
      await drawer
        .getByRole('heading', { name: 'Conditions' })
        .waitFor({ timeout: 20000 });
      await drawer.getByRole('heading', { name: /^Nodes/ }).waitFor();
      await drawer.getByRole('heading', { name: /^Policies/ }).waitFor();
      assert.ok(
        new URL(page.url()).searchParams.get('cluster'),
        'cluster not in the URL',
      );
      // Once it has slid in, the drawer sits inside the window and its tables fit it:
      // nothing is cut off on the right (long condition reasons, the Actions column).
      await page.waitForFunction(() => {
        const d = document.querySelector(
          '[aria-labelledby="mcg-drawer-title"]',
        );
        return d && getComputedStyle(d).transform === 'none';
      });
      const fit = await drawer.evaluate(d => ({
        right: d.getBoundingClientRect().right,
        scrollWidth: d.scrollWidth,
        clientWidth: d.clientWidth,
      }));
      assert.ok(fit.right <= 1440, `drawer ends at ${fit.right}px`);
      assert.ok(
        fit.scrollWidth <= fit.clientWidth,
        `drawer content is ${fit.scrollWidth}px wide in ${fit.clientWidth}px`,
      );
      await page.screenshot({ path: path.join(ctx.shots, 'fleet-drawer.png') });
      await drawer
        .getByRole('button', { name: 'Close cluster details' })
        .click();
    },
  },
  {
    name: 'an owner syncs a hub application from the drawer and sees the operation',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      // The guest belongs to platform-team, which owns the pattern's System, so the example
      // permission policy allows the sync; hub applications have a configured Argo CD.
      await page
        .getByRole('button', { name: 'Clear filters' })
        .click()
        .catch(() => {});
      await page
        .getByRole('button', { name: /^Open details of cluster local-cluster/ })
        .click();
      const drawer = page.getByRole('dialog', {
        name: /^Cluster local-cluster/,
      });
      const sync = drawer
        .getByRole('button', { name: /^Sync .* on local-cluster$/ })
        .first();
      await sync.waitFor({ timeout: 20000 });
      const label = await sync.getAttribute('aria-label');
      await sync.click();
      const confirm = page.getByRole('dialog', { name: `${label}?` });
      await confirm.getByRole('button', { name: 'Sync', exact: true }).click();
      await confirm.getByRole('status').waitFor({ timeout: 20000 });
      await page.screenshot({ path: path.join(ctx.shots, 'fleet-sync.png') });
      await confirm
        .getByRole('button', { name: 'Close' })
        .click({ timeout: 60000 });
      await drawer
        .getByRole('button', { name: 'Close cluster details' })
        .click();
    },
  },
  {
    name: 'the application x cluster matrix renders',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      await page.getByRole('tab', { name: 'Application matrix' }).click();
      await page
        .locator('section[aria-label^="Applications by cluster"]')
        .waitFor({ timeout: 20000 });
      const cells = await page
        .locator(
          'section[aria-label^="Applications by cluster"] button[aria-label*=" on "]',
        )
        .count();
      assert.ok(cells > 0, 'no matrix cells');
      await page.screenshot({
        path: path.join(ctx.shots, 'fleet-matrix.png'),
        fullPage: true,
      });
    },
  },
  {
    name: "a Component's tab narrows to its application, and a non-owner gets no Sync",
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      // hello-world (argocd/app-name: hello-world) is owned by app-team; the guest is in
      // platform-team, so the example policy denies the sync on this entity.
      await open(
        page,
        `${ctx.url}/catalog/default/component/hello-world/multicloud-gitops?view=matrix`,
        () =>
          page
            .locator(
              'section[aria-label^="Applications by cluster: 1 application on"]',
            )
            .waitFor({ timeout: 60000 }),
      );
      // Prefer the hub's copy: it has a configured Argo CD instance, so an allowed user
      // would see Sync there and the absence of the button means the denial worked.
      const cells = page.locator('button[aria-label^="hello-world on "]');
      const hub = page.locator(
        'button[aria-label^="hello-world on local-cluster"]',
      );
      await ((await hub.count()) ? hub : cells).first().click();
      const drawer = page.getByRole('dialog', { name: /^Cluster / });
      await drawer
        .getByTestId('drawer-app-hello-world')
        .waitFor({ timeout: 20000 });
      await drawer
        .getByRole('heading', { name: 'Conditions' })
        .waitFor({ timeout: 20000 });
      const syncButtons = await drawer
        .getByRole('button', { name: /^Sync / })
        .count();
      assert.equal(syncButtons, 0, 'a non-owner must not see Sync');
      await drawer
        .getByRole('button', { name: 'Close cluster details' })
        .click();
    },
  },
  {
    name: 'the Fleet page in the sidebar shows every hub, its groups and the clusters page by page',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      await page
        .getByRole('link', { name: 'Fleet', exact: true })
        .first()
        .click();
      await page.waitForURL(
        u => new URL(String(u)).pathname === '/multicloud-gitops',
      );
      // Every hub with its pattern and groups, then the clusters page by page.
      const hub = page.locator('section[aria-label^="Hub "]').first();
      await hub
        .getByText(
          /^Pattern multicloud-gitops · \d+ clusters · \d+ applications/,
        )
        .waitFor({ timeout: 30000 });
      await page
        .getByText(/^Showing \d+ of \d+ clusters/)
        .waitFor({ timeout: 30000 });
      await page
        .locator('[data-testid="cluster-row-local-cluster"]')
        .waitFor({ timeout: 30000 });
      await page.screenshot({ path: path.join(ctx.shots, 'fleet-page.png') });
      // A group from the overview narrows the rows, and the URL keeps it.
      const group = page.locator('[data-testid^="group-group-"]').first();
      const groupName = (await group.getAttribute('data-testid')).slice(
        'group-'.length,
      );
      await group.click();
      await page.waitForURL(
        u => new URL(String(u)).searchParams.get('group') === groupName,
      );
      await page
        .locator('[data-testid="cluster-row-local-cluster"]')
        .waitFor({ state: 'detached', timeout: 30000 });
      await group.click();
      await page
        .locator('[data-testid="cluster-row-local-cluster"]')
        .waitFor({ timeout: 30000 });
      // The matrix loads its cells by windows.
      await page.getByRole('tab', { name: 'Application matrix' }).click();
      await page
        .locator(
          'section[aria-label^="Applications by cluster"] button[aria-label*=" on "]',
        )
        .first()
        .waitFor({ timeout: 30000 });
      await page.getByRole('tab', { name: 'Clusters' }).click();
      // A deep link opens the hub cluster's drawer with its applications. The guest is in
      // the team owning the pattern's System: Sync is offered here too, checked against
      // that System (found in the catalog by the hub's pattern), also right after the
      // sync of an earlier test.
      await page.goto(
        `${ctx.url}/multicloud-gitops?hub=hub&cluster=local-cluster`,
      );
      const drawer = page.getByRole('dialog', {
        name: 'Cluster local-cluster',
      });
      await drawer
        .getByRole('heading', { name: /^Applications \(\d+\)/ })
        .waitFor({ timeout: 30000 });
      await drawer
        .getByRole('button', { name: /^Sync .* on local-cluster$/ })
        .first()
        .waitFor({ timeout: 30000 });
      await drawer
        .getByRole('button', { name: 'Close cluster details' })
        .click();
    },
  },
  {
    name: 'a cluster losing its lease turns Unavailable in the open tab within 3 s, without reload',
    browser: true,
    async run(ctx) {
      const page = await signedInPage(ctx);
      await open(page, `${ctx.url}${TAB_PATH}`, () =>
        page
          .locator('[data-testid^="cluster-row-"]')
          .first()
          .waitFor({ timeout: 60000 }),
      );
      // A spoke shown as available, other than the one the sync test uses.
      const ids = await page
        .locator('[data-testid^="cluster-row-"]')
        .evaluateAll(rows =>
          rows
            .filter(r => /Available/.test(r.textContent ?? ''))
            .map(r => r.getAttribute('data-testid')),
        );
      const id = ids.find(
        x =>
          x !== 'cluster-row-local-cluster' &&
          x !== 'cluster-row-aws-us-east-1-01',
      );
      assert.ok(id, `no available spoke among ${ids.join(', ')}`);
      const cluster = id.replace('cluster-row-', '');
      const row = page.getByTestId(id);
      await row
        .getByText('Available', { exact: true })
        .waitFor({ timeout: 5000 });
      // Marks the document: a reload would drop the mark.
      await page.evaluate(() => {
        window.__noReload = true;
      });
      const t0 = Date.now();
      await simulatorMutate(ctx, { op: 'cluster-unavailable', cluster });
      try {
        await row.getByText('Unavailable').waitFor({ timeout: 3000 });
        const ms = Date.now() - t0;
        assert.equal(
          await page.evaluate(() => window.__noReload === true),
          true,
          'the page reloaded',
        );
        process.stdout.write(`  ${cluster} shown Unavailable after ${ms} ms\n`);
      } finally {
        await simulatorMutate(ctx, { op: 'cluster-available', cluster });
      }
      await row
        .getByText('Available', { exact: true })
        .waitFor({ timeout: 5000 });
    },
  },
  {
    name: 'the Fleet tab has no serious accessibility violations (axe)',
    browser: true,
    async run(ctx) {
      const page = ctx.page;
      for (const view of ['topology', 'matrix']) {
        await open(
          page,
          `${ctx.url}${TAB_PATH}${view === 'matrix' ? '?view=matrix' : ''}`,
          () =>
            page
              .getByText(/^Showing \d+ of \d+ clusters/)
              .waitFor({ timeout: 60000 }),
        );
        const violations = await axeViolations(page, 'main');
        assert.deepEqual(
          violations,
          [],
          `${view}: ${JSON.stringify(violations, null, 1)}`,
        );
      }
    },
  },
];

module.exports = {
  fleetTabTests,
  signedInPage,
  open,
  axeViolations,
  TAB_PATH,
  SYSTEM_PATH,
};
