/*
 * One test per line of the "Simulator checklist" in shared/design/upstream-apis.md.
 * The detailed behaviour is covered next to each part (k8s/, search/, argocd/, fleet/);
 * these tests pin every checklist line in one place.
 */
import { RunningSimulator, startSimulator } from './index';
import { expectValid, request, stream } from './testUtils';

jest.setTimeout(20000);

describe('upstream-apis.md Simulator checklist', () => {
  let sim: RunningSimulator;
  let spoke: string;
  const get = (path: string, token = sim.token) =>
    request('GET', `${sim.url}${path}`, { token });
  const searchItems = async (input: any, token = sim.token) =>
    (
      await request('POST', sim.searchUrl, {
        token,
        body: {
          query:
            'query q($input: [SearchInput]) { search(input: $input) { count items } }',
          variables: { input: [input] },
        },
      })
    ).json.data.search[0];

  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 60,
      appsPerCluster: 20,
      seed: 'checklist',
    });
    const mcs = await get(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    spoke = mcs.json.items.find(
      (m: any) =>
        m.spec.hubAcceptsClient && !m.metadata.labels['local-cluster'],
    ).metadata.name;
  });
  afterAll(() => sim.stop());

  it('1. routes: k8s /apis/{g}/{v}/{res} and namespaced paths, POST /searchapi/graphql, Argo CD session/applications/sync/resource-tree/stream', async () => {
    expect(
      (await get('/apis/cluster.open-cluster-management.io/v1/managedclusters'))
        .status,
    ).toBe(200);
    expect(
      (
        await get(
          '/apis/policy.open-cluster-management.io/v1/namespaces/open-cluster-management/policies',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await get(
          '/apis/policy.open-cluster-management.io/v1/namespaces/open-cluster-management/policies/group-one-clustergroup-policy',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await request('POST', sim.searchUrl, {
          token: sim.token,
          body: { query: '{ messages { id } }' },
        })
      ).status,
    ).toBe(200);
    const session = await request('POST', `${sim.argocd.url}/api/v1/session`, {
      body: { username: sim.argocd.username, password: sim.argocd.password },
    });
    expect(session.status).toBe(200);
    const t = session.json.token;
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications`, {
          token: t,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request('GET', `${sim.argocd.url}/api/v1/applications/vault`, {
          token: t,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request(
          'GET',
          `${sim.argocd.url}/api/v1/applications/vault/resource-tree`,
          { token: t },
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await request(
          'POST',
          `${sim.argocd.url}/api/v1/applications/vault/sync`,
          { token: t, body: {} },
        )
      ).status,
    ).toBe(200);
    const s = await stream(
      `${sim.argocd.url}/api/v1/stream/applications?name=vault`,
      t,
      x => x.includes('\n\n'),
    );
    expect(s.status).toBe(200);
    expect(
      (
        await request('GET', `${sim.argocdUrl(spoke)}/api/v1/applications`, {
          token: sim.token,
        })
      ).status,
    ).toBe(200);
  });

  it('2. k8s list: listKind, increasing global RV, limit/continue, forced 410 Expired, labelSelector operators, only name/namespace field selectors', async () => {
    const a = await get(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=10',
    );
    expect(a.json.kind).toBe('ManagedClusterList');
    const p2 = await get(
      `/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=10&continue=${encodeURIComponent(
        a.json.metadata.continue,
      )}`,
    );
    expect(p2.json.metadata.resourceVersion).toBe(
      a.json.metadata.resourceVersion,
    );
    expect(p2.json.items[0].metadata.name > a.json.items[9].metadata.name).toBe(
      true,
    );
    await request(
      'POST',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      {
        token: sim.token,
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'checklist-2' },
        },
      },
    );
    const b = await get(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=1',
    );
    expect(Number(b.json.metadata.resourceVersion)).toBeGreaterThan(
      Number(a.json.metadata.resourceVersion),
    );
    await request('POST', `${sim.url}/_simulator/watch/expire`, {
      token: sim.token,
    });
    expect(
      (
        await get(
          `/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=10&continue=${encodeURIComponent(
            a.json.metadata.continue,
          )}`,
        )
      ).json,
    ).toMatchObject({ code: 410, reason: 'Expired' });
    for (const sel of [
      'clusterGroup=group-one',
      'clusterGroup!=group-one',
      'clusterGroup in (group-one)',
      'clusterGroup notin (group-one)',
      'local-cluster',
      '!local-cluster',
    ]) {
      expect(
        (
          await get(
            `/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=${encodeURIComponent(
              sel,
            )}`,
          )
        ).status,
      ).toBe(200);
    }
    expect(
      (
        await get(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters?fieldSelector=metadata.namespace%3D',
        )
      ).status,
    ).toBe(200);
    expect(
      (
        await get(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters?fieldSelector=spec.hubAcceptsClient%3Dtrue',
        )
      ).status,
    ).toBe(400);
  });

  it('3. k8s watch: newline-delimited events, BOOKMARK only with allowWatchBookmarks, in-stream ERROR 410 for old RVs, timeoutSeconds honoured', async () => {
    const rv = (
      await get(
        '/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=1',
      )
    ).json.metadata.resourceVersion;
    const plain = await stream(
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?watch=true&resourceVersion=${rv}&timeoutSeconds=2`,
      sim.token,
      () => false,
    );
    expect(plain.ended).toBe(true);
    expect(plain.text).not.toContain('BOOKMARK');
    const bm = await stream(
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?watch=true&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=5`,
      sim.token,
      x => x.includes('\n'),
    );
    expect(JSON.parse(bm.text.split('\n')[0]).type).toBe('BOOKMARK');
    const old = await stream(
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?watch=true&resourceVersion=1`,
      sim.token,
      x => x.includes('\n'),
    );
    expect(old.status).toBe(200);
    expect(JSON.parse(old.text.split('\n')[0])).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410 },
    });
  });

  it('4. auth: k8s 401/403 Status, Search 401/403 plain {message}, Argo CD 401/403 {error,code,message} and 403 for a missing app', async () => {
    expect(
      (
        await get(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          'bad',
        )
      ).json,
    ).toMatchObject({ kind: 'Status', code: 401, reason: 'Unauthorized' });
    const w = await request(
      'DELETE',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/${spoke}`,
      { token: sim.readOnlyToken },
    );
    expect(w.json).toMatchObject({
      kind: 'Status',
      code: 403,
      reason: 'Forbidden',
    });
    const s401 = await request('POST', sim.searchUrl, {
      body: { query: '{ messages { id } }' },
    });
    expect([s401.status, s401.text]).toEqual([
      401,
      '{"message":"Request didn\'t have a valid authentication token."}\n',
    ]);
    const s403 = await request('POST', sim.searchUrl, {
      token: 'bad',
      body: { query: '{ messages { id } }' },
    });
    expect([s403.status, s403.text]).toEqual([
      403,
      '{"message":"Invalid token"}\n',
    ]);
    const a401 = await request('GET', `${sim.argocd.url}/api/v1/applications`);
    expect(a401.json).toMatchObject({
      error: 'no session information',
      code: 16,
      message: 'no session information',
    });
    const a403 = await request(
      'POST',
      `${sim.argocd.url}/api/v1/applications/vault/sync`,
      { token: sim.readOnlyToken, body: {} },
    );
    expect(a403.status).toBe(403);
    expect(a403.json.code).toBe(7);
    const missing = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications/does-not-exist`,
      { token: sim.token },
    );
    expect([missing.status, missing.json.message]).toEqual([
      403,
      'permission denied',
    ]);
  });

  it('5. search items: all values strings, labels "k=v; k2=v2", _uid = cluster/uid, default limit 1000, kind case-insensitive, "!" means not-equal', async () => {
    const res = await searchItems({
      filters: [
        { property: 'kind', values: ['application'] },
        { property: 'cluster', values: ['!local-cluster'] },
      ],
    });
    expect(res.items).toHaveLength(1000);
    expect(res.count).toBeGreaterThan(1000);
    for (const it of res.items) {
      expect(Object.values(it).every(v => typeof v === 'string')).toBe(true);
      expect(it.cluster).not.toBe('local-cluster');
      expect(it._uid.startsWith(`${it.cluster}/`)).toBe(true);
      expect(it.label).toMatch(/^[^=;]+=[^;]*(; [^=;]+=[^;]*)*$/);
    }
  });

  it('6. Argo CD list: sorted by name, fields allow-list, null items when projected and empty, repo matches the first source exactly, repeatable projects', async () => {
    const base = `${sim.argocdUrl(spoke)}/api/v1/applications`;
    const all = await request('GET', base, { token: sim.token });
    const names = all.json.items.map((a: any) => a.metadata.name);
    expect(names).toEqual([...names].sort());
    const f = await request(
      'GET',
      `${base}?fields=items.metadata.name,items.status.history`,
      { token: sim.token },
    );
    expect(
      f.json.items.every((a: any) => Object.keys(a).join() === 'metadata'),
    ).toBe(true);
    expect(
      (
        await request('GET', `${base}?name=none&fields=items.metadata.name`, {
          token: sim.token,
        })
      ).json.items,
    ).toBeNull();
    const repo = await request(
      'GET',
      `${base}?repo=${encodeURIComponent(
        'https://github.com/validatedpatterns/multicloud-gitops',
      )}`,
      { token: sim.token },
    );
    expect(repo.json.items.length).toBeGreaterThan(0);
    expect(
      (
        await request(
          'GET',
          `${base}?repo=${encodeURIComponent(
            'https://github.com/validatedpatterns/multicloud-gitops.git',
          )}`,
          { token: sim.token },
        )
      ).json.items,
    ).toEqual([]);
    const projects = await request(
      'GET',
      `${base}?projects=config-demo&projects=hello-world`,
      { token: sim.token },
    );
    expect(projects.json.items.map((a: any) => a.spec.project).sort()).toEqual([
      'config-demo',
      'hello-world',
    ]);
  });

  it('7. seed data: available hub labelled local-cluster=true, an available spoke, an unavailable one with the unreachable taint, a pending one, a ManagedClusterInfo per joined cluster', async () => {
    const mcs = (
      await get('/apis/cluster.open-cluster-management.io/v1/managedclusters')
    ).json.items.filter((m: any) => m.metadata.name !== 'checklist-2');
    const avail = (m: any) =>
      m.status?.conditions?.find(
        (c: any) => c.type === 'ManagedClusterConditionAvailable',
      );
    const hub = mcs.find(
      (m: any) => m.metadata.labels['local-cluster'] === 'true',
    );
    expect(avail(hub).status).toBe('True');
    expect(mcs.some((m: any) => m !== hub && avail(m)?.status === 'True')).toBe(
      true,
    );
    const off = mcs.find((m: any) => avail(m)?.status === 'Unknown');
    expect(avail(off).reason).toBe('ManagedClusterLeaseUpdateStopped');
    expect(off.spec.taints.map((t: any) => t.key)).toContain(
      'cluster.open-cluster-management.io/unreachable',
    );
    const pending = mcs.find((m: any) => m.spec.hubAcceptsClient === false);
    expect(pending.status?.conditions ?? []).toEqual([]);
    const infos = (
      await get(
        '/apis/internal.open-cluster-management.io/v1beta1/managedclusterinfos',
      )
    ).json.items;
    expect(infos.map((i: any) => i.metadata.name).sort()).toEqual(
      mcs
        .filter((m: any) => m.spec.hubAcceptsClient)
        .map((m: any) => m.metadata.name)
        .sort(),
    );
    for (const o of [...mcs, ...infos]) expectValid(o);
  });
});
