#!/usr/bin/env node
/*
 * Runs the Fleet tab browser tests on their own: starts the example portal on the
 * simulated fleet (e2e/portal.js), drives Debian's Chromium, saves screenshots to
 * docs/screenshots/.
 *
 *   node plugins/multicloud-gitops/e2e/run.js [--port 7057] [--url http://localhost:7007]
 *
 * With --url the tests run against a portal that is already up (nothing is started).
 */
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startPortal, root } = require('../../../e2e/portal');
const { fleetTabTests } = require('./fleetTab');
const { portOverride } = require('./ports');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function main() {
  const args = process.argv.slice(2);
  const existing = args.includes('--url')
    ? args[args.indexOf('--url') + 1]
    : undefined;
  const port = Number(
    args.includes('--port') ? args[args.indexOf('--port') + 1] : 7057,
  );
  const override = existing ? undefined : portOverride(port);
  const portal = existing
    ? { url: existing, stop: async () => {} }
    : await startPortal({
        configs: [path.join(root, 'e2e/app-config.e2e.yaml'), override.file],
        port,
      });
  if (!existing) {
    process.stderr.write(
      `Portal ready in ${(portal.startMs / 1000).toFixed(1)} s at ${
        portal.url
      }\n`,
    );
  }
  const { chromium } = require('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  const ctx = {
    url: portal.url,
    browser,
    shots: process.env.SHOTS_DIR || path.join(root, 'docs/screenshots'),
  };
  fs.mkdirSync(ctx.shots, { recursive: true });
  let failed = 0;
  try {
    for (const t of fleetTabTests) {
      const t0 = Date.now();
      try {
        await t.run(ctx);
        process.stdout.write(`✓ ${t.name} (${Date.now() - t0} ms)\n`);
      } catch (e) {
        failed++;
        process.stdout.write(`✗ ${t.name}: ${e.message}\n`);
        await ctx.page
          ?.screenshot({
            path: path.join(
              process.env.SHOTS_DIR || path.join(root, '.ci-out'),
              `failed-${t.name.replace(/\W+/g, '-')}.png`,
            ),
          })
          .catch(() => {});
      }
    }
  } finally {
    await browser.close().catch(() => {});
    if (args.includes('--keep')) {
      process.stdout.write(`portal left running at ${portal.url}\n`);
    } else {
      await portal.stop();
    }
    await override?.cleanup();
  }
  process.stdout.write(
    `fleet tab browser tests: ${
      fleetTabTests.length - failed
    } passed, ${failed} failed\n`,
  );
  process.exit(failed ? 1 : 0);
}

main().catch(e => {
  process.stderr.write(`${e.stack || e}\n`);
  process.exit(1);
});
