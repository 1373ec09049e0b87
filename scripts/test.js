#!/usr/bin/env node
/*
 * `npm test`: every test of the repository. Unit and integration tests of all workspaces
 * (Jest through the Backstage CLI), of the benchmarks' library (node --test bench/lib) and of
 * the reliability suite's judgements (reliability/lib),
 * then the software templates end to end through the scaffolder REST API, the reliability
 * suite's hostile input, access and secrets checks (reliability/), then the browser tests (Playwright driving Debian's Chromium against
 * the example portal on the simulator). Ends with one line
 * `N passed, N failed, N skipped`.
 *
 *   npm test                 everything
 *   npm test -- --unit       Jest and bench/lib only
 *   npm test -- --e2e        templates and browser tests only
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const out = path.join(root, '.ci-out');
fs.mkdirSync(out, { recursive: true });
const args = process.argv.slice(2);
const runUnit = !args.includes('--e2e');
const runE2e = !args.includes('--unit');

const totals = { passed: 0, failed: 0, skipped: 0 };
let failedSuites = 0;

if (runUnit) {
  const jestJson = path.join(out, 'jest.json');
  fs.rmSync(jestJson, { force: true });
  const res = spawnSync(
    path.join(root, 'node_modules/.bin/backstage-cli'),
    ['repo', 'test', '--json', `--outputFile=${jestJson}`],
    { cwd: root, stdio: 'inherit', env: { ...process.env, CI: 'true' } },
  );
  if (fs.existsSync(jestJson)) {
    const r = JSON.parse(fs.readFileSync(jestJson, 'utf8'));
    totals.passed += r.numPassedTests;
    totals.failed += r.numFailedTests;
    totals.skipped += r.numPendingTests + r.numTodoTests;
    failedSuites += r.numFailedTestSuites + r.numRuntimeErrorTestSuites;
  } else {
    process.stderr.write(
      'Jest wrote no results: counting the unit run as failed\n',
    );
    totals.failed += 1;
  }
  if (res.status !== 0 && totals.failed === 0) failedSuites += 1;
}

// Tests on node's own runner (TAP counts): the benchmarks' library (bench/lib, whose figures
// the benchmarks' targets are judged on) with the unit tests, the packaging and install tests
// (e2e/install: build, pack, install into a fresh Backstage app) with the end-to-end ones.
function runNodeTests(dir, env = process.env) {
  const res = spawnSync(
    process.execPath,
    [
      '--test',
      '--test-reporter=tap',
      '--test-concurrency=1',
      path.join(root, dir),
    ],
    { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  process.stdout.write(res.stdout ?? '');
  const count = k =>
    Number(new RegExp(`^# ${k} (\\d+)$`, 'm').exec(res.stdout ?? '')?.[1] ?? 0);
  totals.passed += count('pass');
  totals.failed += count('fail') + count('cancelled');
  totals.skipped += count('skipped') + count('todo');
  if (res.status !== 0 && count('fail') + count('cancelled') === 0)
    failedSuites += 1;
}

if (runUnit) runNodeTests('bench/lib');
// The reliability suite's judgements (overlapping task runs, audit records, slopes).
if (runUnit) runNodeTests('reliability/lib');

// The three software templates end to end through the scaffolder REST API of the example
// backend (simulator in-process, local git repositories); prints `N passed, N failed`.
function runTemplatesE2e() {
  const res = spawnSync(
    process.execPath,
    [
      path.join(
        root,
        'plugins/scaffolder-backend-module-multicloud-gitops/scripts/templates-e2e.js',
      ),
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  process.stdout.write(res.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed/.exec(res.stdout ?? '');
  if (m) {
    totals.passed += Number(m[1]);
    totals.failed += Number(m[2]);
  }
  if (res.status !== 0 && (!m || Number(m[2]) === 0)) totals.failed += 1;
}

// The reliability suite (reliability/run.js): hostile input, access and secrets against the
// example backend on the simulator; prints `N passed, N failed` like the templates' run.
function runReliability() {
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'reliability/run.js')],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' },
  );
  process.stdout.write(res.stdout ?? '');
  const m = /(\d+) passed, (\d+) failed/.exec(res.stdout ?? '');
  if (m) {
    totals.passed += Number(m[1]);
    totals.failed += Number(m[2]);
  }
  if (res.status !== 0 && (!m || Number(m[2]) === 0)) totals.failed += 1;
}

// The packaging and install tests (e2e/install) share one build and pack of the published
// packages, made here.
function runInstallTests() {
  const packsFile = path.join(out, 'packs.json');
  try {
    const { buildPlugins, packAll } = require('../e2e/install/pack');
    buildPlugins();
    const packs = packAll(path.join(out, 'packs'));
    fs.writeFileSync(packsFile, JSON.stringify(packs));
  } catch (e) {
    process.stderr.write(
      `Building and packing the plugins failed: ${e.message}\n`,
    );
    totals.failed += 1;
    return;
  }
  runNodeTests('e2e/install', { ...process.env, MCG_PACKS: packsFile });
}

if (runE2e) {
  runTemplatesE2e();
  runReliability();
  runInstallTests();
  // Roadie's Argo CD backend plugin, unmodified, against the simulator's Argo CD (installs
  // the plugin into bench/peer-roadie on first run)
  runNodeTests('bench/peer-roadie');
}

if (runE2e) {
  const e2eJson = path.join(out, 'e2e.json');
  fs.rmSync(e2eJson, { force: true });
  const res = spawnSync(
    process.execPath,
    [path.join(root, 'e2e/run.js'), '--json', e2eJson],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (fs.existsSync(e2eJson)) {
    const r = JSON.parse(fs.readFileSync(e2eJson, 'utf8'));
    totals.passed += r.passed;
    totals.failed += r.failed;
    totals.skipped += r.skipped;
  } else {
    totals.failed += 1;
  }
  if (res.status !== 0 && totals.failed === 0) failedSuites += 1;
}

if (failedSuites > 0 && totals.failed === 0) {
  // A suite that crashed before running its tests still fails the run.
  totals.failed += failedSuites;
}
process.stdout.write(
  `\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
fs.writeFileSync(path.join(out, 'totals.json'), JSON.stringify(totals));
process.exit(totals.failed > 0 ? 1 : 0);
