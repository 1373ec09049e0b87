// Long because it runs the real @kubernetes/client-node against the simulated API server, one
// describe per verb (list, watch, get, create, patch, apply, delete): the fidelity checks.
import {
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from '../index';
import { expectValid, request } from '../testUtils';

const MC = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
};

function kubeConfig(sim: RunningSimulator, token = sim.token): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node 1.x refuses plain HTTP unless skipTLSVerify is set
    clusters: [
      {
        name: 'hub',
        server: sim.url,
        skipTLSVerify: sim.url.startsWith('http:'),
      },
    ],
    users: [{ name: 'u', token }],
    contexts: [{ name: 'c', cluster: 'hub', user: 'u' }],
    currentContext: 'c',
  });
  return kc;
}

jest.setTimeout(20000);

describe('kubernetes API (driven by @kubernetes/client-node)', () => {
  let sim: RunningSimulator;
  let api: CustomObjectsApi;
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 12,
      groups: 3,
      appsPerCluster: 3,
      seed: 'k8s',
    });
    api = kubeConfig(sim).makeApiClient(CustomObjectsApi);
  });
  afterAll(() => sim.stop());

  it('lists ManagedClusters page by page with one snapshot resourceVersion', async () => {
    const names: string[] = [];
    const rvs = new Set<string>();
    let cont: string | undefined;
    let pages = 0;
    do {
      const page = await api.listClusterCustomObject({
        ...MC,
        limit: 5,
        _continue: cont,
      });
      expect(page.kind).toBe('ManagedClusterList');
      expect(page.apiVersion).toBe('cluster.open-cluster-management.io/v1');
      expect(page.items.length).toBeLessThanOrEqual(5);
      for (const i of page.items) {
        expect(i.kind).toBe('ManagedCluster');
        names.push(i.metadata.name);
      }
      rvs.add(page.metadata.resourceVersion);
      cont = page.metadata.continue || undefined;
      // remainingItemCount is set on every page but the last
      expect(page.metadata.remainingItemCount === undefined).toBe(
        cont === undefined,
      );
      pages++;
    } while (cont);
    expect(pages).toBe(3);
    expect(names).toHaveLength(13);
    expect(new Set(names).size).toBe(13);
    expect(rvs.size).toBe(1);
    expect([...names].sort()).toEqual(names);
  });

  it('answers 410 Expired for a continue token older than the compaction', async () => {
    const first = await api.listClusterCustomObject({ ...MC, limit: 2 });
    await request('POST', `${sim.url}/_simulator/watch/expire`, {
      token: sim.token,
    });
    const r = await request(
      'GET',
      `${
        sim.url
      }/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=2&continue=${encodeURIComponent(
        first.metadata.continue,
      )}`,
      { token: sim.token },
    );
    expect(r.status).toBe(410);
    expect(r.json).toMatchObject({
      kind: 'Status',
      status: 'Failure',
      reason: 'Expired',
      code: 410,
    });
    expect(r.json.message).toMatch(
      /^The provided continue parameter is too old to display a consistent list result/,
    );
    expect(typeof r.json.metadata.continue).toBe('string');
    // client-node surfaces it as an ApiException with code 410
    await expect(
      api.listClusterCustomObject({
        ...MC,
        limit: 2,
        _continue: first.metadata.continue,
      }),
    ).rejects.toMatchObject({ code: 410 });
    const bad = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=2&continue=garbage`,
      { token: sim.token },
    );
    expect(bad.status).toBe(400);
  });

  it.each([
    ['local-cluster=true', (l: any) => l['local-cluster'] === 'true'],
    ['local-cluster==true', (l: any) => l['local-cluster'] === 'true'],
    ['clusterGroup!=group-one', (l: any) => l.clusterGroup !== 'group-one'],
    [
      'clusterGroup in (group-one,group-three)',
      (l: any) => ['group-one', 'group-three'].includes(l.clusterGroup),
    ],
    [
      'clusterGroup notin (group-one)',
      (l: any) => l.clusterGroup !== 'group-one',
    ],
    ['local-cluster', (l: any) => 'local-cluster' in l],
    ['!local-cluster', (l: any) => !('local-cluster' in l)],
    [
      'vendor=OpenShift,cloud=Amazon',
      (l: any) => l.vendor === 'OpenShift' && l.cloud === 'Amazon',
    ],
  ])('filters with labelSelector %s', async (selector, pred) => {
    const all = await api.listClusterCustomObject({ ...MC });
    const want = all.items
      .filter((i: any) => pred(i.metadata.labels ?? {}))
      .map((i: any) => i.metadata.name);
    const got = await api.listClusterCustomObject({
      ...MC,
      labelSelector: selector,
    });
    expect(got.items.map((i: any) => i.metadata.name)).toEqual(want);
    expect(want.length).toBeGreaterThan(0);
  });

  it('pages through a label-selected list without remainingItemCount', async () => {
    const page = await api.listClusterCustomObject({
      ...MC,
      labelSelector: '!local-cluster',
      limit: 3,
    });
    expect(page.items).toHaveLength(3);
    expect(page.metadata.continue).toBeTruthy();
    expect(page.metadata.remainingItemCount).toBeUndefined();
  });

  it('accepts only metadata.name / metadata.namespace field selectors', async () => {
    const byName = await api.listClusterCustomObject({
      ...MC,
      fieldSelector: 'metadata.name=local-cluster',
    });
    expect(byName.items.map((i: any) => i.metadata.name)).toEqual([
      'local-cluster',
    ]);
    const notName = await api.listClusterCustomObject({
      ...MC,
      fieldSelector: 'metadata.name!=local-cluster',
    });
    expect(notName.items).toHaveLength(12);
    const r = await request(
      'GET',
      `${
        sim.url
      }/apis/cluster.open-cluster-management.io/v1/managedclusters?fieldSelector=${encodeURIComponent(
        'status.phase=Ready',
      )}`,
      { token: sim.token },
    );
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'BadRequest',
      code: 400,
      message:
        '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"',
    });
    const badLabel = await request(
      'GET',
      `${
        sim.url
      }/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=${encodeURIComponent(
        'a in (b',
      )}`,
      { token: sim.token },
    );
    expect(badLabel.status).toBe(400);
  });

  it('lists a namespaced kind across all namespaces and within one', async () => {
    const all = await api.listClusterCustomObject({
      group: 'internal.open-cluster-management.io',
      version: 'v1beta1',
      plural: 'managedclusterinfos',
    });
    expect(all.kind).toBe('ManagedClusterInfoList');
    const some = all.items[0];
    const one = await api.listNamespacedCustomObject({
      group: 'internal.open-cluster-management.io',
      version: 'v1beta1',
      plural: 'managedclusterinfos',
      namespace: some.metadata.namespace,
    });
    expect(one.items.map((i: any) => i.metadata.name)).toEqual([
      some.metadata.name,
    ]);
    const got = await api.getNamespacedCustomObject({
      group: 'internal.open-cluster-management.io',
      version: 'v1beta1',
      plural: 'managedclusterinfos',
      namespace: some.metadata.namespace,
      name: some.metadata.name,
    });
    expect(got.metadata.uid).toBe(some.metadata.uid);
  });

  it('gets one object and answers 404 NotFound with details', async () => {
    const hub = await api.getClusterCustomObject({
      ...MC,
      name: 'local-cluster',
    });
    expect(hub.metadata.labels['local-cluster']).toBe('true');
    const r = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/nope`,
      { token: sim.token },
    );
    expect(r.status).toBe(404);
    expect(r.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'managedclusters.cluster.open-cluster-management.io "nope" not found',
      reason: 'NotFound',
      details: {
        name: 'nope',
        group: 'cluster.open-cluster-management.io',
        kind: 'managedclusters',
      },
      code: 404,
    });
    const noType = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/widgets`,
      { token: sim.token },
    );
    expect(noType.status).toBe(404);
    expect(noType.json.message).toBe(
      'the server could not find the requested resource',
    );
  });

  it('creates a ManagedCluster after validating it against the CRD, then patches and deletes it', async () => {
    const body = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: 'new-spoke', labels: { cloud: 'Amazon' } },
      spec: { hubAcceptsClient: true },
    };
    const created = await api.createClusterCustomObject({ ...MC, body });
    expect(created.metadata.uid).toBeTruthy();
    expect(created.metadata.resourceVersion).toBeTruthy();
    expect(created.spec.leaseDurationSeconds).toBe(60); // CRD default applied
    expectValid(created);
    await expect(
      api.createClusterCustomObject({ ...MC, body }),
    ).rejects.toMatchObject({ code: 409 });

    const patched = await api.patchClusterCustomObject(
      {
        ...MC,
        name: 'new-spoke',
        body: {
          metadata: { labels: { clusterGroup: 'group-one' } },
          spec: { hubAcceptsClient: false },
        },
      },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata.labels).toEqual({
      cloud: 'Amazon',
      clusterGroup: 'group-one',
    });
    expect(patched.spec.hubAcceptsClient).toBe(false);
    expect(patched.metadata.generation).toBe(2);
    expect(Number(patched.metadata.resourceVersion)).toBeGreaterThan(
      Number(created.metadata.resourceVersion),
    );

    const jsonPatched = await api.patchClusterCustomObject(
      {
        ...MC,
        name: 'new-spoke',
        body: [{ op: 'add', path: '/metadata/annotations', value: { a: 'b' } }],
      },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(jsonPatched.metadata.annotations).toEqual({ a: 'b' });

    const deleted = await api.deleteClusterCustomObject({
      ...MC,
      name: 'new-spoke',
    });
    expect(deleted.metadata.name).toBe('new-spoke');
    await expect(
      api.getClusterCustomObject({ ...MC, name: 'new-spoke' }),
    ).rejects.toMatchObject({ code: 404 });
  });

  it('supports server-side apply (create or merge) and requires a field manager', async () => {
    const url = `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/applied`;
    const yaml =
      'apiVersion: cluster.open-cluster-management.io/v1\nkind: ManagedCluster\nmetadata:\n  name: applied\n  labels: {team: a}\nspec:\n  hubAcceptsClient: false\n';
    const headers = { 'Content-Type': 'application/apply-patch+yaml' };
    const noManager = await request('PATCH', url, {
      token: sim.token,
      raw: yaml,
      headers,
    });
    expect(noManager.status).toBe(422);
    const created = await request('PATCH', `${url}?fieldManager=test`, {
      token: sim.token,
      raw: yaml,
      headers,
    });
    expect(created.status).toBe(201);
    const updated = await request('PATCH', `${url}?fieldManager=test`, {
      token: sim.token,
      raw: yaml.replace('team: a', 'team: b'),
      headers,
    });
    expect(updated.status).toBe(200);
    expect(updated.json.metadata.labels).toEqual({ team: 'b' });
    expect(updated.json.metadata.uid).toBe(created.json.metadata.uid);
    await request('DELETE', url, { token: sim.token });
  });

  it('rejects an invalid body with 422 Invalid naming the field', async () => {
    const r = await request(
      'POST',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      {
        token: sim.token,
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'bad' },
          spec: {
            hubAcceptsClient: 'yes',
            taints: [{ key: 'k', effect: 'Sometimes' }],
          },
        },
      },
    );
    expect(r.status).toBe(422);
    expect(r.json).toMatchObject({
      kind: 'Status',
      reason: 'Invalid',
      code: 422,
      details: {
        name: 'bad',
        group: 'cluster.open-cluster-management.io',
        kind: 'ManagedCluster',
      },
    });
    expect(r.json.message).toContain('spec.hubAcceptsClient');
    const fields = r.json.details.causes.map((c: any) => c.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'spec.hubAcceptsClient',
        'spec.taints[0].effect',
      ]),
    );

    const app = await request(
      'POST',
      `${sim.url}/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications`,
      {
        token: sim.token,
        body: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'x' },
          spec: { source: { repoURL: 'https://example.com/r.git' } },
        },
      },
    );
    expect(app.status).toBe(422);
    expect(app.json.details.causes.map((c: any) => c.field)).toEqual(
      expect.arrayContaining(['spec.destination', 'spec.project']),
    );

    const noName = await request(
      'POST',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      {
        token: sim.token,
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: {},
        },
      },
    );
    expect(noName.status).toBe(422);
    expect(noName.json.details.causes[0].field).toBe('metadata.name');
  });

  it('answers malformed requests with Status bodies, never a stack trace', async () => {
    const cases = [
      await request(
        'POST',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        { token: sim.token, raw: '{"apiVersion":' },
      ),
      await request(
        'POST',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        { token: sim.token, raw: '[1,2]' },
      ),
      await request(
        'POST',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        {
          token: sim.token,
          body: {
            apiVersion: 'v9',
            kind: 'ManagedCluster',
            metadata: { name: 'x' },
          },
        },
      ),
      await request(
        'PATCH',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/local-cluster`,
        {
          token: sim.token,
          body: { spec: {} },
          headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
        },
      ),
      await request(
        'PATCH',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/local-cluster`,
        {
          token: sim.token,
          body: [{ op: 'replace', path: '/nope/x', value: 1 }],
          headers: { 'Content-Type': 'application/json-patch+json' },
        },
      ),
      await request(
        'GET',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?limit=-4`,
        { token: sim.token },
      ),
      await request(
        'GET',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?watch=true&resourceVersion=abc`,
        { token: sim.token },
      ),
      await request(
        'DELETE',
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        { token: sim.token },
      ),
      await request('GET', `${sim.url}/apis/%E0%A4%A/x`, { token: sim.token }),
    ];
    for (const r of cases) {
      expect(r.status).toBeGreaterThanOrEqual(400);
      expect(r.status).toBeLessThan(500);
      expect(r.json).toMatchObject({
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Failure',
        code: r.status,
      });
      expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    }
  });

  it('answers 401 for unknown tokens, 403 without a token and 403 for writes with the read-only token', async () => {
    const unknown = kubeConfig(sim, 'who-is-this').makeApiClient(
      CustomObjectsApi,
    );
    await expect(
      unknown.listClusterCustomObject({ ...MC }),
    ).rejects.toMatchObject({ code: 401 });
    const r401 = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      { token: 'who-is-this' },
    );
    expect(r401.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Unauthorized',
      reason: 'Unauthorized',
      code: 401,
    });
    const anon = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
    );
    expect(anon.status).toBe(403);
    expect(anon.json.message).toContain('system:anonymous');

    const reader = kubeConfig(sim, sim.readOnlyToken).makeApiClient(
      CustomObjectsApi,
    );
    const listed = await reader.listClusterCustomObject({ ...MC });
    expect(listed.items.length).toBe(13);
    const w = await request(
      'POST',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      {
        token: sim.readOnlyToken,
        body: {
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'x' },
        },
      },
    );
    expect(w.status).toBe(403);
    expect(w.json).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      code: 403,
      details: {
        group: 'cluster.open-cluster-management.io',
        kind: 'managedclusters',
      },
    });
    expect(w.json.message).toBe(
      'managedclusters.cluster.open-cluster-management.io is forbidden: User "system:serviceaccount:fleet-simulator:reader" cannot create resource "managedclusters" in API group "cluster.open-cluster-management.io" at the cluster scope',
    );
  });

  it('creates and gets a Namespace and a Secret for cluster import (create/get only)', async () => {
    const core = kubeConfig(sim).makeApiClient(CoreV1Api);
    await core.createNamespace({ body: { metadata: { name: 'import-me' } } });
    const ns = await core.readNamespace({ name: 'import-me' });
    expect(ns.status?.phase).toBe('Active');
    await core.createNamespacedSecret({
      namespace: 'import-me',
      body: {
        metadata: { name: 'auto-import-secret' },
        type: 'Opaque',
        stringData: { token: 't', server: 'https://api.x:6443' },
      },
    });
    const s = await core.readNamespacedSecret({
      namespace: 'import-me',
      name: 'auto-import-secret',
    });
    expect(s.metadata?.name).toBe('auto-import-secret');
    await expect(
      core.createNamespacedSecret({
        namespace: 'missing-ns',
        body: { metadata: { name: 'x' } },
      }),
    ).rejects.toMatchObject({ code: 404 });
    const del = await request(
      'DELETE',
      `${sim.url}/api/v1/namespaces/import-me/secrets/auto-import-secret`,
      { token: sim.token },
    );
    expect(del.status).toBe(405);
  });

  it('serves discovery documents', async () => {
    const version = await request('GET', `${sim.url}/version`);
    expect(version.json.gitVersion).toMatch(/^v1\./);
    const apiRoot = await request('GET', `${sim.url}/api`, {
      token: sim.token,
    });
    expect(apiRoot.json).toMatchObject({
      kind: 'APIVersions',
      versions: ['v1'],
    });
    const core = await request('GET', `${sim.url}/api/v1`, {
      token: sim.token,
    });
    expect(core.json.resources.map((r: any) => r.name)).toEqual(
      expect.arrayContaining([
        'namespaces',
        'secrets',
        'pods',
        'services',
        'configmaps',
      ]),
    );
    const groups = await request('GET', `${sim.url}/apis`, {
      token: sim.token,
    });
    const names = groups.json.groups.map((g: any) => g.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'cluster.open-cluster-management.io',
        'internal.open-cluster-management.io',
        'policy.open-cluster-management.io',
        'agent.open-cluster-management.io',
        'argoproj.io',
        'gitops.hybrid-cloud-patterns.io',
        'apps',
        'batch',
        'networking.k8s.io',
        'autoscaling',
      ]),
    );
    const ocm = groups.json.groups.find(
      (g: any) => g.name === 'cluster.open-cluster-management.io',
    );
    expect(ocm.preferredVersion.version).toBe('v1');
    const rl = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1`,
      { token: sim.token },
    );
    expect(
      rl.json.resources.find((r: any) => r.name === 'managedclusters'),
    ).toMatchObject({
      kind: 'ManagedCluster',
      namespaced: false,
      shortNames: ['mcl', 'mcls'],
    });
    const g = await request('GET', `${sim.url}/apis/argoproj.io`, {
      token: sim.token,
    });
    expect(g.json).toMatchObject({ kind: 'APIGroup', name: 'argoproj.io' });
  });
});
