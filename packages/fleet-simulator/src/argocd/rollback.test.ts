import { RunningSimulator, startSimulator } from '../index';
import { expectValid, firstSpoke, request, waitFor } from '../testUtils';

jest.setTimeout(20000);

describe('Argo CD rollback and managed resources', () => {
  let sim: RunningSimulator;
  let spoke: string;
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 3,
      appsPerCluster: 4,
      seed: 'rollback',
    });
    spoke = await firstSpoke(sim);
  });
  afterAll(() => sim.stop());

  let instance = '';
  const base = () => `${instance}/api/v1/applications`;
  const get = async (name: string) =>
    (await request('GET', `${base()}/${name}`, { token: sim.token })).json;
  const settled = (name: string) =>
    waitFor(async () => {
      const a = await get(name);
      return a.status.operationState?.phase !== 'Running' && a;
    });

  it('rolls back to a history entry as a sync to its revision, appending history; refuses while auto-sync is on', async () => {
    // the hub's instance, whose projects exist, so the application can be updated
    instance = sim.argocd.url;
    const app = await get('hello-world');
    expect(app.spec.syncPolicy.automated).toBeDefined();
    const first = app.status.history[app.status.history.length - 1];
    const refused = await request('POST', `${base()}/hello-world/rollback`, {
      token: sim.token,
      body: { id: first.id },
    });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({
      code: 9,
      message: 'rollback cannot be initiated when auto-sync is enabled',
    });

    // turn auto-sync off, then move to another commit so there is something to go back to
    const manual = JSON.parse(JSON.stringify(app));
    delete manual.spec.syncPolicy.automated;
    const put = await request('PUT', `${base()}/hello-world`, {
      token: sim.token,
      body: manual,
    });
    expect(put.json.message).toBeUndefined();
    expect(put.status).toBe(200);
    const moved = await request('POST', `${base()}/hello-world/sync`, {
      token: sim.token,
      body: { revision: 'release-2.1' },
    });
    expect(moved.status).toBe(200);
    const after = await settled('hello-world');
    const newRevision = after.status.sync.revision;
    expect(newRevision).not.toBe(first.revision);

    const missing = await request('POST', `${base()}/hello-world/rollback`, {
      token: sim.token,
      body: { id: 999 },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.message).toBe(
      'application hello-world does not have deployment with id 999',
    );
    const denied = await request('POST', `${base()}/hello-world/rollback`, {
      token: sim.readOnlyToken,
      body: { id: first.id },
    });
    expect(denied.status).toBe(403);

    const r = await request('POST', `${base()}/hello-world/rollback`, {
      token: sim.token,
      body: { id: first.id, prune: false },
    });
    expect(r.status).toBe(200);
    expect(r.json.operation.sync).toMatchObject({
      revision: first.revision,
      source: first.source,
    });
    const done = await settled('hello-world');
    expectValid({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...done,
    });
    // Argo CD still compares with the target afterwards: the application is OutOfSync at
    // the target's commit, and its history says which commit runs.
    expect(done.status.sync).toMatchObject({
      status: 'OutOfSync',
      revision: newRevision,
    });
    expect(done.status.operationState.syncResult.revision).toBe(first.revision);
    const last = done.status.history[done.status.history.length - 1];
    expect(last).toMatchObject({
      id: after.status.history[after.status.history.length - 1].id + 1,
      revision: first.revision,
    });
    expect(last.deployedAt).toMatch(/Z$/);
  });

  it('serves managed resources with desired and live manifests, the live one drifted where OutOfSync', async () => {
    instance = sim.argocdUrl(spoke);
    const admin = await request('POST', `${sim.url}/_simulator/mutate`, {
      token: sim.token,
      body: {
        op: 'app-state',
        cluster: spoke,
        app: 'config-demo',
        sync: 'OutOfSync',
      },
    });
    expect(admin.status).toBe(200);
    const r = await request('GET', `${base()}/config-demo/managed-resources`, {
      token: sim.token,
    });
    expect(r.status).toBe(200);
    const items: any[] = r.json.items;
    expect(items.length).toBeGreaterThan(0);
    const modified = items.filter(i => i.modified);
    expect(modified).toHaveLength(1);
    const m = modified[0];
    const target = JSON.parse(m.targetState);
    const live = JSON.parse(m.liveState);
    expect(target).toMatchObject({ kind: m.kind, metadata: { name: m.name } });
    expect(live).not.toEqual(target);
    expect(JSON.parse(m.predictedLiveState)).toEqual(target);
    for (const same of items.filter(i => !i.modified))
      expect(JSON.parse(same.liveState)).toEqual(JSON.parse(same.targetState));
    const one = await request(
      'GET',
      `${base()}/config-demo/managed-resources?kind=${m.kind}&name=${m.name}`,
      { token: sim.token },
    );
    expect(one.json.items.map((i: any) => i.name)).toEqual([m.name]);
  });
});
