/*
 * Two replicas of the example backend on PostgreSQL with the cache on Redis, as platform
 * teams run Backstage: both loaded (readers and push streams on each, syncs through either),
 * then one killed mid-run. Checked: every sync a client saw accepted has its audit record in
 * the log of the replica that served it; a sync is allowed through either replica (with a
 * token the other issued); readers and push streams fail over to the survivor and the push
 * streams get the next change; each scheduled task of the global scope runs on one replica at
 * a time (every claim of the scheduler's task table is recorded by a trigger, with the
 * claiming replica's PostgreSQL application_name); nothing is served from the dead replica's
 * state (its ETags are not answered 304, the survivor's views show a change made after).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const {
  prepare,
  startBackend,
  startProcess,
  startSimulator,
  untilServing,
  until,
  writeConfig,
} = require('./harness');
const { p95 } = require('./faults');

const PG_BIN = '/usr/lib/postgresql/15/bin';
const API = '/api/multicloud-gitops';
const VIEWS = [
  `${API}/v1/fleet?limit=50`,
  `${API}/v1/topology?pattern=multicloud-gitops`,
  `${API}/v1/hubs/hub/clusters/local-cluster`,
];
const sleep = ms => new Promise(r => setTimeout(r, ms));

/** What the two-replica run needs from the machine, or why it cannot run here. */
function missingPrerequisite() {
  if (!fs.existsSync(path.join(PG_BIN, 'initdb')))
    return `PostgreSQL 15 (${PG_BIN}/initdb)`;
  if (spawnSync('redis-server', ['--version']).status !== 0)
    return 'redis-server';
  return undefined;
}

/**
 * A throwaway PostgreSQL cluster on loopback: trust authentication for the suite's user,
 * no fsync. As root it runs as the postgres user, which initdb requires.
 */
function startPostgres(dir, port) {
  const asRoot = process.getuid?.() === 0;
  const run = (bin, args) => {
    const r = asRoot
      ? spawnSync(
          'runuser',
          ['-u', 'postgres', '--', path.join(PG_BIN, bin), ...args],
          {
            encoding: 'utf8',
          },
        )
      : spawnSync(path.join(PG_BIN, bin), args, { encoding: 'utf8' });
    if (r.status !== 0)
      throw new Error(`${bin} ${args.join(' ')}: ${r.stderr || r.stdout}`);
    return r.stdout;
  };
  fs.mkdirSync(dir, { recursive: true });
  if (asRoot) spawnSync('chown', ['-R', 'postgres', dir]);
  const data = path.join(dir, 'data');
  run('initdb', [
    '-D',
    data,
    '-U',
    'postgres',
    '--auth=trust',
    '-E',
    'UTF8',
    '--no-sync',
  ]);
  run('pg_ctl', [
    '-D',
    data,
    '-l',
    path.join(dir, 'log'),
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300`,
    '-w',
    'start',
  ]);
  return {
    stop: () => {
      try {
        run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
    },
  };
}

/** A Redis on loopback that keeps nothing on disk. */
function startRedis(port) {
  return startProcess(
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { cwd: '/', command: 'redis-server' },
  );
}

/** A client of the suite's PostgreSQL, on one database. */
async function pgClient(port, database) {
  const { Client } = require('pg');
  const c = new Client({ host: '127.0.0.1', port, user: 'postgres', database });
  await c.connect();
  return c;
}

/**
 * Records every claim and release of a scheduled task, with the application_name of the
 * connection that made it (each replica names its own), in every plugin database that has
 * the scheduler's task table.
 */
async function recordTaskClaims(pgPort) {
  const admin = await pgClient(pgPort, 'postgres');
  const { rows } = await admin.query(
    "select datname from pg_database where datname like 'backstage_plugin_%'",
  );
  await admin.end();
  const watched = [];
  for (const { datname } of rows) {
    const c = await pgClient(pgPort, datname);
    const has = await c.query(
      "select 1 from information_schema.tables where table_name = 'backstage_backend_tasks__tasks'",
    );
    if (has.rowCount) {
      await c.query(`
        create table if not exists reliability_task_claims (
          at timestamptz not null default clock_timestamp(),
          task text not null, ticket text not null, kind text not null, replica text not null);
        create or replace function reliability_record_claim() returns trigger as $$
        begin
          if new.current_run_ticket is not null and old.current_run_ticket is distinct from new.current_run_ticket then
            insert into reliability_task_claims (task, ticket, kind, replica)
              values (new.id, new.current_run_ticket, 'claim', current_setting('application_name'));
          end if;
          if old.current_run_ticket is not null and old.current_run_ticket is distinct from new.current_run_ticket then
            insert into reliability_task_claims (task, ticket, kind, replica)
              values (old.id, old.current_run_ticket, 'release', current_setting('application_name'));
          end if;
          return new;
        end $$ language plpgsql;
        drop trigger if exists reliability_claims on backstage_backend_tasks__tasks;
        create trigger reliability_claims after update on backstage_backend_tasks__tasks
          for each row execute function reliability_record_claim();`);
      watched.push(datname);
    }
    await c.end();
  }
  return {
    watched,
    /** Every recorded run: task, replica, claimed and released (undefined while it runs). */
    async runs() {
      const out = [];
      for (const db of watched) {
        const c = await pgClient(pgPort, db);
        const r = await c.query(
          'select at, task, ticket, kind, replica from reliability_task_claims order by at',
        );
        const tasks = await c.query(
          'select id, settings_json from backstage_backend_tasks__tasks',
        );
        await c.end();
        const scope = Object.fromEntries(
          tasks.rows.map(t => [
            t.id,
            JSON.parse(t.settings_json).scope ?? 'global',
          ]),
        );
        const open = new Map();
        for (const row of r.rows) {
          if (row.kind === 'claim') {
            const run = {
              db,
              task: row.task,
              scope: scope[row.task],
              replica: row.replica,
              claimed: row.at.getTime(),
            };
            open.set(row.ticket, run);
            out.push(run);
          } else if (open.has(row.ticket)) {
            open.get(row.ticket).released = row.at.getTime();
            open.get(row.ticket).releasedBy = row.replica;
          }
        }
      }
      return out;
    },
  };
}

/** Runs of one task that overlap in time (a global task must have none). */
function overlaps(runs) {
  const bad = [];
  const byTask = new Map();
  for (const r of runs) {
    const key = `${r.db}/${r.task}`;
    if (!byTask.has(key)) byTask.set(key, []);
    byTask.get(key).push(r);
  }
  for (const [key, rs] of byTask) {
    rs.sort((a, b) => a.claimed - b.claimed);
    for (let i = 1; i < rs.length; i++) {
      const prevEnd = rs[i - 1].released ?? Infinity;
      if (rs[i].claimed < prevEnd)
        bad.push(`${key}: ${rs[i - 1].replica} and ${rs[i].replica}`);
    }
  }
  return bad;
}

/** Audit records of one event in a backend's log, by status. */
function auditRecords(output, eventId) {
  const counts = {};
  // The development log format colours keys and values; the production one is JSON.
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  for (const line of plain.split('\n')) {
    if (!line.includes(eventId) || !line.includes('isAuditEvent')) continue;
    const status = /"?status"?[=:]\s*"?(initiated|succeeded|failed)/.exec(
      line,
    )?.[1];
    if (status) counts[status] = (counts[status] ?? 0) + 1;
  }
  return counts;
}

/**
 * Readers spread over the replicas; a reader whose replica stops answering moves to the
 * other, as a load balancer's health check would move it.
 */
function failoverReaders(replicas, token, n) {
  let running = true;
  const samples = [];
  const statuses = {};
  const count = k => {
    statuses[k] = (statuses[k] ?? 0) + 1;
  };
  const loops = Array.from({ length: n }, async (_, i) => {
    let at = i % replicas.length;
    let k = i;
    while (running) {
      const r = replicas[at];
      const t0 = performance.now();
      try {
        const res = await fetch(`${r.base}${VIEWS[k++ % VIEWS.length]}`, {
          headers: { authorization: `Bearer ${token}` },
        });
        await res.arrayBuffer();
        count(`${res.status}`);
        samples.push({
          at: Date.now(),
          ms: performance.now() - t0,
          replica: r.name,
        });
      } catch {
        if (r.dead) {
          count('moved to the survivor');
          at = replicas.findIndex(x => !x.dead);
        } else count('failed');
        await sleep(100);
      }
    }
  });
  return {
    samples,
    statuses,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** A push stream that reconnects to the survivor when its replica dies. */
function failoverPush(replicas, token, startAt) {
  const s = { events: [], connects: [], ac: new AbortController() };
  let at = startAt;
  (async () => {
    while (!s.ac.signal.aborted) {
      const r = replicas[at];
      try {
        const res = await fetch(`${r.base}${API}/v1/events`, {
          headers: { authorization: `Bearer ${token}` },
          signal: s.ac.signal,
        });
        s.connects.push({ replica: r.name, status: res.status });
        const decoder = new TextDecoder();
        for await (const chunk of res.body)
          for (const m of decoder.decode(chunk).matchAll(/^data: (.*)$/gm))
            s.events.push({
              at: Date.now(),
              replica: r.name,
              ...JSON.parse(m[1]),
            });
      } catch {
        // the stream broke: as EventSource does, connect again after its retry delay
      }
      if (s.ac.signal.aborted) return;
      if (r.dead) at = replicas.findIndex(x => !x.dead);
      await sleep(500);
    }
  })();
  return s;
}

/**
 * Starts PostgreSQL, Redis, the simulator and two backends, loads both, kills one and
 * checks what the header says. Returns rows for the table: [check, ok, detail].
 */
async function runReplicas({ ports, loadMs, log }) {
  const missing = missingPrerequisite();
  if (missing) return { skipped: `${missing} is not installed` };
  const [portA, simPort, pgPort, redisPort, portB] = ports;
  const { tmp, repos, work, canary } = prepare();
  const procs = [];
  const stops = [];
  const stopAll = () => {
    procs.forEach(p => p.stop());
    stops.forEach(f => f());
  };
  try {
    log(`Starting PostgreSQL on ${pgPort} and Redis on ${redisPort}...`);
    // Its own directory: the suite's is private to this user, and PostgreSQL may run as another.
    const pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-reliability-pg-'));
    const pg = startPostgres(pgDir, pgPort);
    stops.push(pg.stop, () =>
      fs.rmSync(pgDir, { recursive: true, force: true }),
    );
    const redis = startRedis(redisPort);
    procs.push(redis);
    const simulator = startSimulator({ simPort, canary });
    procs.push({ stop: () => simulator.proc.stop() });
    const replicas = ['a', 'b'].map((name, i) => {
      const port = i === 0 ? portA : portB;
      const file = path.join(tmp, `app-config.replica-${name}.yaml`);
      writeConfig(file, { port, simPort, canary, repos, work });
      const shared = path.join(tmp, `app-config.replica-${name}.pg.yaml`);
      fs.writeFileSync(shared, replicaConfig({ name, pgPort, redisPort }));
      return {
        name: `replica-${name}`,
        port,
        base: `http://localhost:${port}`,
        files: [file, shared],
      };
    });
    // One after the other, as a rolling deployment starts them: two Backstage backends
    // started at once on an empty database race in the framework's migrations (knex's
    // MigrationLocked, "relation already exists"), and one that exits mid-migration leaves
    // the lock held, so it fails again on restart (backstage/charts#300).
    const t0 = Date.now();
    const served = [];
    for (const r of replicas) {
      log(`Starting ${r.name} on ${r.port} (PostgreSQL, Redis)...`);
      r.proc = startBackend(r.files);
      procs.push(r.proc);
      served.push(await untilServing(r.base, [r.proc, simulator.proc]));
    }
    const startupMs = Date.now() - t0;
    log(`both up after ${(startupMs / 1000).toFixed(0)} s`);
    const { token, spoke } = served[0];
    const claims = await recordTaskClaims(pgPort);

    const rows = [];
    const check = (name, ok, detail) => {
      rows.push({ name, ok, detail });
      log(`${ok ? 'ok' : 'FAILED'}: ${name}: ${detail}`);
    };
    const headers = {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    };
    const syncs = [];
    const sync = async r => {
      try {
        const res = await fetch(
          `${r.base}${API}/v1/hubs/hub/argocd/hub-gitops/applications/vault/sync`,
          {
            method: 'POST',
            headers,
            body: JSON.stringify({ entityRef: 'component:default/vault' }),
          },
        );
        await res.text();
        syncs.push({ replica: r.name, status: res.status });
        return res.status;
      } catch (e) {
        syncs.push({
          replica: r.name,
          status: `error ${e.cause?.code ?? e.message}`,
        });
        return undefined;
      }
    };
    // A token issued by replica a, a sync through each. Argo CD refuses (409) a sync while
    // the previous one runs: that one is waited for, as a user would.
    const syncWhenIdle = async r => {
      let status;
      for (let i = 0; i < 40; i++) {
        status = await sync(r);
        if (status !== 409) break;
        await sleep(500);
      }
      return status;
    };
    const throughA = await syncWhenIdle(replicas[0]);
    const throughB = await syncWhenIdle(replicas[1]);
    check(
      'sync allowed through either replica (a token of one accepted by the other)',
      throughA === 200 && throughB === 200,
      `replica-a ${throughA}, replica-b ${throughB}`,
    );

    const readers = failoverReaders(replicas, token, 16);
    const push = Array.from({ length: 50 }, (_, i) =>
      failoverPush(replicas, token, i % 2),
    );
    let syncing = true;
    const syncLoop = (async () => {
      for (let i = 0; syncing; i++) {
        const live = replicas.filter(r => !r.dead);
        await sync(live[i % live.length]);
        await sleep(500);
      }
    })();
    await sleep(loadMs / 2);
    // The victim is the replica that ran the global task last, so the survivor must take it.
    const before = await claims.runs();
    const lastGlobal = before.filter(r => r.scope === 'global').at(-1);
    const victim =
      replicas.find(r => r.name === lastGlobal?.replica) ?? replicas[0];
    const survivor = replicas.find(r => r !== victim);
    const etagRes = await fetch(`${victim.base}${VIEWS[1]}`, { headers });
    await etagRes.arrayBuffer();
    const victimEtag = etagRes.headers.get('etag');
    log(`killing ${victim.name} (SIGKILL)`);
    const killedAt = Date.now();
    victim.dead = true;
    process.kill(-victim.proc.child.pid, 'SIGKILL');
    await new Promise(r =>
      victim.proc.child.exitCode !== null || victim.proc.child.signalCode
        ? r()
        : victim.proc.child.once('exit', r),
    );
    await sleep(loadMs / 2);

    // A change made after the kill: every push stream, now on the survivor, gets it.
    const changedAt = Date.now();
    await simulator.sim('POST', 'mutate', {
      op: 'cluster-unavailable',
      cluster: spoke,
    });
    await until(
      'the change on every push stream',
      async () => push.every(s => s.events.some(e => e.at > changedAt)),
      20000,
    ).catch(() => {});
    syncing = false;
    await syncLoop;
    await readers.stop();
    push.forEach(s => s.ac.abort());

    const onSurvivor = push.filter(s =>
      s.connects.some(c => c.replica === survivor.name && c.status === 200),
    );
    const moved = push.filter(s => s.connects[0]?.replica === victim.name);
    const gotChange = push.filter(s =>
      s.events.some(e => e.at > changedAt && e.replica === survivor.name),
    );
    check(
      'push clients fail over to the survivor and receive the next change',
      onSurvivor.length === push.length && gotChange.length === push.length,
      `${moved.length} of ${push.length} streams were on ${victim.name}; ${onSurvivor.length} on ${survivor.name} after the kill; ${gotChange.length} got the change made after it`,
    );

    const afterKill = readers.samples.filter(s => s.at > killedAt + 1000);
    const failed = readers.statuses.failed ?? 0;
    const non2xx = Object.entries(readers.statuses).filter(
      ([k]) => /^\d+$/.test(k) && k !== '200' && k !== '304',
    );
    check(
      'readers fail over: the survivor answers every view',
      failed === 0 &&
        non2xx.length === 0 &&
        afterKill.length > 0 &&
        afterKill.every(s => s.replica === survivor.name),
      `${JSON.stringify(readers.statuses)}; p95 before the kill ${p95(
        readers.samples.filter(s => s.at < killedAt).map(s => s.ms),
      ).toFixed(1)} ms, after ${p95(afterKill.map(s => s.ms)).toFixed(1)} ms`,
    );

    // Every sync a client saw accepted is audited by the replica that accepted it; the
    // killed replica's log is what it wrote before it died.
    const audit = replicas.map(r => {
      const accepted = syncs.filter(
        s => s.replica === r.name && s.status === 200,
      ).length;
      const records = auditRecords(r.proc.output(), 'application-sync');
      return { r, accepted, records };
    });
    check(
      'no lost audit event: each accepted sync has its audit record',
      audit.every(
        a => (a.records.succeeded ?? 0) >= a.accepted && a.accepted > 0,
      ) &&
        audit.find(a => a.r === survivor).records.succeeded ===
          audit.find(a => a.r === survivor).accepted,
      audit
        .map(
          a =>
            `${a.r.name}: ${a.accepted} accepted, ${
              a.records.succeeded ?? 0
            } audited as succeeded (${a.records.initiated ?? 0} initiated, ${
              a.records.failed ?? 0
            } failed)`,
        )
        .join('; ') +
        `; all syncs: ${JSON.stringify(
          syncs.reduce(
            (m, x) => ({ ...m, [x.status]: (m[x.status] ?? 0) + 1 }),
            {},
          ),
        )} (409: Argo CD busy with the previous one)`,
    );

    // Nothing from the dead replica: its ETag is not the survivor's, and the survivor's
    // views show the change made after the kill.
    const again = await fetch(`${survivor.base}${VIEWS[1]}`, {
      headers: { ...headers, 'if-none-match': victimEtag ?? '' },
    });
    const details = await fetch(
      `${survivor.base}${API}/v1/hubs/hub/clusters/${spoke}`,
      { headers },
    ).then(r => r.json());
    const seenUnavailable = JSON.stringify(details).match(
      /"(availability|available|status|state)":"?(unavailable|false|Unavailable|Unknown|unknown)/,
    );
    await again.arrayBuffer();
    check(
      "nothing served from the dead replica's state",
      victimEtag && again.status === 200 && !!seenUnavailable,
      `the dead replica's ETag answered ${
        again.status
      } by the survivor; ${spoke} ${
        seenUnavailable
          ? `shows ${seenUnavailable[0]}`
          : 'does not show the change'
      } after the kill`,
    );
    await simulator.sim('POST', 'mutate', {
      op: 'cluster-available',
      cluster: spoke,
    });

    // The survivor takes the global tasks once the dead replica's claims expire.
    const takeOverMs = await until(
      `${survivor.name} running the global task`,
      async () =>
        (
          await claims.runs()
        ).some(
          r =>
            r.scope === 'global' &&
            r.replica === survivor.name &&
            r.claimed > killedAt,
        ),
      60000,
    )
      .then(() => Date.now() - killedAt)
      .catch(() => undefined);
    const runs = (await claims.runs()).filter(r => r.scope === 'global');
    const bad = overlaps(runs);
    const by = n => runs.filter(r => r.replica === n).length;
    check(
      'scheduled tasks (global) run on one replica at a time, the survivor takes over',
      runs.length > 0 && bad.length === 0 && takeOverMs !== undefined,
      `${runs.length} runs of ${
        new Set(runs.map(r => r.task)).size
      } global tasks, ${[...new Set(runs.map(r => r.task))].join(
        ', ',
      )} (${replicas.map(r => `${r.name} ${by(r.name)}`).join(', ')}), ${
        bad.length
      } overlapping${bad.length ? `: ${bad.slice(0, 3).join('; ')}` : ''}; ${
        takeOverMs === undefined
          ? `${survivor.name} did not take over within 60 s`
          : `${survivor.name} took over ${(takeOverMs / 1000).toFixed(
              1,
            )} s after the kill`
      }`,
    );

    // Kept for whoever reads a failure.
    for (const r of replicas)
      fs.writeFileSync(path.join(tmp, `${r.name}.log`), r.proc.output());
    log(`the replicas' logs are in ${tmp}`);
    // Whether the cache store is connected and used: the survivor's connections and what
    // every replica asked of Redis.
    const info =
      spawnSync('redis-cli', ['-p', String(redisPort), 'info'], {
        encoding: 'utf8',
      }).stdout ?? '';
    const field = k => new RegExp(`^${k}:(\\d+)`, 'm').exec(info)?.[1];
    const cache = {
      keys: spawnSync('redis-cli', ['-p', String(redisPort), 'dbsize'], {
        encoding: 'utf8',
      }).stdout?.trim(),
      clients: field('connected_clients'),
      commands: field('total_commands_processed'),
    };
    return { rows, startupMs, victim: victim.name, redis: cache };
  } finally {
    stopAll();
  }
}

/** PostgreSQL for every plugin's database and Redis for the cache, under the replica's name. */
function replicaConfig({ name, pgPort, redisPort }) {
  return `backend:
  database:
    client: pg
    connection:
      host: 127.0.0.1
      port: ${pgPort}
      user: postgres
      password: unused
      application_name: replica-${name}
  cache:
    store: redis
    connection: redis://127.0.0.1:${redisPort}
catalog:
  providers:
    multicloudGitops:
      # Short runs, so that the survivor takes the task over soon after a replica dies
      # holding it (the claim lasts until its timeout).
      schedule:
        frequency: { seconds: 5 }
        timeout: { seconds: 20 }
`;
}

module.exports = { runReplicas, overlaps, auditRecords };
