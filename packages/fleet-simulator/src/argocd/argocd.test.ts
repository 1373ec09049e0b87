import { RunningSimulator, startSimulator } from '../index';
import {
  expectValid,
  firstSpoke,
  request,
  stream,
  waitFor,
} from '../testUtils';

jest.setTimeout(20000);

describe('Argo CD REST API', () => {
  let sim: RunningSimulator;
  let spoke: string;
  let session: string;
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 4,
      appsPerCluster: 6,
      seed: 'argo',
    });
    spoke = await firstSpoke(sim);
    const s = await request('POST', `${sim.argocd.url}/api/v1/session`, {
      body: { username: sim.argocd.username, password: sim.argocd.password },
    });
    session = s.json.token;
  });
  afterAll(() => sim.stop());

  it('creates sessions, reports userinfo and rejects bad credentials', async () => {
    const s = await request('POST', `${sim.argocd.url}/api/v1/session`, {
      body: { username: 'admin', password: 'fleet-simulator' },
    });
    expect(s.status).toBe(200);
    expect(s.json.token.split('.')).toHaveLength(3);
    expect(s.headers['set-cookie']?.[0]).toMatch(/^argocd\.token=/);
    const who = await request(
      'GET',
      `${sim.argocd.url}/api/v1/session/userinfo`,
      { token: s.json.token },
    );
    expect(who.json).toMatchObject({
      loggedIn: true,
      username: 'admin',
      iss: 'argocd',
    });
    const bad = await request('POST', `${sim.argocd.url}/api/v1/session`, {
      body: { username: 'admin', password: 'nope' },
    });
    expect(bad.status).toBe(401);
    expect(bad.json).toMatchObject({
      error: 'Invalid username or password',
      code: 16,
      message: 'Invalid username or password',
    });
    // a session belongs to the instance that issued it
    const elsewhere = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications`,
      { token: s.json.token },
    );
    expect(elsewhere.status).toBe(401);
    const viaCookie = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications`,
      { headers: { Cookie: `argocd.token=${s.json.token}` } },
    );
    expect(viaCookie.status).toBe(200);
  });

  it('answers 401 with {error,code,message} without or with a bad token', async () => {
    const none = await request('GET', `${sim.argocd.url}/api/v1/applications`);
    expect(none.status).toBe(401);
    expect(none.json).toMatchObject({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
    const bad = await request('GET', `${sim.argocd.url}/api/v1/applications`, {
      token: 'x.y.z',
    });
    expect(bad.status).toBe(401);
    expect(bad.json.code).toBe(16);
  });

  it('lists apps sorted by name, without TypeMeta, filtered by name/projects/selector/repo/appNamespace', async () => {
    const all = await request('GET', `${sim.argocd.url}/api/v1/applications`, {
      token: session,
    });
    const names = all.json.items.map((a: any) => a.metadata.name);
    expect(names).toEqual([...names].sort());
    expect(all.json.metadata.resourceVersion).toMatch(/^\d+$/);
    expect(all.json.items[0].kind).toBeUndefined();
    expect(all.json.items[0].apiVersion).toBeUndefined();
    const byName = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?name=vault`,
      { token: session },
    );
    expect(byName.json.items.map((a: any) => a.metadata.name)).toEqual([
      'vault',
    ]);
    const projects = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?projects=config-demo&projects=hello-world`,
      { token: session },
    );
    expect(projects.json.items.map((a: any) => a.metadata.name)).toEqual([
      'config-demo',
      'hello-world',
    ]);
    const sel = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?selector=${encodeURIComponent(
        'app.kubernetes.io/instance=multicloud-gitops-hub',
      )}`,
      { token: session },
    );
    expect(sel.json.items).toHaveLength(5);
    const repo = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?repo=${encodeURIComponent(
        'https://github.com/validatedpatterns/multicloud-gitops',
      )}`,
      { token: session },
    );
    // exact match on the first source: the path apps, and the multi-source ones (app of
    // apps, chart apps) whose first source is the pattern repo as a ref
    expect(repo.json.items.map((a: any) => a.metadata.name)).toEqual([
      'acm',
      'config-demo',
      'golang-external-secrets',
      'hello-world',
      'multicloud-gitops-hub',
      'vault',
    ]);
    // ... so the chart repo, a second source, matches none
    const charts = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?repo=${encodeURIComponent(
        'https://charts.validatedpatterns.io',
      )}`,
      { token: session },
    );
    expect(charts.json.items).toEqual([]);
    const ns = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?appNamespace=elsewhere`,
      { token: session },
    );
    expect(ns.json.items).toEqual([]);
    const badSel = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?selector=${encodeURIComponent(
        'a in (',
      )}`,
      { token: session },
    );
    expect(badSel.status).toBe(400);
    expect(badSel.json.code).toBe(3);
  });

  it('projects list fields through the allow-list only', async () => {
    const r = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?fields=${encodeURIComponent(
        'items.metadata.name,items.status.sync.status,items.status.history,items.status.reconciledAt,items.spec.destination',
      )}`,
      { token: session },
    );
    expect(Object.keys(r.json)).toEqual(
      expect.arrayContaining(['items', 'metadata']),
    );
    for (const a of r.json.items) {
      expect(Object.keys(a).sort()).toEqual(['metadata', 'spec', 'status']);
      expect(Object.keys(a.metadata)).toEqual(['name']);
      expect(Object.keys(a.status)).toEqual(['sync']); // history and reconciledAt cannot be projected
      expect(Object.keys(a.spec)).toEqual(['destination']);
    }
    const none = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?name=missing&fields=items.metadata.name`,
      { token: session },
    );
    expect(none.json.items).toBeNull();
    // a leading "-" excludes; each allow-listed path is its own entry (as upstream)
    const exclude = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?fields=-items.status.resources,items.metadata.labels`,
      { token: session },
    );
    expect(exclude.json.items[0].metadata.labels).toBeUndefined();
    expect(exclude.json.items[0].metadata.name).toBeTruthy();
    expect(exclude.json.items[0].status.resources).toBeUndefined();
    expect(exclude.json.items[0].status.history).toBeUndefined();
    expect(exclude.json.items[0].status.sync.status).toBeTruthy();
  });

  it('emulates the fields allow-list of older releases (FLEET_SIMULATOR_ARGOCD_VERSION)', async () => {
    process.env.FLEET_SIMULATOR_ARGOCD_VERSION = 'v3.3';
    const old = await startSimulator({ clusters: 0 });
    delete process.env.FLEET_SIMULATOR_ARGOCD_VERSION;
    try {
      expect(
        (await request('GET', `${old.argocd.url}/api/version`)).json.Version,
      ).toMatch(/^v3\.3\./);
      const r = await request(
        'GET',
        `${old.argocd.url}/api/v1/applications?fields=items.metadata.name,items.spec.destination,items.status.sync.revision`,
        { token: old.token },
      );
      // spec.destination and status.sync.revision are projectable from v3.5 only
      expect(
        r.json.items.every((a: any) => Object.keys(a).join() === 'metadata'),
      ).toBe(true);
      const now = await request(
        'GET',
        `${sim.argocd.url}/api/v1/applications?fields=items.metadata.name,items.spec.destination`,
        { token: session },
      );
      expect(now.json.items[0].spec.destination).toBeTruthy();
    } finally {
      await old.stop();
    }
    await expect(
      (async () => {
        process.env.FLEET_SIMULATOR_ARGOCD_VERSION = 'v9';
        try {
          await startSimulator({ clusters: 0 });
        } finally {
          delete process.env.FLEET_SIMULATOR_ARGOCD_VERSION;
        }
      })(),
    ).rejects.toThrow(/must be one of/);
  });

  it('hides missing apps behind 403 unless a project is given', async () => {
    const missing = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/nope`,
      { token: session },
    );
    expect(missing.status).toBe(403);
    expect(missing.json).toMatchObject({
      error: 'permission denied',
      code: 7,
      message: 'permission denied',
    });
    const withProject = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/nope?project=default`,
      { token: session },
    );
    expect(withProject.status).toBe(404);
    expect(withProject.json).toMatchObject({
      code: 5,
      message: 'applications.argoproj.io "nope" not found',
    });
    const ok = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/vault`,
      { token: session },
    );
    expect(ok.status).toBe(200);
    expect(ok.json.status.history.length).toBeGreaterThan(0);
  });

  it('runs a sync operation that completes over time, 400 while one is running', async () => {
    const base = `${sim.argocdUrl(spoke)}/api/v1/applications`;
    const r = await request('POST', `${base}/config-demo/sync`, {
      token: sim.token,
      body: { revision: 'main', prune: true },
    });
    expect(r.status).toBe(200);
    // Argo CD records the commit `main` resolved to, not the branch name
    expect(r.json.operation.sync).toMatchObject({ prune: true });
    expect(r.json.operation.sync.revision).toMatch(/^[0-9a-f]{40}$/);
    expect(r.json.status.operationState.phase).toBe('Running');
    const again = await request('POST', `${base}/config-demo/sync`, {
      token: sim.token,
      body: {},
    });
    expect(again.status).toBe(400);
    expect(again.json).toMatchObject({
      code: 9,
      message: 'another operation is already in progress',
    });
    const historyBefore = r.json.status.history.length;
    const done = await waitFor(async () => {
      const g = await request('GET', `${base}/config-demo`, {
        token: sim.token,
      });
      return g.json.status.operationState.phase === 'Succeeded' && g.json;
    });
    expect(done.operation).toBeUndefined();
    expectValid({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...done,
    });
    expectValid({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...r.json,
    });
    expect(done.status.sync.status).toBe('Synced');
    expect(done.status.sync.revision).toBe(r.json.operation.sync.revision);
    expect(done.status.history.length).toBe(historyBefore + 1);
    const ro = await request('POST', `${base}/hello-world/sync`, {
      token: sim.readOnlyToken,
      body: {},
    });
    expect(ro.status).toBe(403);
    expect(ro.json.code).toBe(7);
  });

  it('serves a resource tree', async () => {
    const r = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/hello-world/resource-tree`,
      { token: session },
    );
    expect(r.status).toBe(200);
    const kinds = r.json.nodes.map((n: any) => n.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['Deployment', 'ReplicaSet', 'Pod', 'Service']),
    );
    const pod = r.json.nodes.find((n: any) => n.kind === 'Pod');
    expect(pod.parentRefs[0].kind).toBe('ReplicaSet');
    expect(pod.health.status).toBeTruthy();
    const parent = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/multicloud-gitops-hub/resource-tree`,
      { token: session },
    );
    expect(
      parent.json.nodes.filter((n: any) => n.kind === 'Application'),
    ).toHaveLength(5);
  });

  it('streams application changes as server-sent events', async () => {
    setTimeout(
      () =>
        request('POST', `${sim.url}/_simulator/mutate`, {
          token: sim.token,
          body: {
            op: 'app-state',
            cluster: spoke,
            app: 'hello-world',
            health: 'Degraded',
          },
        }),
      200,
    );
    const s = await stream(
      `${sim.argocdUrl(spoke)}/api/v1/stream/applications?name=hello-world`,
      sim.token,
      t => t.includes('MODIFIED'),
    );
    const events = s.text
      .split('\n\n')
      .filter(Boolean)
      .map(e => {
        expect(e.startsWith('data: ')).toBe(true);
        return JSON.parse(e.slice(6)).result;
      });
    expect(events[0].type).toBe('ADDED');
    expect(events[0].application.metadata.name).toBe('hello-world');
    const mod = events.find(e => e.type === 'MODIFIED');
    expect(mod.application.status.health.status).toBe('Degraded');
  });

  it('answers unknown instances and routes with Argo-shaped errors', async () => {
    const r = await request(
      'GET',
      `${sim.argocdUrl('no-such-cluster')}/api/v1/applications`,
      { token: sim.token },
    );
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ code: 5 });
    const route = await request('GET', `${sim.argocd.url}/api/v1/nothing`, {
      token: sim.token,
    });
    expect(route.json).toMatchObject({
      error: 'Not Found',
      code: 5,
      message: 'Not Found',
    });
    const badJson = await request('POST', `${sim.argocd.url}/api/v1/session`, {
      raw: '{nope',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.json.code).toBe(3);
  });
});
