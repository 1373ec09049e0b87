#!/usr/bin/env node
/*
 * Browser and API tests of the example portal on the simulated fleet. Starts the portal
 * (built app served by the backend, fleet simulator in-process), then drives Debian's
 * Chromium with playwright-core. Screenshots go to docs/screenshots/.
 *
 *   node e2e/run.js [--json results.json] [--keep-open]
 *   E2E_ONLY='onboard-cluster form' node e2e/run.js   # only tests whose name matches
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startPortal, guestToken, launchBrowser, root } = require('./portal');
const { portalTests } = require('./tests');
const { startupTests } = require('./startup');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const args = process.argv.slice(2);
// A developer's filter; CI runs everything.
const only = process.env.E2E_ONLY
  ? new RegExp(process.env.E2E_ONLY)
  : undefined;
const selected = t => !only || only.test(t.name);
const jsonOut = args.includes('--json')
  ? args[args.indexOf('--json') + 1]
  : undefined;

async function main() {
  const results = { passed: 0, failed: 0, skipped: 0, tests: [] };
  const write = () =>
    jsonOut && fs.writeFileSync(jsonOut, JSON.stringify(results, null, 2));
  const hasBrowser = fs.existsSync(CHROMIUM);
  if (!hasBrowser) {
    process.stderr.write(
      `Browser tests need Chromium at ${CHROMIUM} (Debian: apt-get install chromium); running the API checks only.\n`,
    );
  }
  const runTest = async (t, ctx) => {
    const t0 = Date.now();
    try {
      await t.run(ctx);
      results.passed++;
      results.tests.push({ name: t.name, ok: true, ms: Date.now() - t0 });
      process.stdout.write(`✓ ${t.name} (${Date.now() - t0} ms)\n`);
    } catch (e) {
      results.failed++;
      results.tests.push({ name: t.name, ok: false, error: String(e.message) });
      process.stdout.write(`✗ ${t.name}: ${e.message}\n`);
      if (ctx?.page) {
        await ctx.page
          .screenshot({
            path: path.join(
              root,
              '.ci-out',
              `failed-${t.name.replace(/\W+/g, '-')}.png`,
            ),
          })
          .catch(() => {});
      }
    }
  };
  // Startup failures first: they need no portal running.
  for (const t of startupTests.filter(selected)) await runTest(t, undefined);
  process.stderr.write(
    'Starting the example portal for the browser tests...\n',
  );
  let portal;
  try {
    portal = await startPortal();
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    results.failed++;
    results.tests.push({
      name: 'portal starts',
      ok: false,
      error: e.message.split('\n')[0],
    });
    write();
    process.exit(1);
  }
  process.stderr.write(
    `Portal ready in ${(portal.startMs / 1000).toFixed(1)} s at ${
      portal.url
    }\n`,
  );

  let browser;
  const ctx = {
    url: portal.url,
    token: await guestToken(portal.url),
    shots: path.join(root, 'docs/screenshots'),
  };
  fs.mkdirSync(ctx.shots, { recursive: true });
  try {
    if (hasBrowser) {
      browser = await launchBrowser();
      ctx.browser = browser;
    }
    for (const t of portalTests.filter(selected)) {
      if (t.browser && !browser) {
        results.skipped++;
        results.tests.push({ name: t.name, skipped: true });
        process.stdout.write(`- ${t.name} (skipped: no Chromium)\n`);
        continue;
      }
      await runTest(t, ctx);
    }
  } finally {
    await browser?.close().catch(() => {});
    await portal.stop();
  }
  const report = r => {
    results[r.ok ? 'passed' : 'failed']++;
    results.tests.push(r);
    process.stdout.write(
      r.ok ? `✓ ${r.name} (${r.ms} ms)\n` : `✗ ${r.name}: ${r.error}\n`,
    );
  };
  // The GitOps loop journey changes repositories and the hub: a portal of its own.
  if (hasBrowser && selected({ name: 'gitops loop' }))
    await require('./gitops-loop').runGitopsLoop({ report });
  // What changed where breaks and heals applications, with owners told within seconds: its own.
  if (hasBrowser && selected({ name: 'what changed where' }))
    await require('./whats-changed').runWhatsChanged({ report });
  process.stdout.write(
    `browser/API tests: ${results.passed} passed, ${results.failed} failed, ${results.skipped} skipped\n`,
  );
  write();
  process.exit(results.failed ? 1 : 0);
}

main().catch(e => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
