import { RunningSimulator, startSimulator } from '../index';
import { expectValid, request, waitFor } from '../testUtils';

jest.setTimeout(20000);

describe('cluster import', () => {
  let sim: RunningSimulator;
  const post = (path: string, body: unknown) =>
    request('POST', `${sim.url}${path}`, { token: sim.token, body });
  const get = (path: string) =>
    request('GET', `${sim.url}${path}`, { token: sim.token });
  const available = (mc: any) =>
    mc?.status?.conditions?.find(
      (c: any) => c.type === 'ManagedClusterConditionAvailable',
    )?.status === 'True';

  beforeAll(async () => {
    // joins take 3 s by default; 400 ms keeps this file quick (restored right away: the env is shared)
    process.env.FLEET_SIMULATOR_IMPORT_DELAY_MS = '400';
    try {
      sim = await startSimulator({ clusters: 4, seed: 'import' });
    } finally {
      delete process.env.FLEET_SIMULATOR_IMPORT_DELAY_MS;
    }
  });
  afterAll(() => sim.stop());

  it('joins a cluster created the auto-import way, consumes its secret and starts its Argo CD apps', async () => {
    expect(
      (
        await post('/api/v1/namespaces', {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'gcp-europe-west4-77' },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await post('/api/v1/namespaces/gcp-europe-west4-77/secrets', {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: {
            name: 'auto-import-secret',
            namespace: 'gcp-europe-west4-77',
          },
          type: 'Opaque',
          stringData: {
            autoImportRetry: '5',
            token: 'sha256~x',
            server: 'https://api.gcp-europe-west4-77.example.com:6443',
          },
        })
      ).status,
    ).toBe(201);
    const mc = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: {
        name: 'gcp-europe-west4-77',
        labels: {
          cloud: 'auto-detect',
          vendor: 'auto-detect',
          clusterGroup: 'group-two',
        },
      },
      spec: { hubAcceptsClient: true },
    };
    expect(
      (
        await post(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          mc,
        )
      ).status,
    ).toBe(201);
    const joined = await waitFor(async () => {
      const r = await get(
        '/apis/cluster.open-cluster-management.io/v1/managedclusters/gcp-europe-west4-77',
      );
      return available(r.json) && r.json;
    });
    expect(joined.metadata.labels).toMatchObject({
      cloud: 'Google',
      vendor: 'OpenShift',
      clusterGroup: 'group-two',
    });
    expect(joined.spec.managedClusterClientConfigs[0].url).toBe(
      'https://api.gcp-europe-west4-77.example.com:6443',
    );
    expectValid(joined);
    const info = await get(
      '/apis/internal.open-cluster-management.io/v1beta1/namespaces/gcp-europe-west4-77/managedclusterinfos/gcp-europe-west4-77',
    );
    expect(info.status).toBe(200);
    expectValid(info.json);
    expect(
      (
        await get(
          '/api/v1/namespaces/gcp-europe-west4-77/secrets/auto-import-secret',
        )
      ).status,
    ).toBe(404);
    const apps = await request(
      'GET',
      `${sim.argocdUrl('gcp-europe-west4-77')}/api/v1/applications`,
      { token: sim.token },
    );
    expect(apps.json.items.map((a: any) => a.metadata.name)).toContain(
      'multicloud-gitops-group-two',
    );
    const decision = await get(
      '/apis/cluster.open-cluster-management.io/v1beta1/placementdecisions?labelSelector=cluster.open-cluster-management.io/placement%3Dgroup-two-placement',
    );
    expect(
      decision.json.items[0].status.decisions.map((d: any) => d.clusterName),
    ).toContain('gcp-europe-west4-77');
  });

  it('leaves a manual import waiting until the admin API plays the import on the spoke', async () => {
    const mc = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: 'manual-01', labels: { clusterGroup: 'group-one' } },
      spec: { hubAcceptsClient: true },
    };
    expect(
      (
        await post(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          mc,
        )
      ).status,
    ).toBe(201);
    await new Promise(r => setTimeout(r, 1000));
    expect(
      (
        await get(
          '/apis/cluster.open-cluster-management.io/v1/managedclusters/manual-01',
        )
      ).json.status?.conditions ?? [],
    ).toEqual([]);
    const r = await request('POST', `${sim.url}/_simulator/mutate`, {
      token: sim.token,
      body: { op: 'cluster-join', cluster: 'manual-01' },
    });
    expect(r.status).toBe(200);
    expect(
      available(
        (
          await get(
            '/apis/cluster.open-cluster-management.io/v1/managedclusters/manual-01',
          )
        ).json,
      ),
    ).toBe(true);
    const again = await request('POST', `${sim.url}/_simulator/mutate`, {
      token: sim.token,
      body: { op: 'cluster-join', cluster: 'manual-01' },
    });
    expect(again.status).toBe(409);
  });

  it('joins the pending cluster once the hub accepts it, and detaches a deleted cluster', async () => {
    const mcs = await get(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    const pending = mcs.json.items.find(
      (m: any) => m.spec.hubAcceptsClient === false,
    ).metadata.name;
    await request(
      'PATCH',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/${pending}`,
      {
        token: sim.token,
        body: { spec: { hubAcceptsClient: true } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      },
    );
    await waitFor(async () =>
      available(
        (
          await get(
            `/apis/cluster.open-cluster-management.io/v1/managedclusters/${pending}`,
          )
        ).json,
      ),
    );
    expect(
      (
        await request('GET', `${sim.argocdUrl(pending)}/api/v1/applications`, {
          token: sim.token,
        })
      ).status,
    ).toBe(200);

    await request(
      'DELETE',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/${pending}`,
      { token: sim.token },
    );
    await waitFor(
      async () =>
        (
          await get(
            `/apis/internal.open-cluster-management.io/v1beta1/namespaces/${pending}/managedclusterinfos/${pending}`,
          )
        ).status === 404,
    );
    expect(
      (
        await request('GET', `${sim.argocdUrl(pending)}/api/v1/applications`, {
          token: sim.token,
        })
      ).status,
    ).toBe(404);
    const q = {
      query: `{ search(input: [{ filters: [{ property: "cluster", values: ["${pending}"] }, { property: "kind", values: ["Application"] }] }]) { count } }`,
    };
    expect(
      (await request('POST', sim.searchUrl, { token: sim.token, body: q })).json
        .data.search[0].count,
    ).toBe(0);
  });
});
