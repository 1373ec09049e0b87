/*
 * Runs the cases of hostile.yaml against a started harness. Each case answers: did the
 * outcome match what the case documents; was it a 5xx; was the backend still answering after it.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { git, root, shared, until } = require('./harness');

/** `{$repeat: C, times: N}` anywhere in a value, and `${repeat:C:N}` in a string. */
function expand(v) {
  if (typeof v === 'string')
    return v.replace(/\$\{repeat:(.):(\d+)\}/g, (_, c, n) =>
      c.repeat(Number(n)),
    );
  if (Array.isArray(v)) return v.map(expand);
  if (v && typeof v === 'object') {
    if ('$repeat' in v) return String(v.$repeat).repeat(v.times);
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, expand(x)]),
    );
  }
  return v;
}

/** A JWT that looks like the backend's own but that no key of this backend signed. */
function forgedToken() {
  const b64 = o => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({
    alg: 'ES256',
    kid: 'forged',
    typ: 'vnd.backstage.user',
  })}.${b64({
    sub: 'user:default/admin',
    ent: ['user:default/admin', 'group:default/platform-team'],
    exp: Math.floor(Date.now() / 1000) + 3600,
  })}.${crypto.randomBytes(64).toString('base64url')}`;
}

function errorMessage(body) {
  if (body && typeof body === 'object') {
    if (body.error?.message) return body.error.message;
    if (body.message) return body.message;
    if (Array.isArray(body.errors))
      return body.errors
        .map(e => `${e.property ?? ''} ${e.message ?? e.stack ?? ''}`)
        .join('; ');
  }
  return typeof body === 'string' ? body : JSON.stringify(body);
}

async function request(
  h,
  { method = 'GET', path: p, auth = 'guest', body, raw, contentType },
  seen,
) {
  const headers = {};
  if (auth === 'guest') headers.authorization = `Bearer ${h.token}`;
  if (auth === 'garbage') headers.authorization = 'Bearer garbage';
  if (auth === 'forged') headers.authorization = `Bearer ${forgedToken()}`;
  let payload;
  if (raw !== undefined) {
    payload = raw;
    headers['content-type'] = contentType ?? 'application/json';
  } else if (body !== undefined) {
    payload = JSON.stringify(expand(body));
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(`${h.base}${expand(p)}`, {
    method,
    headers,
    body: payload,
  });
  const text = await res.text();
  seen.push(text);
  let parsed = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: res.status, body: parsed };
}

async function alive(h) {
  try {
    const res = await fetch(`${h.base}/.backstage/health/v1/readiness`);
    return res.ok;
  } catch {
    return false;
  }
}

/** Every ref of every repository under `repos`: what "nothing written" compares. */
function repoState(repos) {
  return fs
    .readdirSync(repos)
    .sort()
    .map(
      r => `${r} ${git('--git-dir', path.join(repos, r), 'show-ref').trim()}`,
    )
    .join('\n');
}

async function runTask(h, c, seen) {
  const created = await request(
    h,
    {
      method: 'POST',
      path: '/api/scaffolder/v2/tasks',
      body: {
        templateRef: `template:default/${c.template}`,
        values: c.values,
        ...(c.secrets ? { secrets: c.secrets } : {}),
      },
    },
    seen,
  );
  if (created.status !== 201)
    return {
      outcome: created.status === 400 ? 'rejected' : `HTTP ${created.status}`,
      status: created.status,
      message: errorMessage(created.body),
    };
  const id = created.body.id;
  const task = await until(
    `task ${c.id}`,
    async () => {
      const t = await request(
        h,
        { path: `/api/scaffolder/v2/tasks/${id}` },
        seen,
      );
      return ['completed', 'failed', 'cancelled'].includes(t.body.status)
        ? t.body
        : undefined;
    },
    120000,
  );
  const events = await request(
    h,
    { path: `/api/scaffolder/v2/tasks/${id}/events` },
    seen,
  );
  const completion = events.body.find?.(e => e.type === 'completion');
  return {
    outcome: task.status,
    status: 201,
    message: completion?.body?.error?.message ?? '',
  };
}

function treeHash(dir) {
  const hash = crypto.createHash('sha256');
  for (const f of fs.readdirSync(dir, { recursive: true }).sort()) {
    const p = path.join(dir, f);
    hash.update(f);
    if (fs.statSync(p).isFile()) hash.update(fs.readFileSync(p));
  }
  return hash.digest('hex');
}

function runCli(h, c) {
  const dir = fs.mkdtempSync(path.join(h.tmp, 'cli-'));
  fs.cpSync(
    path.join(shared, 'reference/validated-patterns/multicloud-gitops'),
    dir,
    { recursive: true },
  );
  for (const [f, text] of Object.entries(c.files ?? {}))
    fs.writeFileSync(path.join(dir, f), text);
  const before = treeHash(dir);
  const r = spawnSync(
    process.execPath,
    [
      path.join(
        root,
        'plugins/scaffolder-backend-module-multicloud-gitops/bin/multicloud-gitops-pattern',
      ),
      ...c.args.map(a => a.replace('{dir}', dir)),
    ],
    { cwd: h.tmp, encoding: 'utf8', timeout: 60000 },
  );
  return {
    exit: r.status,
    stderr: r.stderr,
    unchanged: treeHash(dir) === before,
    // A stack trace is an unhandled error, whatever the exit code says.
    stack: /\n\s+at .+\(.+:\d+:\d+\)/.test(r.stderr),
  };
}

/**
 * One user opens `n` push streams, a hundred at a time (a thousand connects at once would
 * overflow the listen backlog, which says nothing about the backend); returns each answer's
 * status and the first refusal's message, then closes them all.
 */
async function openStreams(h, n, seen) {
  const controllers = [];
  // Held until the end: fetch closes a response that is collected before its body is read.
  const held = [];
  const statuses = [];
  let refusal = '';
  for (let i = 0; i < n; i += 100) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(100, n - i) }, async () => {
        const ac = new AbortController();
        controllers.push(ac);
        const open = () =>
          fetch(`${h.base}/api/multicloud-gitops/v1/events`, {
            headers: { authorization: `Bearer ${h.token}` },
            signal: ac.signal,
          });
        try {
          // A kept-alive connection the server closes as idle just as the next request goes
          // out on it fails before the backend sees the request; a browser sends it again.
          const res = await open().catch(e =>
            e.cause?.code === 'UND_ERR_SOCKET' ? open() : Promise.reject(e),
          );
          held.push(res);
          if (res.status !== 200) {
            const text = await res.text();
            seen.push(text);
            if (!refusal) refusal = errorMessage(JSON.parse(text));
          }
          return res.status;
        } catch (e) {
          return `error ${e.cause?.code ?? e.message}`;
        }
      }),
    );
    statuses.push(...batch);
  }
  controllers.forEach(ac => ac.abort());
  held.length = 0;
  return { statuses, refusal };
}

/** Runs one case; returns {ok, fiveHundred, detail}. */
async function runCase(h, c, seen) {
  const e = c.expect;
  if (c.kind === 'http') {
    const r = await request(h, c, seen);
    const msg = errorMessage(r.body);
    const ok = r.status === e.status && (!e.message || msg.includes(e.message));
    return {
      ok,
      fiveHundred: r.status >= 500,
      detail: `${r.status} ${msg.slice(0, 160)}`,
    };
  }
  if (c.kind === 'entity') {
    const q = encodeURIComponent(c.entity);
    const answers = [];
    for (const p of [
      `/api/multicloud-gitops/v1/entity-topology?entityRef=${q}`,
      `/api/multicloud-gitops/v1/fleet?entityRef=${q}`,
    ])
      answers.push(await request(h, { path: p }, seen));
    const ok = answers.every(
      r => r.status === e.status && errorMessage(r.body).includes(e.message),
    );
    return {
      ok,
      fiveHundred: answers.some(r => r.status >= 500),
      detail: answers
        .map(r => `${r.status} ${errorMessage(r.body).slice(0, 100)}`)
        .join(' | '),
    };
  }
  if (c.kind === 'task') {
    const before = repoState(h.repos);
    const r = await runTask(h, { ...c, values: expand(c.values) }, seen);
    // A control case (valid input) writes its repository; every other case writes nothing.
    const unchanged =
      e.outcome === 'completed' || repoState(h.repos) === before;
    const ok =
      r.outcome === e.outcome &&
      (!e.message || r.message.includes(e.message)) &&
      unchanged;
    return {
      ok,
      fiveHundred: r.status >= 500,
      detail: `${r.outcome}${
        unchanged ? '' : ', a repository changed'
      }: ${r.message.slice(0, 160)}`,
    };
  }
  if (c.kind === 'cli') {
    const r = runCli(h, c);
    seen.push(r.stderr);
    const ok =
      r.exit === e.exit &&
      r.stderr.includes(e.message) &&
      r.unchanged &&
      !r.stack;
    return {
      ok,
      fiveHundred: r.stack,
      detail: `exit ${r.exit}${r.unchanged ? '' : ', files changed'}${
        r.stack ? ', stack trace' : ''
      }: ${r.stderr.trim().split('\n')[0].slice(0, 160)}`,
    };
  }
  if (c.kind === 'push') {
    const { statuses, refusal } = await openStreams(h, c.streams, seen);
    const counts = {};
    for (const s of statuses) counts[s] = (counts[s] ?? 0) + 1;
    const refused = counts[e.status] ?? 0;
    const ok =
      refused > 0 &&
      (counts[200] ?? 0) > 0 &&
      refused + (counts[200] ?? 0) === c.streams &&
      refusal.includes(e.message);
    return {
      ok,
      fiveHundred: Object.keys(counts).some(s => Number(s) >= 500),
      detail: `${JSON.stringify(counts)} ${refusal.slice(0, 120)}`,
    };
  }
  if (c.kind === 'upstream') {
    // The hub has served the object since the backend started (see writeUpstream).
    const name = c.object?.metadata?.name;
    const r = await request(
      h,
      { path: `/api/multicloud-gitops/v1/topology?hub=${UPSTREAM_HUB}` },
      seen,
    );
    const cluster = r.body?.clusters?.find(x => x.name === name);
    const acm = r.body?.sources?.find(x => x.name === 'acm');
    let ok = r.status === 200 && acm?.state === 'ok';
    let detail;
    if (e.outcome === 'skipped') {
      // Named in the backend's log with what is wrong, and counted in the source's state.
      const warned = h.backend
        .output()
        .split('\n')
        .some(l => l.includes(`${name}: ${e.message}`));
      ok = ok && !cluster && warned && acm.skipped > 0;
      detail = `${r.status}, ${cluster ? 'shown' : 'not shown'}, ${
        warned ? 'warned' : 'no warning naming it'
      }, acm ${acm?.state} (${acm?.skipped ?? 0} skipped)`;
    } else {
      ok = ok && !!cluster && (!e.status || cluster.status === e.status);
      detail = `${r.status}, ${
        cluster ? `shown as ${cluster.status}` : 'not shown'
      }, acm ${acm?.state}`;
    }
    return { ok, fiveHundred: r.status >= 500, detail };
  }
  throw new Error(`case ${c.id}: unknown kind ${c.kind}`);
}

/** The hub of the suite's example backend, which serves the `upstream` cases' objects. */
const UPSTREAM_HUB = 'hub';

module.exports = { runCase, alive, expand };
