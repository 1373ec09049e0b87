import fs from 'fs';
import os from 'os';
import { dirname, join } from 'path';
import { AppsV1Api, CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from '../index';
import { request, stream } from '../testUtils';

jest.setTimeout(30000);

const MC_PATH = '/apis/cluster.open-cluster-management.io/v1/managedclusters';
const HELLO = `labelSelector=${encodeURIComponent(
  'backstage.io/kubernetes-id=hello-world',
)}`;

describe('cluster proxy', () => {
  let sim: RunningSimulator;
  let hub: string;
  let spokes: string[];
  let unavailable: string;
  let pending: string;

  const admin = (body: unknown) =>
    request('POST', `${sim.url}/_simulator/mutate`, {
      token: sim.token,
      body,
    });
  const proxy = (
    cluster: string,
    path: string,
    opts: { token?: string; method?: string } = { token: sim.token },
  ) =>
    request(opts.method ?? 'GET', `${sim.clusterProxyUrl}/${cluster}${path}`, {
      token: opts.token,
    });

  beforeAll(async () => {
    sim = await startSimulator({ clusters: 6, groups: 2, seed: 'proxy' });
    const mcs = (
      await request('GET', `${sim.url}${MC_PATH}`, { token: sim.token })
    ).json.items;
    const available = (mc: any) =>
      mc.status?.conditions?.find(
        (c: any) => c.type === 'ManagedClusterConditionAvailable',
      )?.status;
    hub = mcs.find((m: any) => m.metadata.labels['local-cluster'] === 'true')
      .metadata.name;
    spokes = mcs
      .filter((m: any) => m.metadata.name !== hub && available(m) === 'True')
      .map((m: any) => m.metadata.name);
    unavailable = mcs.find((m: any) => available(m) === 'Unknown').metadata
      .name;
    pending = mcs.find((m: any) => !m.spec.hubAcceptsClient).metadata.name;
  });
  afterAll(() => sim.stop());

  it('lists the hello-world pods of each spoke, named per cluster and deterministic by seed', async () => {
    expect(spokes.length).toBeGreaterThanOrEqual(2);
    const [a, b] = spokes;
    const names: Record<string, string[]> = {};
    for (const c of [a, b]) {
      const r = await proxy(c, `/api/v1/pods?${HELLO}`);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: expect.stringMatching(/^\d+$/) },
      });
      expect(r.json.items.length).toBeGreaterThan(0);
      for (const p of r.json.items) {
        expect(p.kind).toBeUndefined();
        expect(p.apiVersion).toBeUndefined();
        expect(p.metadata.namespace).toBe('hello-world');
        expect(p.metadata.labels['backstage.io/kubernetes-id']).toBe(
          'hello-world',
        );
        expect(p.spec.containers[0].image).toBe('ubi9/httpd-24:latest');
      }
      names[c] = r.json.items.map((p: any) => p.metadata.name);
      const ns = await proxy(c, `/api/v1/namespaces/hello-world/pods?${HELLO}`);
      expect(ns.json.items.map((p: any) => p.metadata.name)).toEqual(names[c]);
    }
    expect(names[a]).not.toEqual(names[b]);
    expect(names[a].some(n => names[b].includes(n))).toBe(false);

    const again = await startSimulator({
      clusters: 6,
      groups: 2,
      seed: 'proxy',
    });
    try {
      const r = await request(
        'GET',
        `${again.clusterProxyUrl}/${a}/api/v1/pods?${HELLO}`,
        { token: again.token },
      );
      expect(r.json.items.map((p: any) => p.metadata.name)).toEqual(names[a]);
    } finally {
      await again.stop();
    }
  });

  it('serves the rest of the workload kinds, set-based selectors and gets by name', async () => {
    const c = spokes[0];
    const sel = `labelSelector=${encodeURIComponent(
      'backstage.io/kubernetes-id in (hello-world,config-demo)',
    )}`;
    const deps = await proxy(c, `/apis/apps/v1/deployments?${sel}`);
    expect(deps.json.kind).toBe('DeploymentList');
    expect(deps.json.apiVersion).toBe('apps/v1');
    expect(deps.json.items.map((d: any) => d.metadata.name)).toEqual([
      'config-demo',
      'hello-world',
    ]);
    for (const [path, listKind] of [
      ['/api/v1/services', 'ServiceList'],
      ['/apis/apps/v1/replicasets', 'ReplicaSetList'],
      ['/apis/networking.k8s.io/v1/ingresses', 'IngressList'],
      ['/api/v1/configmaps', 'ConfigMapList'],
    ]) {
      const r = await proxy(c, `${path}?${HELLO}`);
      expect(r.json.kind).toBe(listKind);
      expect(r.json.items).toHaveLength(1);
    }
    for (const [path, listKind] of [
      ['/apis/apps/v1/statefulsets', 'StatefulSetList'],
      ['/apis/apps/v1/daemonsets', 'DaemonSetList'],
      ['/apis/batch/v1/jobs', 'JobList'],
      ['/apis/batch/v1/cronjobs', 'CronJobList'],
      [
        '/apis/autoscaling/v2/horizontalpodautoscalers',
        'HorizontalPodAutoscalerList',
      ],
      ['/api/v1/limitranges', 'LimitRangeList'],
      ['/api/v1/resourcequotas', 'ResourceQuotaList'],
    ]) {
      const r = await proxy(c, `${path}?${HELLO}`);
      expect(r.status).toBe(200);
      expect(r.json).toMatchObject({ kind: listKind, items: [] });
    }
    const ing = await proxy(c, `/apis/networking.k8s.io/v1/ingresses?${HELLO}`);
    expect(ing.json.items[0].spec.rules[0].host).toContain(`.apps.${c}.`);

    const dep = await proxy(
      c,
      '/apis/apps/v1/namespaces/hello-world/deployments/hello-world',
    );
    expect(dep.status).toBe(200);
    expect(dep.json).toMatchObject({
      kind: 'Deployment',
      apiVersion: 'apps/v1',
      metadata: { name: 'hello-world', namespace: 'hello-world' },
    });
    const missing = await proxy(
      c,
      '/apis/apps/v1/namespaces/hello-world/deployments/nope',
    );
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'deployments.apps "nope" not found',
    });
    const other = await proxy(c, `/api/v1/namespaces/other/pods?${HELLO}`);
    expect(other.json.items).toEqual([]);
  });

  it('works as a cluster URL for @kubernetes/client-node', async () => {
    const c = spokes[0];
    const kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [
        { name: c, server: `${sim.clusterProxyUrl}/${c}`, skipTLSVerify: true },
      ],
      users: [{ name: 'u', token: sim.token }],
      contexts: [{ name: 'ctx', cluster: c, user: 'u' }],
      currentContext: 'ctx',
    });
    const pods = await kc.makeApiClient(CoreV1Api).listPodForAllNamespaces({
      labelSelector: 'backstage.io/kubernetes-id=config-demo',
    });
    expect(pods.items).toHaveLength(2);
    expect(pods.items[0].status?.phase).toBe('Running');
    const deps = await kc
      .makeApiClient(AppsV1Api)
      .listNamespacedDeployment({ namespace: 'config-demo' });
    expect(deps.items.map(d => d.metadata?.name)).toEqual(['config-demo']);
  });

  it('pages with limit and continue', async () => {
    const c = spokes[0];
    const all = (await proxy(c, '/api/v1/pods')).json.items.map(
      (p: any) => p.metadata.name,
    );
    expect(all.length).toBeGreaterThan(2);
    const first = await proxy(c, '/api/v1/pods?limit=2');
    expect(first.json.items).toHaveLength(2);
    expect(first.json.metadata.remainingItemCount).toBe(all.length - 2);
    const rest = await proxy(
      c,
      `/api/v1/pods?continue=${encodeURIComponent(
        first.json.metadata.continue,
      )}`,
    );
    expect(
      [...first.json.items, ...rest.json.items].map(
        (p: any) => p.metadata.name,
      ),
    ).toEqual(all);
    expect(rest.json.metadata.continue).toBeUndefined();
    expect((await proxy(c, '/api/v1/pods?continue=garbage')).status).toBe(400);
  });

  it('reaches the hub through its own ManagedCluster, serving what the hub API serves', async () => {
    const viaProxy = await proxy(hub, `/api/v1/pods?${HELLO}`);
    const direct = await request('GET', `${sim.url}/api/v1/pods?${HELLO}`, {
      token: sim.token,
    });
    expect(viaProxy.status).toBe(200);
    expect(viaProxy.json.items.length).toBeGreaterThan(0);
    expect(viaProxy.json.items.map((p: any) => p.metadata.name)).toEqual(
      direct.json.items.map((p: any) => p.metadata.name),
    );
  });

  it('answers discovery for the proxied cluster', async () => {
    const c = spokes[0];
    const version = await proxy(c, '/version');
    expect(version.json.gitVersion).toMatch(/^v1\.\d+\.\d+/);
    const api = await proxy(c, '/api');
    expect(api.json).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    expect(api.json.serverAddressByClientCIDRs[0].serverAddress).toBe(
      `api.${c}.fleet.example.com:6443`,
    );
    const groups = (await proxy(c, '/apis')).json.groups.map(
      (g: any) => g.name,
    );
    expect(groups).toEqual(
      expect.arrayContaining(['apps', 'batch', 'autoscaling']),
    );
    expect(groups).not.toContain('cluster.open-cluster-management.io');
    const core = (await proxy(c, '/api/v1')).json.resources.map(
      (r: any) => r.name,
    );
    expect(core).toEqual(expect.arrayContaining(['pods', 'services']));
    expect(core).not.toContain('secrets');
  });

  it('needs a valid hub token', async () => {
    const c = spokes[0];
    const none = await proxy(c, '/api/v1/pods', { token: undefined });
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({ kind: 'Status', reason: 'Unauthorized' });
    expect((await proxy(c, '/version', { token: undefined })).status).toBe(401);
    expect((await proxy(c, '/api/v1/pods', { token: 'wrong' })).status).toBe(
      401,
    );
    expect(
      (await proxy(c, '/api/v1/pods', { token: sim.readOnlyToken })).status,
    ).toBe(200);
    await request('POST', `${sim.url}/_simulator/tokens/revoke`, {
      token: sim.token,
      body: { token: sim.readOnlyToken },
    });
    try {
      const revoked = await proxy(c, '/api/v1/pods', {
        token: sim.readOnlyToken,
      });
      expect(revoked.status).toBe(401);
      expect(revoked.json.reason).toBe('Unauthorized');
    } finally {
      await request('POST', `${sim.url}/_simulator/tokens/restore`, {
        token: sim.token,
        body: { token: sim.readOnlyToken },
      });
    }
  });

  it('answers 404 for an unknown cluster and 503 for one it cannot reach', async () => {
    const unknown = await proxy('no-such-cluster', '/api/v1/pods');
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    expect(unknown.json.message).toContain('"no-such-cluster"');

    for (const c of [unavailable, pending]) {
      const r = await proxy(c, '/api/v1/pods');
      expect(r.status).toBe(503);
      expect(r.json).toMatchObject({
        kind: 'Status',
        reason: 'ServiceUnavailable',
      });
      expect(r.json.message).toContain(
        `cluster "${c}" cannot be reached through the cluster proxy`,
      );
    }

    const c = spokes[0];
    expect(
      (await admin({ op: 'cluster-unavailable', cluster: c })).status,
    ).toBe(200);
    try {
      expect((await proxy(c, `/api/v1/pods?${HELLO}`)).status).toBe(503);
    } finally {
      await admin({ op: 'cluster-available', cluster: c });
    }
    expect((await proxy(c, `/api/v1/pods?${HELLO}`)).status).toBe(200);
  });

  it('is read-only: writes get 405, unknown resources 404, watches 405', async () => {
    const c = spokes[0];
    for (const [method, path] of [
      ['POST', '/api/v1/namespaces/hello-world/pods'],
      ['DELETE', '/api/v1/namespaces/hello-world/pods/x'],
      ['PUT', '/apis/apps/v1/namespaces/hello-world/deployments/hello-world'],
      ['PATCH', '/apis/apps/v1/namespaces/hello-world/deployments/hello-world'],
    ]) {
      const r = await proxy(c, path, { token: sim.token, method });
      expect(r.status).toBe(405);
      expect(r.json).toMatchObject({
        kind: 'Status',
        reason: 'MethodNotAllowed',
      });
    }
    for (const path of [
      '/api/v1/secrets',
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
      '/apis/nothing.example.com/v1/things',
      '/api/v1/pods/name-without-namespace',
      '/api/v1/namespaces/hello-world/pods/x/log',
    ]) {
      const r = await proxy(c, path);
      expect(r.status).toBe(404);
      expect(r.json).toMatchObject({ kind: 'Status', reason: 'NotFound' });
    }
    expect((await proxy(c, '/api/v1/pods?watch=true')).status).toBe(405);
  });

  it("shows the application's health in its pods, and no workloads while the app is Missing", async () => {
    const c = spokes[1];
    const pods = async () =>
      (await proxy(c, `/api/v1/pods?${HELLO}`)).json.items as any[];
    const before = await pods();
    const set = (health: string) =>
      admin({ op: 'app-state', cluster: c, app: 'hello-world', health });

    expect((await set('Degraded')).status).toBe(200);
    const degraded = await pods();
    expect(degraded.map(p => p.metadata.name)).toEqual(
      before.map(p => p.metadata.name),
    );
    const crashing = degraded.find(
      p =>
        p.status.containerStatuses[0].state.waiting?.reason ===
        'CrashLoopBackOff',
    );
    expect(crashing).toBeDefined();
    expect(
      crashing.status.conditions.find((x: any) => x.type === 'Ready').status,
    ).toBe('False');
    const dep = (
      await proxy(
        c,
        '/apis/apps/v1/namespaces/hello-world/deployments/hello-world',
      )
    ).json;
    expect(
      dep.status.conditions.find((x: any) => x.type === 'Available').status,
    ).toBe('False');

    expect((await set('Missing')).status).toBe(200);
    expect(await pods()).toEqual([]);

    expect((await set('Healthy')).status).toBe(200);
    const healthy = await pods();
    expect(healthy.map(p => p.metadata.name)).toEqual(
      before.map(p => p.metadata.name),
    );
    for (const p of healthy)
      expect(
        p.status.conditions.find((x: any) => x.type === 'Ready').status,
      ).toBe('True');
  });

  it('applies injected cluster-proxy faults to the targeted cluster only', async () => {
    const [a, b] = spokes;
    await request('POST', `${sim.url}/_simulator/faults`, {
      token: sim.token,
      body: { family: 'cluster-proxy', status: 502, instance: a },
    });
    try {
      const r = await proxy(a, '/api/v1/pods');
      expect(r.status).toBe(502);
      expect(r.json.kind).toBe('Status');
      expect((await proxy(b, '/api/v1/pods')).status).toBe(200);
    } finally {
      await request('DELETE', `${sim.url}/_simulator/faults`, {
        token: sim.token,
      });
    }
  });

  it('relabels a ManagedCluster with the cluster-labels op, seen by watches as MODIFIED', async () => {
    const c = spokes[0];
    const rv = (
      await request('GET', `${sim.url}${MC_PATH}`, { token: sim.token })
    ).json.metadata.resourceVersion;
    const watch = stream(
      `${sim.url}${MC_PATH}?watch=true&resourceVersion=${rv}`,
      sim.token,
      text => text.split('\n').filter(Boolean).length >= 2,
    );
    const set = await admin({
      op: 'cluster-labels',
      cluster: c,
      labels: { 'example.com/team': 'payments', clusterGroup: null },
    });
    expect(set.status).toBe(200);
    expect(set.json.labels['example.com/team']).toBe('payments');
    expect(set.json.labels.clusterGroup).toBeUndefined();
    const removed = await admin({
      op: 'cluster-labels',
      cluster: c,
      labels: { 'example.com/team': null },
    });
    expect(removed.status).toBe(200);
    // nothing left to change: no write, so the resourceVersion stays
    const noop = await admin({
      op: 'cluster-labels',
      cluster: c,
      labels: { 'example.com/team': null },
    });
    expect(noop.json.resourceVersion).toBe(removed.json.resourceVersion);
    const events = (await watch).text
      .split('\n')
      .filter(Boolean)
      .map(l => JSON.parse(l));
    expect(events.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['MODIFIED', c],
      ['MODIFIED', c],
    ]);
    expect(events[0].object.metadata.labels['example.com/team']).toBe(
      'payments',
    );
    expect(events[0].object.metadata.labels.clusterGroup).toBeUndefined();
    expect(
      events[1].object.metadata.labels['example.com/team'],
    ).toBeUndefined();
    const mc = (
      await request('GET', `${sim.url}${MC_PATH}/${c}`, { token: sim.token })
    ).json;
    expect(mc.metadata.labels['example.com/team']).toBeUndefined();
    expect(mc.metadata.labels.cloud).toBeDefined();
  });

  it.each([
    [{ cluster: 7, labels: { a: 'b' } }, /cluster is required/],
    [{}, /labels must be an object/],
    [{ labels: ['a'] }, /labels must be an object/],
    [{ labels: {} }, /at least one label/],
    [{ labels: { team: 5 } }, /must be a string \(set\) or null \(remove\)/],
    [{ labels: { 'bad key!': 'x' } }, /invalid label key "bad key!"/],
    [{ labels: { 'Example.COM/team': 'x' } }, /invalid label key/],
    [{ labels: { [`${'a'.repeat(64)}`]: 'x' } }, /no more than 63/],
    [{ labels: { team: '-starts-with-dash' } }, /invalid value/],
    [{ labels: { team: 'x'.repeat(64) } }, /invalid value/],
  ])('rejects bad cluster-labels input %j with 400', async (input, message) => {
    const r = await admin({
      op: 'cluster-labels',
      cluster: spokes[0],
      ...input,
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(message);
  });

  it('answers 404 to cluster-labels for an unknown cluster', async () => {
    const r = await admin({
      op: 'cluster-labels',
      cluster: 'no-such-cluster',
      labels: { a: 'b' },
    });
    expect(r.status).toBe(404);
    expect(r.json.message).toContain('"no-such-cluster"');
  });

  it('forgets a ManagedCluster deleted through the hub API (DELETED event, then 404)', async () => {
    const c = spokes[spokes.length - 1];
    expect((await proxy(c, `/api/v1/pods?${HELLO}`)).json.items.length).toBe(1);
    const rv = (
      await request('GET', `${sim.url}${MC_PATH}`, { token: sim.token })
    ).json.metadata.resourceVersion;
    const watch = stream(
      `${sim.url}${MC_PATH}?watch=true&resourceVersion=${rv}`,
      sim.token,
      text => text.includes('"DELETED"'),
    );
    const del = await request('DELETE', `${sim.url}${MC_PATH}/${c}`, {
      token: sim.token,
    });
    expect(del.status).toBe(200);
    const ev = JSON.parse(
      (await watch).text.split('\n').find(l => l.includes('"DELETED"'))!,
    );
    expect(ev.object.metadata.name).toBe(c);
    const gone = await proxy(c, `/api/v1/pods?${HELLO}`);
    expect(gone.status).toBe(404);
  });
});

const managedCluster = (name: string, labels: Record<string, string>) => ({
  apiVersion: 'cluster.open-cluster-management.io/v1',
  kind: 'ManagedCluster',
  metadata: { name, labels },
  spec: {
    hubAcceptsClient: true,
    managedClusterClientConfigs: [
      { url: `https://api.${name}.example.com:6443` },
    ],
  },
  status: {
    conditions: [
      {
        type: 'ManagedClusterConditionAvailable',
        status: 'True',
        reason: 'ManagedClusterAvailable',
        message: 'Managed cluster is available',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ],
  },
});

const pod = (name: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: {
    name,
    namespace: 'team',
    labels: { 'backstage.io/kubernetes-id': 'team-app' },
  },
  spec: { containers: [{ name: 'app', image: 'app:1' }] },
  status: { phase: 'Running' },
});

describe('cluster proxy over fixtures (a hub not named local-cluster)', () => {
  let sim: RunningSimulator;
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'fleet-proxy-'));
    const write = (rel: string, obj: unknown) => {
      fs.mkdirSync(dirname(join(dir, rel)), { recursive: true });
      fs.writeFileSync(join(dir, rel), JSON.stringify(obj));
    };
    write('hub/managedclusters.json', {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        managedCluster('prod-hub', { 'local-cluster': 'true' }),
        managedCluster('edge-1', { clusterGroup: 'edge' }),
      ],
    });
    write('hub/pods.json', pod('hub-pod'));
    write('clusters/edge-1/pods.json', pod('edge-pod'));
    sim = await startSimulator({ clusters: 0, fixtures: dir });
  });
  afterAll(async () => {
    await sim.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const names = async (cluster: string) => {
    const r = await request(
      'GET',
      `${sim.clusterProxyUrl}/${cluster}/api/v1/namespaces/team/pods`,
      { token: sim.token },
    );
    return {
      status: r.status,
      names: r.json.items?.map((p: any) => p.metadata.name),
    };
  };

  it("serves the hub's objects through the hub's ManagedCluster, whatever its name", async () => {
    expect(await names('prod-hub')).toEqual({
      status: 200,
      names: ['hub-pod'],
    });
    expect((await names('local-cluster')).status).toBe(404);
  });

  it("serves a spoke's dumped objects through its name", async () => {
    expect(await names('edge-1')).toEqual({ status: 200, names: ['edge-pod'] });
  });
});
