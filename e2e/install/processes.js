'use strict';
/*
 * What the install tests share to run things and talk to them: long-running processes started
 * in a process group of their own (so stopping one stops its children too) and waited on until
 * ready, free ports, the fleet simulator, polling until a condition holds, and a JSON client of
 * a backend's API.
 */
const { spawn } = require('node:child_process');
const net = require('node:net');
const path = require('node:path');
const { root } = require('./pack');

/** How often a readiness check or a condition is tried again. */
const POLL_MS = 500;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/**
 * Starts a long-running process in its own group; resolves once `ready(output)` (sync or
 * async; a throw counts as not yet) says so, with { output, stop }. Fails with the end of the
 * output when it exits first or is not ready within `timeoutMs`.
 */
async function startProcess(
  name,
  cmd,
  args,
  opts,
  ready,
  timeoutMs,
  log = () => {},
) {
  const child = spawn(cmd, args, {
    ...opts,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = d => {
    output = (output + d.toString()).slice(-200000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(
        `${name} exited (${child.exitCode}):\n${output.slice(-4000)}`,
      );
    if (Date.now() - started > timeoutMs)
      throw new Error(
        `${name} not ready after ${timeoutMs / 1000} s:\n${output.slice(
          -4000,
        )}`,
      );
    if (
      await Promise.resolve()
        .then(() => ready(output))
        .catch(() => false)
    )
      break;
    await new Promise(r => setTimeout(r, POLL_MS));
  }
  log(`${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    output: () => output,
    stop: () =>
      new Promise(resolve => {
        if (child.exitCode !== null || child.signalCode !== null)
          return resolve();
        child.once('exit', () => resolve());
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          resolve();
        }
        setTimeout(() => {
          try {
            process.kill(-child.pid, 'SIGKILL');
          } catch {}
          resolve();
        }, 10000).unref();
      }),
  };
}

/**
 * Starts the fleet simulator on a free port of 127.0.0.1 over HTTPS with a self-signed
 * certificate, so that the docs' caData keys are exercised as on a real hub. Resolves with
 * { url, ca (the certificate's PEM), env, output, stop }: `env` holds the variables the docs'
 * configs read for the hub, its Search, cluster-proxy and Argo CD, pointing at the simulator.
 */
async function startFleetSimulator({ clusters, groups, seed, token, log }) {
  const port = await freePort();
  const sim = await startProcess(
    'fleet simulator',
    process.execPath,
    [
      path.join(root, 'packages/fleet-simulator/bin/fleet-simulator'),
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--clusters',
      String(clusters),
      '--groups',
      String(groups),
      '--seed',
      String(seed),
      '--token',
      token,
      '--tls',
    ],
    { cwd: root },
    output => /-----END CERTIFICATE-----/.test(output),
    60000,
    log,
  );
  const ca =
    /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(
      sim.output(),
    )[0];
  const url = `https://127.0.0.1:${port}`;
  const env = {
    ACM_HUB_URL: url,
    ACM_HUB_TOKEN: token,
    ACM_HUB_CA_DATA: ca,
    ACM_SEARCH_URL: `${url}/searchapi/graphql`,
    ACM_CLUSTER_PROXY_URL: `${url}/cluster-proxy`,
    ARGOCD_URL: `${url}/argocd/local-cluster`,
    ARGOCD_TOKEN: token,
    ARGOCD_CA_DATA: ca,
  };
  return { ...sim, url, ca, env };
}

/** The readiness check of a Backstage backend at `url`, for startProcess. */
function backendReady(url) {
  return async () => (await fetch(`${url}/.backstage/health/v1/readiness`)).ok;
}

/** Resolves with the first truthy result of `fn` (a throw counts as not yet). */
async function eventually(what, fn, timeoutMs = 60000) {
  const t0 = Date.now();
  let last;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const r = await fn();
      if (r) return r;
    } catch (e) {
      last = e;
    }
    await new Promise(r => setTimeout(r, POLL_MS));
  }
  throw new Error(
    `timed out waiting for ${what}${last ? `: ${last.message}` : ''}`,
  );
}

/**
 * A client of a backend's JSON API: `api(path, init)` fetches `${baseUrl()}${path}` (a function,
 * as the tests learn their port late) with the bearer token `token()` resolves to, or
 * `init.token` when given (null: none), and resolves with { status, body }.
 */
function jsonApi(baseUrl, token) {
  return async (p, { token: given, ...init } = {}) => {
    const bearer = given === undefined ? await token() : given;
    const res = await fetch(`${baseUrl()}${p}`, {
      ...init,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(init.body !== undefined
          ? { 'content-type': 'application/json' }
          : {}),
        ...init.headers,
      },
    });
    return {
      status: res.status,
      body: await res.json().catch(() => undefined),
    };
  };
}

module.exports = {
  freePort,
  startProcess,
  startFleetSimulator,
  backendReady,
  eventually,
  jsonApi,
};
