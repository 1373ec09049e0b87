/*
 * What the reliability suite runs against: the fleet simulator (its CLI, with a canary token)
 * and the example backend from source, configured with that canary as every credential, so
 * that the suite can search everything it saw for it afterwards.
 */
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { backendEnv } = require('../../scripts/lib/backendEnv');

const root = path.resolve(__dirname, '../..');
const shared = path.resolve(root, '../shared');

// Every process the suite started and that still runs: killed when the suite exits, however
// it exits, so that no backend is left holding the suite's ports.
const started = new Set();
process.on('exit', () => {
  for (const child of started) {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/**
 * A process in its own group, its output kept (bounded) for the secrets scan and errors;
 * Node unless `command` names another program.
 */
function startProcess(args, { cwd, env, command = process.execPath }) {
  const child = spawn(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: { ...process.env, ...env },
  });
  started.add(child);
  child.once('exit', () => started.delete(child));
  const chunks = [];
  let size = 0;
  const collect = d => {
    chunks.push(d.toString());
    size += d.length;
    // Keeps the scan honest on long runs without holding everything: drop the oldest half.
    if (size > 64 * 1024 * 1024) {
      chunks.splice(0, chunks.length >> 1);
      size = chunks.reduce((n, c) => n + c.length, 0);
    }
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  return {
    child,
    output: () => chunks.join(''),
    stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }, 10000).unref();
      } catch {
        // already gone
      }
    },
  };
}

function git(...a) {
  const r = spawnSync('git', a, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The real multicloud-gitops values as the local repository of the catalog's example System. */
function seedPatternRepo(repos, tmp) {
  const src = path.join(tmp, 'mcg-src');
  fs.cpSync(
    path.join(shared, 'reference/validated-patterns/multicloud-gitops'),
    src,
    { recursive: true },
  );
  for (const f of fs.readdirSync(src)) fs.chmodSync(path.join(src, f), 0o644);
  git('init', '-q', '-b', 'main', src);
  git('-C', src, 'add', '-A');
  git(
    '-C',
    src,
    '-c',
    'user.name=reliability',
    '-c',
    'user.email=reliability@example.com',
    'commit',
    '-qm',
    'multicloud-gitops',
  );
  git('clone', '-q', '--bare', src, path.join(repos, 'multicloud-gitops.git'));
}

function writeConfig(file, { port, simPort, canary, repos, work }) {
  const base = `http://localhost:${port}`;
  fs.writeFileSync(
    file,
    `app:
  baseUrl: ${base}
backend:
  baseUrl: ${base}
  reading:
    allow:
      - host: localhost:${port}
  listen:
    port: ${port}
  workingDirectory: ${work}
catalog:
  # A list replaces the one of app-config.yaml: the example's locations, then the suite's.
  locations:
    - type: file
      target: ${path.join(root, 'examples/entities.yaml')}
    - type: file
      target: ${path.join(root, 'examples/org.yaml')}
      rules:
        - allow: [User, Group]
    - type: file
      target: ${path.join(root, 'examples/templates.yaml')}
      rules:
        - allow: [Location, Template]
    - type: file
      target: ${path.join(__dirname, '../fixtures/hostile-entities.yaml')}
  providers:
    # Clusters owned by app-team: the guest (platform-team) then owns neither hello-world
    # (app-team) nor its clusters, a non-owner for the sync checks.
    multicloudGitops:
      defaultOwner: group:default/app-team
kubernetes:
  serviceLocatorMethod:
    type: multiTenant
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: hub
          url: http://127.0.0.1:${simPort}
          authProvider: serviceAccount
          serviceAccountToken: ${canary}
          skipTLSVerify: true
          skipMetricsLookup: true
multicloudGitops:
  simulator:
    enabled: false
  hubs:
    - name: hub
      title: Simulated hub
      url: http://127.0.0.1:${simPort}
      serviceAccountToken: ${canary}
      skipTLSVerify: true
      search:
        url: http://127.0.0.1:${simPort}/searchapi/graphql
        pollIntervalSeconds: 2
      argocd:
        - name: hub-gitops
          url: http://127.0.0.1:${simPort}/argocd/local-cluster
          token: ${canary}
  # The load run holds 500 push streams as one user, besides the suite's own.
  pushStreamsPerUser: 540
  localGit:
    rootDir: ${repos}
    baseUrl: ${base}/api/local-git
`,
  );
}

async function until(what, fn, timeoutMs = 180000, procs = []) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    for (const p of procs)
      if (p.child.exitCode !== null)
        throw new Error(
          `a process exited while waiting for ${what}:\n${p
            .output()
            .slice(-3000)}`,
        );
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

/** A temporary directory with the seeded repositories, a work directory and a canary. */
function prepare({ upstream = [] } = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-reliability-'));
  const repos = path.join(tmp, 'repos');
  const work = path.join(tmp, 'work');
  fs.mkdirSync(repos);
  fs.mkdirSync(work);
  seedPatternRepo(repos, tmp);
  const canary = `mcg-canary-${crypto.randomBytes(12).toString('hex')}`;
  return { tmp, repos, work, canary, fixtures: writeUpstream(tmp, upstream) };
}

/**
 * The `upstream` cases' objects as the simulator's fixtures (a support dump's layout: one
 * list per file, beside the fleet it generates), so the hub serves them from the start and
 * again after a restart. Undefined when there are none.
 */
function writeUpstream(tmp, cases) {
  if (!cases.length) return undefined;
  const dir = path.join(tmp, 'upstream');
  const byFile = new Map();
  for (const c of cases) {
    if (!/^[a-z0-9-]+\.yaml$/.test(c.file))
      throw new Error(`case ${c.id}: file must be a plain .yaml name`);
    byFile.set(c.file, [...(byFile.get(c.file) ?? []), c.object]);
  }
  fs.mkdirSync(dir);
  for (const [file, items] of byFile)
    fs.writeFileSync(
      path.join(dir, file),
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items }),
    );
  return dir;
}

/** The fleet simulator's CLI on `simPort`, with its admin API and a restart. */
function startSimulator({ simPort, canary, fixtures }) {
  const simArgs = [
    path.join(root, 'packages/fleet-simulator/bin/fleet-simulator'),
    '--port',
    String(simPort),
    '--token',
    canary,
    '--tick',
    '0s',
    ...(fixtures ? ['--fixtures', fixtures] : []),
  ];
  const simBase = `http://127.0.0.1:${simPort}`;
  const self = {
    proc: startProcess(simArgs, { cwd: root }),
    /** The simulator's admin API (faults, tokens, mutations). */
    async sim(method, route, body) {
      const res = await fetch(`${simBase}/_simulator/${route}`, {
        method,
        headers: {
          authorization: `Bearer ${canary}`,
          'content-type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      if (!res.ok)
        throw new Error(`simulator ${method} ${route}: ${res.status} ${text}`);
      return JSON.parse(text);
    },
    /** Kills the simulator and starts a new one on the same port: new state, broken watches. */
    async restart() {
      const old = self.proc;
      old.stop();
      if (old.child.exitCode === null)
        await new Promise(r => old.child.once('exit', r));
      self.proc = startProcess(simArgs, { cwd: root });
      await until(
        'the restarted simulator',
        async () =>
          (
            await fetch(`${simBase}/_simulator/counters`, {
              headers: { authorization: `Bearer ${canary}` },
            })
          ).ok,
        60000,
      );
    },
  };
  return self;
}

/**
 * The example backend from source with the repository's config, then each of `configs`.
 * With `probeFile`, the suite's probe (lib/probe.js) is loaded into it: `probe(backend)`
 * then forces a garbage collection and reads its memory and event-loop delay.
 */
function startBackend(configs, { probeFile } = {}) {
  const proc = startProcess(
    [
      ...(probeFile
        ? ['--expose-gc', '--require', path.join(__dirname, 'probe.js')]
        : []),
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', {
        paths: [root],
      }),
      'src/index',
      '--config',
      path.join(root, 'app-config.yaml'),
      ...configs.flatMap(c => ['--config', c]),
    ],
    // As `backstage-cli package start` does; the guest sign-in needs it.
    {
      cwd: path.join(root, 'packages/backend'),
      env: {
        // As `npm start` runs it (scripts/lib/backendEnv.js).
        ...backendEnv(),
        NODE_ENV: 'development',
        ...(probeFile ? { MCG_RELIABILITY_PROBE: probeFile } : {}),
      },
    },
  );
  proc.probeFile = probeFile;
  return proc;
}

/**
 * Asks the backend's probe for a garbage collection and its memory and event-loop delay
 * since the previous call: `{rssMiB, heapUsedMiB, eventLoopDelayMs: {p50, p99, max}}`.
 */
async function probe(backend) {
  const file = backend.probeFile;
  const last = fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0;
  const before = Date.now();
  process.kill(backend.child.pid, 'SIGUSR2');
  for (let i = 0; i < 200; i++) {
    await new Promise(r => setTimeout(r, 50));
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs !== last) {
      const r = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (r.at >= before) return r;
    }
  }
  throw new Error('the backend did not answer the probe within 10 s');
}

/**
 * Waits until the guest can sign in at `base`, the hostile entities are in the catalog and
 * the hub's sources are ok; returns the guest's token and a spoke cluster's name.
 */
async function untilServing(base, procs) {
  const token = await until(
    `the guest sign-in at ${base}`,
    async () => {
      const res = await fetch(
        `${base}/api/auth/guest/refresh?env=development`,
        { headers: { 'x-requested-with': 'XMLHttpRequest' } },
      );
      return res.ok ? (await res.json()).backstageIdentity.token : undefined;
    },
    300000,
    procs,
  );
  const auth = { authorization: `Bearer ${token}` };
  await until(
    'the hostile entities and the templates in the catalog',
    async () => {
      const res = await fetch(
        `${base}/api/catalog/entities/by-query?filter=kind=component,metadata.name=hostile-no-annotations&filter=kind=template`,
        { headers: auth },
      );
      return res.ok && (await res.json()).items.length >= 4;
    },
    180000,
    procs,
  );
  await until(
    "the hub's sources ok",
    async () => {
      const res = await fetch(`${base}/api/multicloud-gitops/v1/hubs`, {
        headers: auth,
      });
      if (!res.ok) return false;
      const { hubs } = await res.json();
      return hubs[0]?.sources.every(s => s.state === 'ok');
    },
    120000,
    procs,
  );
  // Signed in again now that the catalog has the guest's groups: a token issued before
  // carries no ownership, and owner-only checks would refuse everything.
  const owned = await fetch(`${base}/api/auth/guest/refresh?env=development`, {
    headers: { 'x-requested-with': 'XMLHttpRequest' },
  });
  const fresh = (await owned.json()).backstageIdentity.token;
  const fleet = await fetch(
    `${base}/api/multicloud-gitops/v1/fleet?limit=100&sort=name`,
    { headers: { authorization: `Bearer ${fresh}` } },
  );
  // An available one: the suite's changes mark it unavailable, which on a cluster the
  // simulator starts unavailable (or pending import) would change nothing and push nothing.
  const spoke = (await fleet.json()).clusters.items.find(
    c => c.name !== 'local-cluster' && c.status === 'available',
  )?.name;
  if (!spoke) throw new Error('the simulated fleet has no available spoke');
  return { token: fresh, spoke };
}

/**
 * Starts the simulator and the backend, waits until the guest can sign in, the hostile
 * entities are in the catalog and the hub's sources are ok. The backend carries the probe.
 */
async function startHarness({ port, log, upstream }) {
  const simPort = port + 1;
  const { tmp, repos, work, canary, fixtures } = prepare({ upstream });
  const config = path.join(tmp, 'app-config.reliability.yaml');
  writeConfig(config, { port, simPort, canary, repos, work });

  log(`Starting the fleet simulator on ${simPort}...`);
  const simulator = startSimulator({ simPort, canary, fixtures });
  log(`Starting the example backend on ${port}...`);
  const backend = startBackend([config], {
    probeFile: path.join(tmp, 'probe.json'),
  });
  const base = `http://localhost:${port}`;
  const procs = [simulator.proc, backend];
  /** Stops both; resolves when they have exited and their ports are free. */
  const stop = () => {
    const ps = [simulator.proc, backend];
    ps.forEach(p => p.stop());
    return Promise.all(
      ps.map(p =>
        p.child.exitCode !== null || p.child.signalCode
          ? undefined
          : new Promise(r => p.child.once('exit', r)),
      ),
    );
  };
  try {
    const { token, spoke } = await untilServing(base, procs);
    return {
      base,
      token,
      canary,
      tmp,
      repos,
      work,
      spoke,
      backend,
      stop,
      sim: simulator.sim,
      restartSimulator: simulator.restart,
      probe: () => probe(backend),
    };
  } catch (e) {
    stop();
    throw e;
  }
}

module.exports = {
  startHarness,
  startProcess,
  startSimulator,
  startBackend,
  probe,
  untilServing,
  prepare,
  writeConfig,
  git,
  root,
  shared,
  until,
};
