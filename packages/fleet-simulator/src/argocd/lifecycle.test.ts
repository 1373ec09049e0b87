import { RunningSimulator, startSimulator } from '../index';
import { expectValid, request, waitFor } from '../testUtils';

jest.setTimeout(20000);

const SHA = /^[0-9a-f]{40}$/;

describe('Argo CD API: revisions, sync, update and delete', () => {
  let sim: RunningSimulator;
  let api: string;
  const get = (path: string, token = sim.token) =>
    request('GET', `${api}${path}`, { token });
  beforeAll(async () => {
    sim = await startSimulator({ clusters: 2, appsPerCluster: 4, seed: 'lc' });
    api = `${sim.argocd.url}/api/v1`;
  });
  afterAll(() => sim.stop());

  it('serves the metadata of every commit an app reports, and Argo-shaped errors otherwise', async () => {
    const app = (await get('/applications/config-demo')).json;
    const rev = app.status.sync.revision;
    expect(rev).toMatch(SHA);
    const m = await get(`/applications/config-demo/revisions/${rev}/metadata`);
    expect(m.status).toBe(200);
    expect(Object.keys(m.json).sort()).toEqual(['author', 'date', 'message']);
    const deployed = app.status.history.find((h: any) => h.revision === rev);
    expect(Date.parse(m.json.date)).toBeLessThan(
      Date.parse(deployed.deployStartedAt),
    );
    const again = await get(
      `/applications/config-demo/revisions/${rev}/metadata`,
    );
    expect(again.json).toEqual(m.json);

    const ref = await get('/applications/config-demo/revisions/main/metadata');
    expect(ref.status).toBe(500);
    expect(ref.json).toEqual({
      error: 'revision main must be resolved',
      code: 2,
      message: 'revision main must be resolved',
      details: [],
    });
    const unknown = await get(
      `/applications/config-demo/revisions/${'0'.repeat(40)}/metadata`,
    );
    expect(unknown.status).toBe(500);
    expect(unknown.json.code).toBe(13);
    expect(unknown.json.message).toMatch(/^Failed to checkout revision 0{40}/);

    // multi-source: source 0 is the pattern repo, source 1 the chart (whose version is not a commit)
    const vault = (await get('/applications/vault')).json;
    const [commit, chartVersion] = vault.status.sync.revisions;
    const first = await get(
      `/applications/vault/revisions/${commit}/metadata?sourceIndex=0`,
    );
    expect(first.status).toBe(200);
    const chart = await get(
      `/applications/vault/revisions/${chartVersion}/metadata?sourceIndex=1`,
    );
    expect(chart.status).toBe(500);
    expect(chart.json.message).toBe(
      `revision ${chartVersion} must be resolved`,
    );
    const outOfRange = await get(
      `/applications/vault/revisions/${commit}/metadata?sourceIndex=2`,
    );
    expect(outOfRange.json.message).toBe(
      'error getting app source by source index and version ID: source index 2 not found because there are only 2 sources',
    );
    const noVersion = await get(
      `/applications/config-demo/revisions/${rev}/metadata?versionId=99999`,
    );
    expect(noVersion.status).toBe(500);
    expect(noVersion.json.message).toMatch(
      /revision history not found for version ID 99999$/,
    );
    const hidden = await get(`/applications/nope/revisions/${rev}/metadata`);
    expect(hidden.status).toBe(403);
  });

  it('syncs to the commit a branch resolves to, and refuses another revision while auto-sync is on', async () => {
    const r = await request('POST', `${api}/applications/hello-world/sync`, {
      token: sim.token,
      body: {},
    });
    expect(r.status).toBe(200);
    const commit = r.json.operation.sync.revision;
    expect(commit).toMatch(SHA);
    const done = await waitFor(async () => {
      const g = (await get('/applications/hello-world')).json;
      return g.status.operationState.phase === 'Succeeded' && g;
    });
    expect(done.status.sync.revision).toBe(commit);
    expect(done.status.operationState.syncResult.revision).toBe(commit);
    expect(done.status.history[done.status.history.length - 1].revision).toBe(
      commit,
    );
    expectValid({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...done,
    });
    const meta = await get(
      `/applications/hello-world/revisions/${commit}/metadata`,
    );
    expect(meta.status).toBe(200);
    expect(meta.json.author).toMatch(/@/);

    // the branch has not moved: a second sync lands on the same commit
    const second = await request(
      'POST',
      `${api}/applications/hello-world/sync`,
      { token: sim.token, body: { revision: 'main' } },
    );
    expect(second.json.operation.sync.revision).toBe(commit);
    await waitFor(
      async () =>
        (
          await get('/applications/hello-world')
        ).json.status.operationState.phase === 'Succeeded',
    );

    const pinned = await request(
      'POST',
      `${api}/applications/hello-world/sync`,
      { token: sim.token, body: { revision: 'feature' } },
    );
    expect(pinned.status).toBe(400);
    expect(pinned.json).toMatchObject({
      code: 9,
      message: 'Cannot sync to feature: auto-sync currently set to main',
    });

    // multi-source: one revision per source, the chart at the release its range resolved to
    const vault = (await get('/applications/vault')).json;
    const multi = await request('POST', `${api}/applications/vault/sync`, {
      token: sim.token,
      body: {},
    });
    expect(multi.status).toBe(200);
    expect(multi.json.operation.sync.revision).toBeUndefined();
    expect(multi.json.operation.sync.revisions).toEqual([
      expect.stringMatching(SHA),
      vault.status.sync.revisions[1],
    ]);
  });

  it('syncs a chart to an exact version as given, and refuses a range no release is in', async () => {
    const acm = (await get('/applications/acm')).json;
    const withChart = (targetRevision: string) => ({
      ...acm,
      spec: {
        ...acm.spec,
        sources: [
          acm.spec.sources[0],
          { ...acm.spec.sources[1], targetRevision },
        ],
      },
    });
    const put = (targetRevision: string) =>
      request('PUT', `${api}/applications/acm`, {
        token: sim.token,
        body: withChart(targetRevision),
      });
    expect((await put('9.9.*')).status).toBe(200);
    const none = await request('POST', `${api}/applications/acm/sync`, {
      token: sim.token,
      body: {},
    });
    expect(none.status).toBe(400);
    expect(none.json).toMatchObject({
      code: 9,
      message: `no chart version of acm in ${acm.spec.sources[1].repoURL} satisfies 9.9.*`,
    });
    expect((await put('0.2.3')).status).toBe(200);
    const exact = await request('POST', `${api}/applications/acm/sync`, {
      token: sim.token,
      body: {},
    });
    expect(exact.status).toBe(200);
    expect(exact.json.operation.sync.revisions[1]).toBe('0.2.3');
  });

  it('updates an application spec as PUT does, validating it against its project', async () => {
    const app = (await get('/applications/config-demo')).json;
    const moved = {
      ...app,
      metadata: { ...app.metadata, labels: { team: 'demo' } },
      spec: {
        ...app.spec,
        source: { ...app.spec.source, path: 'charts/all/config-demo-v2' },
      },
    };
    const r = await request('PUT', `${api}/applications/config-demo`, {
      token: sim.token,
      body: moved,
    });
    expect(r.status).toBe(200);
    expect(r.json.spec.source.path).toBe('charts/all/config-demo-v2');
    expect(r.json.metadata.labels).toEqual({ team: 'demo' });
    expect(r.json.metadata.generation).toBe(app.metadata.generation + 1);
    expect(r.json.status.sync.status).toBe('OutOfSync');
    expectValid({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      ...r.json,
    });

    const noProject = await request('PUT', `${api}/applications/config-demo`, {
      token: sim.token,
      body: { ...moved, spec: { ...moved.spec, project: 'ghost' } },
    });
    expect(noProject.status).toBe(400);
    expect(noProject.json.message).toBe(
      'application references project ghost which does not exist',
    );
    // narrow the project's repos, then an app elsewhere is refused unless validate=false
    const proj = (await get('/projects/hello-world')).json;
    await request('PUT', `${api}/projects/hello-world`, {
      token: sim.token,
      body: {
        project: {
          ...proj,
          spec: { ...proj.spec, sourceRepos: [app.spec.source.repoURL] },
        },
      },
    });
    const hw = (await get('/applications/hello-world')).json;
    const foreign = {
      ...hw,
      spec: {
        ...hw.spec,
        source: { ...hw.spec.source, repoURL: 'https://example.com/fork.git' },
      },
    };
    const refused = await request('PUT', `${api}/applications/hello-world`, {
      token: sim.token,
      body: foreign,
    });
    expect(refused.status).toBe(400);
    expect(refused.json.message).toBe(
      "application spec for hello-world is invalid: InvalidSpecError: application repo https://example.com/fork.git is not permitted in project 'hello-world'",
    );
    const unchecked = await request(
      'PUT',
      `${api}/applications/hello-world?validate=false`,
      { token: sim.token, body: foreign },
    );
    expect(unchecked.status).toBe(200);
    const ro = await request('PUT', `${api}/applications/hello-world`, {
      token: sim.readOnlyToken,
      body: hw,
    });
    expect(ro.status).toBe(403);
    const hidden = await request('PUT', `${api}/applications/nope`, {
      token: sim.token,
      body: hw,
    });
    expect(hidden.status).toBe(403);
  });

  it('deletes an app of apps with its children, after the finalizer has run', async () => {
    const parent = (await get('/applications/multicloud-gitops-hub')).json;
    const children = parent.status.resources
      .filter((r: any) => r.kind === 'Application')
      .map((r: any) => r.name);
    expect(children.length).toBeGreaterThan(0);
    const bad = await request(
      'DELETE',
      `${api}/applications/multicloud-gitops-hub?cascade=false&propagationPolicy=background`,
      { token: sim.token },
    );
    expect(bad.status).toBe(400);
    expect(bad.json.message).toBe(
      'cannot set propagation policy when cascading is disabled',
    );
    const policy = await request(
      'DELETE',
      `${api}/applications/multicloud-gitops-hub?propagationPolicy=orphan`,
      { token: sim.token },
    );
    expect(policy.json.message).toBe('invalid propagation policy: orphan');
    const ro = await request(
      'DELETE',
      `${api}/applications/multicloud-gitops-hub`,
      { token: sim.readOnlyToken },
    );
    expect(ro.status).toBe(403);

    const del = await request(
      'DELETE',
      `${api}/applications/multicloud-gitops-hub?cascade=true`,
      { token: sim.token },
    );
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    const deleting = (await get('/applications/multicloud-gitops-hub')).json;
    expect(deleting.metadata.deletionTimestamp).toBeDefined();
    expect(deleting.metadata.finalizers).toContain(
      'resources-finalizer.argocd.argoproj.io',
    );
    const sync = await request(
      'POST',
      `${api}/applications/multicloud-gitops-hub/sync`,
      { token: sim.token, body: {} },
    );
    expect(sync.status).toBe(400);
    expect(sync.json.message).toBe('application is deleting');

    // the controller removes what the app deployed, then the finalizer; its child
    // Applications carry the finalizer too and go once their own resources are gone
    const names = async () =>
      (await get('/applications')).json.items.map((a: any) => a.metadata.name);
    const left = await waitFor(async () => {
      const now: string[] = await names();
      return (
        ['multicloud-gitops-hub', ...children].every(n => !now.includes(n)) &&
        now
      );
    });
    expect(left).not.toContain('multicloud-gitops-hub');
    const hidden = await get(
      '/applications/multicloud-gitops-hub?project=default',
    );
    expect(hidden.status).toBe(404);
  });

  it('deletes at once without cascade, leaving what the app deployed', async () => {
    const spoke = sim.argocdUrl(
      (
        await request(
          'GET',
          `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
          { token: sim.token },
        )
      ).json.items.find(
        (m: any) =>
          !m.metadata.labels['local-cluster'] && m.spec.hubAcceptsClient,
      ).metadata.name,
    );
    const del = await request(
      'DELETE',
      `${spoke}/api/v1/applications/hello-world?cascade=false`,
      { token: sim.token },
    );
    expect(del.status).toBe(200);
    const after = await request(
      'GET',
      `${spoke}/api/v1/applications/hello-world?project=hello-world`,
      { token: sim.token },
    );
    expect(after.status).toBe(404);
  });
});
