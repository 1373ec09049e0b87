/*
 * The portal tests. Each asserts something a newcomer or a user relies on; the browser
 * ones also save the screenshots the README shows.
 */
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');

async function api(ctx, p, init = {}) {
  const res = await fetch(`${ctx.url}${p}`, {
    ...init,
    headers: {
      authorization: `Bearer ${ctx.token}`,
      'content-type': 'application/json',
      ...(init.headers || {}),
    },
  });
  const text = await res.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body, headers: res.headers };
}

async function eventually(fn, timeoutMs = 30000, what = 'condition') {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const r = await fn();
      if (r) return r;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}

async function signIn(ctx) {
  // bypassCSP: the portal's CSP forbids inline scripts, and axe-core is injected as one.
  const page = await ctx.browser.newPage({
    viewport: { width: 1440, height: 900 },
    bypassCSP: true,
  });
  ctx.page = page;
  await page.goto(ctx.url);
  // The new frontend system's sign-in page: pick the guest provider.
  const enter = page.getByRole('button', { name: /enter/i });
  await enter.first().click({ timeout: 60000 });
  await page
    .waitForURL(u => !/sign-in/.test(String(u)), { timeout: 30000 })
    .catch(() => {});
  return page;
}

const portalTests = [
  {
    name: 'backend is ready',
    async run(ctx) {
      const res = await fetch(`${ctx.url}/.backstage/health/v1/readiness`);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).status, 'ok');
    },
  },
  {
    name: 'catalog lists the multicloud-gitops System with its pattern annotation',
    async run(ctx) {
      const { status, body } = await eventually(
        async () => {
          const r = await api(ctx, '/api/catalog/entities?filter=kind=system');
          return r.status === 200 && r.body.length ? r : undefined;
        },
        60000,
        'catalog to ingest examples/',
      );
      assert.equal(status, 200);
      const system = body.find(e => e.metadata.name === 'multicloud-gitops');
      assert.ok(system, 'multicloud-gitops System missing');
      assert.equal(
        system.metadata.annotations['validatedpatterns.io/pattern'],
        'multicloud-gitops',
      );
    },
  },
  {
    name: 'catalog lists the software templates present in plugins/scaffolder-backend-module-multicloud-gitops/templates/',
    async run(ctx) {
      const fs = require('node:fs');
      const expected = fs
        .readdirSync(
          path.join(
            __dirname,
            '../plugins/scaffolder-backend-module-multicloud-gitops/templates',
          ),
          {
            withFileTypes: true,
          },
        )
        .filter(
          d =>
            d.isDirectory() &&
            fs.existsSync(
              path.join(
                __dirname,
                '../plugins/scaffolder-backend-module-multicloud-gitops/templates',
                d.name,
                'template.yaml',
              ),
            ),
        )
        .map(d => d.name)
        .sort();
      const { body } = await eventually(
        async () => {
          const r = await api(
            ctx,
            '/api/catalog/entities?filter=kind=template',
          );
          return r.status === 200 && r.body.length >= expected.length
            ? r
            : undefined;
        },
        60000,
        'templates in the catalog',
      );
      assert.deepEqual(body.map(e => e.metadata.name).sort(), expected);
    },
  },
  {
    name: 'API without a token is refused',
    async run(ctx) {
      const res = await fetch(`${ctx.url}/api/catalog/entities`);
      assert.equal(res.status, 401);
    },
  },
  {
    name: 'the app loads and the guest can sign in',
    browser: true,
    async run(ctx) {
      const page = await signIn(ctx);
      // The catalog lists the guest's components with their system's title.
      await page
        .getByText('Multicloud GitOps')
        .first()
        .waitFor({ timeout: 60000 });
      await page.screenshot({ path: path.join(ctx.shots, 'catalog.png') });
    },
  },
  {
    name: "the pattern's System page shows the fleet card next to the standard About card",
    browser: true,
    async run(ctx) {
      const page = ctx.page ?? (await signIn(ctx));
      await page.goto(`${ctx.url}/catalog/default/system/multicloud-gitops`);
      await page
        .getByText('About', { exact: true })
        .first()
        .waitFor({ timeout: 60000 });
      // Our card: the hub and the state of each source.
      await page
        .getByText(/ACM hub API/)
        .first()
        .waitFor({ timeout: 60000 });
      const errors = await page
        .getByText(/Error in catalog|App context is not available/)
        .count();
      assert.equal(errors, 0, 'a card on the System page failed to render');
      await page.screenshot({ path: path.join(ctx.shots, 'system-page.png') });
    },
  },
];

portalTests.push({
  name: 'Create lists the Multicloud GitOps templates',
  browser: true,
  async run(ctx) {
    const page = ctx.page ?? (await signIn(ctx));
    await page.goto(`${ctx.url}/create`);
    for (const title of [
      'Create a Validated Pattern (Multicloud GitOps)',
      'Onboard a cluster to a Validated Pattern',
      'Deploy an application to a cluster group',
    ]) {
      await page.getByText(title).first().waitFor({ timeout: 60000 });
    }
    await page.screenshot({ path: path.join(ctx.shots, 'create.png') });
  },
});

portalTests.push({
  name: "the onboard-cluster form offers the pattern's cluster groups and explains the naming rule",
  browser: true,
  async run(ctx) {
    const page = ctx.page ?? (await signIn(ctx));
    // The pattern comes prefilled, as a link from the pattern's page would give it.
    const formData = encodeURIComponent(
      JSON.stringify({
        pattern: 'system:default/multicloud-gitops',
        repository: 'local',
      }),
    );
    await page.goto(
      `${ctx.url}/create/templates/default/onboard-cluster?formData=${formData}`,
    );
    await page.getByRole('button', { name: 'Next' }).click({ timeout: 60000 });
    const field = page.getByRole('textbox', { name: /Cluster group/ });
    await field.click({ timeout: 30000 });
    // The simulated fleet's groups, from the live topology (not the hub's own group).
    const listbox = page.getByRole('listbox');
    await listbox.getByText('group-one').waitFor({ timeout: 30000 });
    const options = await listbox.getByRole('option').allTextContents();
    assert.ok(
      options.some(o => /^group-one · \d+ cluster\(s\)$/.test(o)),
      `options: ${options.join(' | ')}`,
    );
    assert.ok(!options.some(o => o.startsWith('hub')), 'no hub group');
    await field.fill('edge-far-away-x');
    await page
      .getByText(
        'len(pattern "multicloud-gitops") + 2*len(group "edge-far-away-x") = 47, must be below 47',
        { exact: false },
      )
      .waitFor({ timeout: 10000 });
    await page.screenshot({
      path: path.join(ctx.shots, 'onboard-cluster-group.png'),
    });
    await field.fill('edge');
    await page
      .getByText("New group: added to the hub's managedClusterGroups")
      .waitFor({ timeout: 10000 });
  },
});

const { clusterTests } = require('./clusters');
portalTests.push(...clusterTests({ api, eventually, signIn }));

// The frontend plugin's browser tests (Fleet card, tab, filters, drawer, sync, matrix, axe)
// run on the same portal; their screenshots belong to the plugin's README.
const pluginShots = path.join(
  __dirname,
  '../plugins/multicloud-gitops/docs/screenshots',
);
const { fleetTabTests } = require('../plugins/multicloud-gitops/e2e/fleetTab');
for (const t of fleetTabTests) {
  portalTests.push({
    ...t,
    browser: true,
    async run(ctx) {
      const own = { ...ctx, shots: pluginShots };
      try {
        await t.run(own);
      } finally {
        ctx.page = own.page;
      }
    },
  });
}

module.exports = { portalTests, api, eventually, signIn };
