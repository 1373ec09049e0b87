import { RunningSimulator, startSimulator } from '../index';
import { request } from '../testUtils';

jest.setTimeout(20000);

describe('Argo CD API: projects', () => {
  let sim: RunningSimulator;
  let api: string;
  const get = (path: string, token = sim.token) =>
    request('GET', `${api}${path}`, { token });
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 2,
      appsPerCluster: 4,
      seed: 'proj',
    });
    api = `${sim.argocd.url}/api/v1`;
  });
  afterAll(() => sim.stop());

  it('lists, gets and describes the AppProjects of the instance', async () => {
    const list = await get('/projects', sim.readOnlyToken);
    expect(list.status).toBe(200);
    const names = list.json.items.map((p: any) => p.metadata.name);
    expect(names).toEqual([...names].sort());
    expect(names).toEqual(
      expect.arrayContaining(['default', 'hub', 'config-demo', 'hello-world']),
    );
    expect(list.json.items[0].kind).toBeUndefined();
    const hub = await get('/projects/hub', sim.readOnlyToken);
    expect(hub.status).toBe(200);
    expect(hub.json.spec.sourceRepos).toEqual(['*']);
    expect(hub.json.metadata.resourceVersion).toBeDefined();
    const detailed = await get('/projects/hub/detailed');
    expect(detailed.json.project.metadata.name).toBe('hub');
    const missing = await get('/projects/nope');
    expect(missing.status).toBe(404);
    expect(missing.json).toMatchObject({
      code: 5,
      message: 'appprojects.argoproj.io "nope" not found',
    });
    const create = await request('POST', `${api}/projects`, {
      token: sim.token,
      body: { project: { metadata: { name: 'x' } } },
    });
    expect(create.status).toBe(501);
  });

  it('updates a project unless the update strands its applications or the copy is stale', async () => {
    const proj = (await get('/projects/config-demo')).json;
    const narrowed = {
      project: {
        ...proj,
        spec: { ...proj.spec, destinations: [{ server: '*', namespace: 'x' }] },
      },
    };
    const strands = await request('PUT', `${api}/projects/config-demo`, {
      token: sim.token,
      body: narrowed,
    });
    expect(strands.status).toBe(400);
    expect(strands.json.message).toBe(
      'as a result of project update 1 applications destination became invalid',
    );
    const described = {
      project: { ...proj, spec: { ...proj.spec, description: 'demo apps' } },
    };
    const ro = await request('PUT', `${api}/projects/config-demo`, {
      token: sim.readOnlyToken,
      body: described,
    });
    expect(ro.status).toBe(403);
    const ok = await request('PUT', `${api}/projects/config-demo`, {
      token: sim.token,
      body: described,
    });
    expect(ok.status).toBe(200);
    expect(ok.json.spec.description).toBe('demo apps');
    expect((await get('/projects/config-demo')).json.spec.description).toBe(
      'demo apps',
    );
    // the first copy's resourceVersion is now stale
    const stale = await request('PUT', `${api}/projects/config-demo`, {
      token: sim.token,
      body: described,
    });
    expect(stale.status).toBe(409);
    expect(stale.json.code).toBe(10);
  });

  it('deletes projects that no application uses, never default', async () => {
    const dflt = await request('DELETE', `${api}/projects/default`, {
      token: sim.token,
    });
    expect(dflt.status).toBe(400);
    expect(dflt.json.message).toBe(
      "name 'default' is reserved and cannot be deleted",
    );
    const used = await request('DELETE', `${api}/projects/hub`, {
      token: sim.token,
    });
    expect(used.status).toBe(400);
    expect(used.json.message).toMatch(
      /^project is referenced by \d+ applications$/,
    );
    const missing = await request('DELETE', `${api}/projects/nope`, {
      token: sim.token,
    });
    expect(missing.status).toBe(404);
  });
});
