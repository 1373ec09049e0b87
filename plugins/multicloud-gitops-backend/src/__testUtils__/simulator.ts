/*
 * The fleet simulator as the backend plugin's tests reach it: its calls with a token, its
 * admin API, the hub config that points the plugin at it, and the stand-in services a
 * test backend serves the plugin with.
 */
import {
  AuditorService,
  coreServices,
  createServiceFactory,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import type { RunningSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import http from 'node:http';
import { countingCatalog } from './services';

/**
 * Six managed clusters (available, unavailable and pending import) in two groups, four
 * applications each: the fleet whose shape the plugin's own tests assert.
 */
export const SIX_CLUSTER_FLEET = {
  clusters: 6,
  groups: 2,
  appsPerCluster: 4,
  seed: 7,
};

/** Resolves with the first truthy value of `fn`, checked every 100 ms. */
export async function until<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 100));
  }
}

/**
 * A call of the simulator with its token, through node's http (jest has no global fetch to
 * IP hosts here); resolves with the parsed JSON answer, undefined for an empty one.
 */
export function simCall(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<any> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
        },
      },
      res => {
        let text = '';
        res.on('data', c => {
          text += c;
        });
        res.on('end', () => resolve(text ? JSON.parse(text) : undefined));
      },
    );
    req.on('error', reject);
    req.end(body === undefined ? undefined : JSON.stringify(body));
  });
}

/** A request to the simulator's admin API (`/_simulator/<path>`): faults, mutations, tokens. */
export async function simAdmin(
  sim: RunningSimulator,
  path: string,
  body?: unknown,
  method = 'POST',
): Promise<{ ok: boolean; status: number; text: string; body: any }> {
  const res = await fetch(`${sim.url}/_simulator/${path}`, {
    method,
    headers: {
      authorization: `Bearer ${sim.token}`,
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: any;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  return { ok: res.ok, status: res.status, text, body: parsed };
}

/** An Argo CD instance of the simulator, serving the given clusters or its own. */
export const simArgocd = (
  sim: RunningSimulator,
  name = 'hub-gitops',
  url = sim.argocd.url,
  clusters?: string[],
) => ({
  name,
  url,
  username: sim.argocd.username,
  password: sim.argocd.password,
  ...(clusters ? { clusters } : {}),
});

/** The hub `hub` on the simulator, read with the given token and its Search polled each second. */
export const simHub = (
  sim: RunningSimulator,
  serviceAccountToken: string,
  argocd = [simArgocd(sim)],
) => ({
  name: 'hub',
  title: 'Test hub',
  url: sim.url,
  skipTLSVerify: true,
  serviceAccountToken,
  search: { url: sim.searchUrl, pollIntervalSeconds: 1 },
  argocd,
});

/**
 * Anonymous requests without a token, as in a real backend; the given permission policy and
 * auditor; the test catalog.
 */
export const testServiceFactories = (
  permissions: PermissionsService,
  auditor?: AuditorService,
) => [
  mockServices.httpAuth.factory({
    defaultCredentials: mockCredentials.none(),
  }),
  createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => permissions,
  }),
  createServiceFactory({
    service: catalogServiceRef,
    deps: {},
    factory: () => countingCatalog().service,
  }),
  ...(auditor
    ? [
        createServiceFactory({
          service: coreServices.auditor,
          deps: {},
          factory: () => auditor,
        }),
      ]
    : []),
];

/**
 * Registers the teardown of a file's backend and simulator: after all its tests both are
 * stopped; with a policy, after each test reads are allowed again and no fault is injected.
 */
export function simulatorTeardown(
  current: () => { server?: any; sim?: RunningSimulator },
  policy?: { denyReads: boolean },
) {
  afterAll(async () => {
    const { server, sim } = current();
    await server?.stop?.();
    await sim?.stop();
  }, 30000);
  if (policy)
    afterEach(async () => {
      policy.denyReads = false;
      const { sim } = current();
      const res = await simAdmin(sim!, 'faults', undefined, 'DELETE');
      if (!res.ok)
        throw new Error(`clearing the faults: ${res.status} ${res.text}`);
    });
}
