// Long because it drives the admin API end to end against one running simulator: each fault
// and counter is checked through the HTTP API a test or a demo uses.
import http from 'http';
import { RunningSimulator, startSimulator } from '../index';
import { request, stream, waitFor } from '../testUtils';

/** The raw answer as the client saw it: bytes received, and whether it arrived whole. */
function rawAnswer(
  method: string,
  url: string,
  token: string,
  body?: unknown,
): Promise<{
  status: number;
  headers: http.IncomingHttpHeaders;
  bytes: Buffer;
  complete: boolean;
}> {
  return new Promise((resolve, reject) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      url,
      {
        method,
        agent: false,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(text ? { 'Content-Type': 'application/json' } : {}),
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', c => chunks.push(c));
        res.on('error', () => {});
        res.on('close', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            bytes: Buffer.concat(chunks),
            complete: res.complete,
          }),
        );
      },
    );
    req.on('error', reject);
    if (text) req.write(text);
    req.end();
  });
}

jest.setTimeout(20000);

describe('admin API', () => {
  let sim: RunningSimulator;
  let spoke: string;
  const admin = (method: string, path: string, body?: unknown) =>
    request(method, `${sim.url}/_simulator/${path}`, {
      token: sim.token,
      body,
    });
  const k8s = (path: string, token = sim.token) =>
    request('GET', `${sim.url}${path}`, { token });

  beforeAll(async () => {
    sim = await startSimulator({ clusters: 5, seed: 'admin' });
    const mcs = await k8s(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    spoke = mcs.json.items.find(
      (m: any) =>
        m.metadata.labels.clusterGroup === 'group-one' &&
        m.status.conditions?.some(
          (c: any) =>
            c.type === 'ManagedClusterConditionAvailable' &&
            c.status === 'True',
        ),
    ).metadata.name;
  });
  afterAll(() => sim.stop());
  afterEach(() => admin('DELETE', 'faults'));

  it('needs the full-rights token', async () => {
    expect(
      (await request('GET', `${sim.url}/_simulator/counters`)).status,
    ).toBe(401);
    expect(
      (
        await request('GET', `${sim.url}/_simulator/counters`, {
          token: sim.readOnlyToken,
        })
      ).status,
    ).toBe(403);
    expect((await admin('GET', 'nothing')).status).toBe(404);
  });

  it('counts requests per route family and resets the counters', async () => {
    await admin('POST', 'counters/reset');
    await k8s('/apis/cluster.open-cluster-management.io/v1/managedclusters');
    await k8s(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters/local-cluster',
    );
    await request('POST', sim.searchUrl, {
      token: sim.token,
      body: { query: '{ messages { id } }' },
    });
    await request('POST', `${sim.argocd.url}/api/v1/session`, {
      body: { username: 'admin', password: 'fleet-simulator' },
    });
    await request('GET', `${sim.argocd.url}/api/v1/applications`, {
      token: sim.token,
    });
    await request('GET', `${sim.argocd.url}/api/v1/applications/vault`, {
      token: sim.token,
    });
    const c = (await admin('GET', 'counters')).json;
    expect(c).toMatchObject({
      'k8s.list': 1,
      'k8s.get': 1,
      'k8s.watch': 0,
      'k8s.write': 0,
      search: 1,
      'argocd.session': 1,
      'argocd.list': 1,
      'argocd.get': 1,
      'argocd.sync': 0,
      'argocd.stream': 0,
    });
    expect(
      c.detail['k8s.list managedclusters.cluster.open-cluster-management.io'],
    ).toBe(1);
    const r = (await admin('POST', 'counters/reset')).json;
    expect(r['k8s.list']).toBe(0);
  });

  it('injects error statuses shaped like each upstream, by family and instance', async () => {
    expect(
      (await admin('POST', 'faults', { family: 'k8s', status: 503 })).status,
    ).toBe(200);
    const k = await k8s(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    expect(k.status).toBe(503);
    expect(k.json).toMatchObject({
      kind: 'Status',
      code: 503,
      reason: 'ServiceUnavailable',
    });
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications`, {
          token: sim.token,
        })
      ).status,
    ).toBe(200);
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', { family: 'search', status: 500 });
    const s = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: { query: '{ messages { id } }' },
    });
    expect(s.status).toBe(500);
    expect(JSON.parse(s.text).message).toBeTruthy();
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', {
      family: 'argocd',
      status: 503,
      instance: spoke,
    });
    const a = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications`,
      { token: sim.token },
    );
    expect(a.status).toBe(503);
    expect(a.json).toMatchObject({
      code: 14,
      error: expect.any(String),
      message: expect.any(String),
    });
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications`, {
          token: sim.token,
        })
      ).status,
    ).toBe(200);
    const c = (await admin('GET', 'counters')).json;
    expect(c['errors.injected']).toBeGreaterThanOrEqual(3);
  });

  it('applies a fault rate, added latency and dropped connections', async () => {
    await admin('POST', 'faults', { family: 'all', status: 500, rate: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) statuses.push((await k8s('/version')).status);
    const fails = statuses.filter(s => s === 500).length;
    expect(fails).toBeGreaterThan(5);
    expect(fails).toBeLessThan(35);
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', { family: 'k8s', latencyMs: 300 });
    const t = Date.now();
    expect((await k8s('/version')).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(280);
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', { family: 'search', dropConnections: true });
    await expect(
      request('POST', sim.searchUrl, {
        token: sim.token,
        body: { query: '{ messages { id } }' },
      }),
    ).rejects.toThrow();
    await admin('DELETE', 'faults');
    const bad = await admin('POST', 'faults', { family: 'dns', status: 500 });
    expect(bad.status).toBe(400);
    expect(bad.json.message).toMatch(/family/);
  });

  it('cuts a Search answer off mid-body and closes the connection', async () => {
    const query = { query: '{ messages { id } }' };
    const whole = await rawAnswer('POST', sim.searchUrl, sim.token, query);
    expect(whole.complete).toBe(true);
    expect(JSON.parse(whole.bytes.toString()).data).toBeDefined();

    await admin('POST', 'faults', { family: 'search', truncate: true });
    const half = await rawAnswer('POST', sim.searchUrl, sim.token, query);
    expect(half.status).toBe(200);
    expect(half.complete).toBe(false);
    // the headers promise the whole answer; half of it arrives, then the close
    expect(Number(half.headers['content-length'])).toBe(whole.bytes.length);
    expect(half.bytes.length).toBe(Math.floor(whole.bytes.length / 2));
    expect(whole.bytes.subarray(0, half.bytes.length)).toEqual(half.bytes);
    expect(() => JSON.parse(half.bytes.toString())).toThrow();
    // other families answer whole
    expect((await k8s('/version')).status).toBe(200);
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', { family: 'search', truncateBytes: 10 });
    const ten = await rawAnswer('POST', sim.searchUrl, sim.token, query);
    expect(ten.complete).toBe(false);
    expect(ten.bytes).toEqual(whole.bytes.subarray(0, 10));
    await admin('DELETE', 'faults');

    expect(
      (await rawAnswer('POST', sim.searchUrl, sim.token, query)).complete,
    ).toBe(true);
    const c = (await admin('GET', 'counters')).json;
    expect(c['errors.injected']).toBeGreaterThanOrEqual(2);
  });

  it('streams an oversized answer: a valid list of exactly the bytes asked, by family', async () => {
    const bytes = 3 * 1024 * 1024 + 7;
    // a client following the application stream meets the fault when it lists again
    const open = stream(
      `${sim.argocd.url}/api/v1/stream/applications`,
      sim.token,
      () => false,
      5000,
    );
    await waitFor(async () =>
      (await admin('GET', 'counters')).json['argocd.stream'] > 0
        ? true
        : undefined,
    );
    await admin('POST', 'faults', { family: 'argocd', oversizeBytes: bytes });
    expect((await open).ended).toBe(true);
    const argo = await rawAnswer(
      'GET',
      `${sim.argocd.url}/api/v1/applications`,
      sim.token,
    );
    expect(argo.status).toBe(200);
    expect(argo.complete).toBe(true);
    // streamed as a large list is: chunked, no length announced
    expect(argo.headers['content-length']).toBeUndefined();
    expect(argo.headers['transfer-encoding']).toBe('chunked');
    expect(argo.bytes.length).toBe(bytes);
    const list = JSON.parse(argo.bytes.toString());
    expect(list.items.length).toBeGreaterThan(3000);
    expect(list.items[0].metadata.name).toBe('padding-00000000');
    // the fault is per family: the hub API still answers normally
    expect(
      (await k8s('/apis/cluster.open-cluster-management.io/v1/managedclusters'))
        .json.kind,
    ).toBe('ManagedClusterList');
    await admin('DELETE', 'faults');

    await admin('POST', 'faults', { family: 'search', oversizeBytes: 4096 });
    const search = await rawAnswer('POST', sim.searchUrl, sim.token, {
      query: '{ messages { id } }',
    });
    expect(search.bytes.length).toBe(4096);
    expect(
      JSON.parse(search.bytes.toString()).data.searchResult[0].items.length,
    ).toBeGreaterThan(0);
    await admin('DELETE', 'faults');
  });

  it('refuses a malformed truncation or oversize fault, adding nothing', async () => {
    for (const [body, message] of [
      [{ family: 'search', truncateBytes: -1 }, /truncateBytes/],
      [{ family: 'search', oversizeBytes: 10 }, /oversizeBytes/],
      [{ family: 'k8s', oversizeBytes: 2 ** 31 }, /oversizeBytes/],
      [{ family: 'search', truncate: true, oversizeBytes: 4096 }, /one of/],
      [{ family: 'search', truncate: true, status: 500 }, /one of/],
    ] as const) {
      const r = await admin('POST', 'faults', body);
      expect(r.status).toBe(400);
      expect(r.json.message).toMatch(message);
    }
    expect((await admin('GET', 'faults')).json.faults).toEqual([]);
  });

  it('revokes and restores tokens on every API', async () => {
    await admin('POST', 'tokens/revoke', { token: sim.readOnlyToken });
    expect(
      (
        await k8s(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          sim.readOnlyToken,
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await request('POST', sim.searchUrl, {
          token: sim.readOnlyToken,
          body: { query: '{ messages { id } }' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications`, {
          token: sim.readOnlyToken,
        })
      ).status,
    ).toBe(401);
    await admin('POST', 'tokens/restore', { token: sim.readOnlyToken });
    expect(
      (
        await k8s(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          sim.readOnlyToken,
        )
      ).status,
    ).toBe(200);
    // Argo CD session tokens can be revoked too
    const s = (
      await request('POST', `${sim.argocd.url}/api/v1/session`, {
        body: { username: 'admin', password: 'fleet-simulator' },
      })
    ).json.token;
    await admin('POST', 'tokens/revoke', { token: s });
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications`, {
          token: s,
        })
      ).status,
    ).toBe(401);
  });

  it('sets a cluster unavailable and back, visible in list, watch and search', async () => {
    const list = await k8s(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    const rv = list.json.metadata.resourceVersion;
    const watch = stream(
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?watch=true&resourceVersion=${rv}`,
      sim.token,
      t => t.includes('ManagedClusterLeaseUpdateStopped'),
    );
    expect(
      (
        await admin('POST', 'mutate', {
          op: 'cluster-unavailable',
          cluster: spoke,
        })
      ).status,
    ).toBe(200);
    expect((await watch).text).toContain(`"name":"${spoke}"`);
    const mc = await k8s(
      `/apis/cluster.open-cluster-management.io/v1/managedclusters/${spoke}`,
    );
    expect(
      mc.json.status.conditions.find(
        (c: any) => c.type === 'ManagedClusterConditionAvailable',
      ),
    ).toMatchObject({
      status: 'Unknown',
      reason: 'ManagedClusterLeaseUpdateStopped',
    });
    expect(mc.json.spec.taints[0].key).toBe(
      'cluster.open-cluster-management.io/unreachable',
    );
    const info = await k8s(
      `/apis/internal.open-cluster-management.io/v1beta1/namespaces/${spoke}/managedclusterinfos/${spoke}`,
    );
    expect(info.json.status.nodeList).toEqual([]);
    const q = {
      query: `{ search(input: [{ filters: [{ property: "kind", values: ["Cluster"] }, { property: "name", values: ["${spoke}"] }] }]) { items } }`,
    };
    expect(
      (await request('POST', sim.searchUrl, { token: sim.token, body: q })).json
        .data.search[0].items[0].ManagedClusterConditionAvailable,
    ).toBe('Unknown');
    const decision = await k8s(
      '/apis/cluster.open-cluster-management.io/v1beta1/placementdecisions?labelSelector=cluster.open-cluster-management.io/placement%3Dgroup-one-placement',
    );
    expect(
      decision.json.items[0].status.decisions.map((d: any) => d.clusterName),
    ).not.toContain(spoke);

    await admin('POST', 'mutate', { op: 'cluster-available', cluster: spoke });
    const back = await k8s(
      `/apis/cluster.open-cluster-management.io/v1/managedclusters/${spoke}`,
    );
    expect(back.json.spec.taints).toBeUndefined();
    const info2 = await k8s(
      `/apis/internal.open-cluster-management.io/v1beta1/namespaces/${spoke}/managedclusterinfos/${spoke}`,
    );
    expect(info2.json.status.nodeList.length).toBeGreaterThan(0);
    expect(
      (
        await admin('POST', 'mutate', {
          op: 'cluster-unavailable',
          cluster: 'nope',
        })
      ).status,
    ).toBe(404);
    expect((await admin('POST', 'mutate', { op: 'explode' })).status).toBe(400);
  });

  it('sets an app OutOfSync/Degraded, visible in Argo CD and search', async () => {
    const r = await admin('POST', 'mutate', {
      op: 'app-state',
      cluster: spoke,
      app: 'config-demo',
      sync: 'OutOfSync',
      health: 'Degraded',
    });
    expect(r.status).toBe(200);
    const app = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications/config-demo`,
      { token: sim.token },
    );
    expect(app.json.status.sync.status).toBe('OutOfSync');
    expect(app.json.status.health.status).toBe('Degraded');
    const q = {
      query: `{ search(input: [{ filters: [{ property: "kind", values: ["Application"] }, { property: "cluster", values: ["${spoke}"] }, { property: "name", values: ["config-demo"] }] }]) { items } }`,
    };
    const it = (
      await request('POST', sim.searchUrl, { token: sim.token, body: q })
    ).json.data.search[0].items[0];
    expect(it).toMatchObject({
      syncStatus: 'OutOfSync',
      healthStatus: 'Degraded',
    });
    expect(
      (
        await admin('POST', 'mutate', {
          op: 'app-state',
          cluster: spoke,
          app: 'config-demo',
          health: 'Sick',
        })
      ).status,
    ).toBe(400);
    // hub apps change in the hub k8s API too
    await admin('POST', 'mutate', {
      op: 'app-state',
      cluster: 'local-cluster',
      app: 'vault',
      sync: 'OutOfSync',
    });
    expect(
      (
        await k8s(
          '/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications/vault',
        )
      ).json.status.sync.status,
    ).toBe('OutOfSync');
  });

  it('points an app at another revision, visible in Argo CD and search; refuses a bad one', async () => {
    const r = await admin('POST', 'mutate', {
      op: 'app-state',
      cluster: spoke,
      app: 'hello-world',
      targetRevision: 'release-2.1',
    });
    expect(r.status).toBe(200);
    const app = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications/hello-world`,
      { token: sim.token },
    );
    expect(app.json.spec.source.targetRevision).toBe('release-2.1');
    const q = {
      query: `{ search(input: [{ filters: [{ property: "kind", values: ["Application"] }, { property: "cluster", values: ["${spoke}"] }, { property: "name", values: ["hello-world"] }] }]) { items } }`,
    };
    const it = (
      await request('POST', sim.searchUrl, { token: sim.token, body: q })
    ).json.data.search[0].items[0];
    expect(it.targetRevision).toBe('release-2.1');
    const bad = await admin('POST', 'mutate', {
      op: 'app-state',
      cluster: spoke,
      app: 'hello-world',
      targetRevision: 'main; rm -rf /',
    });
    expect(bad.status).toBe(400);
  });

  it('resets to the initial fleet', async () => {
    await admin('POST', 'mutate', {
      op: 'app-state',
      cluster: spoke,
      app: 'hello-world',
      sync: 'Unknown',
    });
    await request(
      'POST',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      {
        token: sim.token,
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'temp' },
          spec: { hubAcceptsClient: true },
        },
      },
    );
    await admin('POST', 'faults', { family: 'argocd', latencyMs: 1 });
    const before = Number(
      (await k8s('/apis/cluster.open-cluster-management.io/v1/managedclusters'))
        .json.metadata.resourceVersion,
    );
    expect((await admin('POST', 'reset')).status).toBe(200);
    expect(
      (
        await k8s(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters/temp',
        )
      ).status,
    ).toBe(404);
    const app = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications/hello-world`,
      { token: sim.token },
    );
    expect(app.json.status.sync.status).not.toBe('Unknown');
    expect((await admin('GET', 'faults')).json.faults).toEqual([]);
    // resourceVersions keep increasing across a reset, so clients re-list instead of missing changes
    expect(
      Number(
        (
          await k8s(
            '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          )
        ).json.metadata.resourceVersion,
      ),
    ).toBeGreaterThan(before);
    await waitFor(async () => (await admin('GET', 'counters')).status === 200);
  });
});
