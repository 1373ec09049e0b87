import { RunningSimulator, startSimulator } from '../index';
import { RESOURCE_TYPES } from '../k8s/registry';
import { expectValid, request } from '../testUtils';

const MC_PATH = '/apis/cluster.open-cluster-management.io/v1/managedclusters';

async function list(sim: RunningSimulator, path: string) {
  const r = await request('GET', `${sim.url}${path}`, { token: sim.token });
  expect(r.status).toBe(200);
  return r.json.items as any[];
}

const available = (mc: any) =>
  mc.status?.conditions?.find(
    (c: any) => c.type === 'ManagedClusterConditionAvailable',
  );

jest.setTimeout(20000);

describe('generated fleet', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 10,
      groups: 3,
      appsPerCluster: 6,
      seed: 42,
    });
  });
  afterAll(() => sim.stop());

  it('has a hub local-cluster and deterministically named spokes in groups', async () => {
    const mcs = await list(sim, MC_PATH);
    expect(mcs).toHaveLength(11);
    const hub = mcs.find(m => m.metadata.name === 'local-cluster');
    expect(hub.metadata.labels).toMatchObject({
      'local-cluster': 'true',
      clusterGroup: 'hub',
    });
    expect(available(hub).status).toBe('True');
    const spokes = mcs.filter(m => m !== hub);
    for (const s of spokes) {
      expect(s.metadata.name).toMatch(
        /^(aws|azure|gcp|vsphere|metal)-[a-z0-9-]+-\d{2}$/,
      );
      expect(['group-one', 'group-two', 'group-three']).toContain(
        s.metadata.labels.clusterGroup,
      );
      expect(s.spec.managedClusterClientConfigs[0].url).toBe(
        `https://api.${s.metadata.name}.fleet.example.com:6443`,
      );
    }
    expect(new Set(spokes.map(s => s.metadata.labels.clusterGroup)).size).toBe(
      3,
    );
  });

  it('has available, unavailable and pending-import spokes', async () => {
    const mcs = await list(sim, MC_PATH);
    const avail = mcs.filter(
      m =>
        available(m)?.status === 'True' && !m.metadata.labels['local-cluster'],
    );
    expect(avail.length).toBeGreaterThanOrEqual(1);
    const offline = mcs.filter(m => available(m)?.status === 'Unknown');
    expect(offline.length).toBeGreaterThanOrEqual(1);
    for (const m of offline) {
      expect(available(m)).toMatchObject({
        reason: 'ManagedClusterLeaseUpdateStopped',
        message: 'Registration agent stopped updating its lease.',
      });
      expect(m.spec.taints).toEqual([
        expect.objectContaining({
          key: 'cluster.open-cluster-management.io/unreachable',
          effect: 'NoSelect',
        }),
      ]);
    }
    const pending = mcs.filter(m => m.spec.hubAcceptsClient === false);
    expect(pending).toHaveLength(1);
    expect(pending[0].status?.conditions ?? []).toEqual([]);

    const infos = await list(
      sim,
      '/apis/internal.open-cluster-management.io/v1beta1/managedclusterinfos',
    );
    const joined = mcs
      .filter(m => m.spec.hubAcceptsClient)
      .map(m => m.metadata.name)
      .sort();
    expect(infos.map(i => i.metadata.name).sort()).toEqual(joined);
    for (const i of infos) expect(i.metadata.namespace).toBe(i.metadata.name);
    const offInfo = infos.find(
      i => i.metadata.name === offline[0].metadata.name,
    );
    expect(offInfo.status.nodeList).toEqual([]);
    const onInfo = infos.find(i => i.metadata.name === avail[0].metadata.name);
    expect(onInfo.status.nodeList.length).toBeGreaterThan(3);
    expect(onInfo.status.distributionInfo.ocp.version).toMatch(/^4\.\d+\.\d+$/);
  });

  it('serves a cluster the hub has not accepted without any status, as the apiserver does', async () => {
    // The apiserver drops `status` on create for a CRD with a status subresource, and the hub's
    // registration controller writes none until hubAcceptsClient is true. Clients rely on that:
    // the OCM peer plugin reads `mc.status?.conditions.find(...)`, which threw on `status: {}`
    // and failed its whole /status answer.
    const mcs = await list(sim, MC_PATH);
    const pending = mcs.find(m => m.spec.hubAcceptsClient === false);
    expect(pending).not.toHaveProperty('status');
    const one = await request(
      'GET',
      `${sim.url}${MC_PATH}/${pending.metadata.name}`,
      { token: sim.readOnlyToken },
    );
    expect(one.json).not.toHaveProperty('status');
    // every ManagedCluster that has a status has its conditions, the way the OCM peer reads them
    for (const mc of mcs) {
      if (mc.status === undefined) continue;
      expect(Array.isArray(mc.status.conditions)).toBe(true);
    }
    // and the ManagedClusterInfos the peer pairs with them parse the way it parses them
    const infos = await list(
      sim,
      '/apis/internal.open-cluster-management.io/v1beta1/managedclusterinfos',
    );
    for (const i of infos) {
      if (i.status === undefined) continue;
      expect(i.status.distributionInfo).toBeDefined();
      for (const node of i.status.nodeList ?? [])
        expect(node.conditions).toHaveLength(1);
    }
  });

  it('serves only objects that validate against the upstream CRDs', async () => {
    let checked = 0;
    for (const rt of RESOURCE_TYPES.filter(t => t.crdFile)) {
      const items = await list(
        sim,
        `/apis/${rt.group}/${rt.versions[0]}/${rt.plural}`,
      );
      for (const o of items) {
        expectValid(o);
        checked++;
      }
    }
    // spoke apps come from each spoke's Argo CD (no TypeMeta there): validate them too
    const mcs = await list(sim, MC_PATH);
    for (const m of mcs.filter(
      x => x.spec.hubAcceptsClient && !x.metadata.labels['local-cluster'],
    )) {
      const r = await request(
        'GET',
        `${sim.argocdUrl(m.metadata.name)}/api/v1/applications`,
        { token: sim.token },
      );
      for (const a of r.json.items) {
        expectValid({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          ...a,
        });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('deploys the pattern apps the Validated Patterns way', async () => {
    const hubApps = await list(
      sim,
      '/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications',
    );
    expect(hubApps.map(a => a.metadata.name).sort()).toEqual([
      'acm',
      'config-demo',
      'golang-external-secrets',
      'hello-world',
      'multicloud-gitops-hub',
      'vault',
    ]);
    for (const a of hubApps) {
      expect(a.metadata.labels['validatedpatterns.io/pattern']).toBe(
        'multicloud-gitops',
      );
      expect(a.spec.destination.server).toBe('https://kubernetes.default.svc');
    }
    const mcs = await list(sim, MC_PATH);
    const spoke = mcs.find(
      m =>
        m.spec.hubAcceptsClient &&
        !m.metadata.labels['local-cluster'] &&
        m.metadata.labels.clusterGroup === 'group-one',
    );
    const r = await request(
      'GET',
      `${sim.argocdUrl(spoke.metadata.name)}/api/v1/applications`,
      { token: sim.token },
    );
    const names = r.json.items.map((a: any) => a.metadata.name);
    expect(names).toHaveLength(6);
    expect(names).toEqual(
      expect.arrayContaining([
        'multicloud-gitops-group-one',
        'config-demo',
        'hello-world',
        'golang-external-secrets',
      ]),
    );
    for (const a of r.json.items) {
      expect(a.metadata.namespace).toBe('openshift-gitops');
      expect(a.metadata.labels['validatedpatterns.io/pattern']).toBe(
        'multicloud-gitops',
      );
      // joins back to the ManagedCluster through managedClusterClientConfigs[].url
      expect(a.spec.destination.server).toBe(
        spoke.spec.managedClusterClientConfigs[0].url,
      );
    }
    const parent = r.json.items.find(
      (a: any) => a.metadata.name === 'multicloud-gitops-group-one',
    );
    expect(parent.spec.sources[1].helm.valueFiles).toContain(
      '$patternref/values-group-one.yaml',
    );
    const states = new Set<string>();
    for (const m of mcs.filter(
      x => x.spec.hubAcceptsClient && !x.metadata.labels['local-cluster'],
    )) {
      const x = await request(
        'GET',
        `${sim.argocdUrl(m.metadata.name)}/api/v1/applications`,
        { token: sim.token },
      );
      for (const a of x.json.items)
        states.add(`${a.status.sync.status}/${a.status.health.status}`);
    }
    expect(states.size).toBeGreaterThan(1); // mixed sync and health
    const patterns = await list(
      sim,
      '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/namespaces/openshift-operators/patterns',
    );
    expect(patterns.map(p => p.metadata.name)).toEqual(['multicloud-gitops']);
  });

  it('renders chart applications multi-source, as clustergroup-chart does', async () => {
    const hubApps = await list(
      sim,
      '/apis/argoproj.io/v1alpha1/namespaces/openshift-gitops/applications',
    );
    const byName = new Map(hubApps.map(a => [a.metadata.name, a]));
    // values-hub.yaml: acm {chart: acm, chartVersion: 0.2.*}: the pattern repo as a ref,
    // then the chart from the VP Helm repo at chartVersion, value files through the ref.
    const acm = byName.get('acm');
    expect(acm.spec.source).toBeUndefined();
    expect(acm.spec.sources).toEqual([
      {
        repoURL: 'https://github.com/validatedpatterns/multicloud-gitops',
        targetRevision: 'main',
        ref: 'patternref',
      },
      expect.objectContaining({
        repoURL: 'https://charts.validatedpatterns.io',
        chart: 'acm',
        targetRevision: '0.2.*',
        helm: expect.objectContaining({
          valueFiles: expect.arrayContaining([
            '$patternref/values-global.yaml',
            '$patternref/values-hub.yaml',
          ]),
        }),
      }),
    ]);
    // One revision per source: the pattern commit, the chart release the range resolved to.
    expect(acm.status.sync.revision).toBeUndefined();
    expect(acm.status.sync.revisions).toEqual([
      expect.stringMatching(/^[0-9a-f]{40}$/),
      '0.2.8',
    ]);
    // The app of apps takes the clustergroup chart from the Helm repo too
    // (main.multiSourceConfig.clusterGroupChartVersion).
    const parent = byName.get('multicloud-gitops-hub');
    expect(parent.spec.sources[1]).toMatchObject({
      repoURL: 'https://charts.validatedpatterns.io',
      chart: 'clustergroup',
      targetRevision: '0.9.*',
    });
    expect(parent.status.sync.revisions[1]).toBe('0.9.55');
    // A path app keeps one source in the pattern repo.
    const hello = byName.get('hello-world');
    expect(hello.spec.sources).toBeUndefined();
    expect(hello.spec.source).toMatchObject({
      path: 'charts/all/hello-world',
      targetRevision: 'main',
    });
    expect(hello.status.sync.revision).toMatch(/^[0-9a-f]{40}$/);
  });

  it('has per-group placements, decisions and policies with per-cluster compliance', async () => {
    const policies = await list(
      sim,
      '/apis/policy.open-cluster-management.io/v1/policies?labelSelector=!policy.open-cluster-management.io/root-policy',
    );
    expect(policies.map(p => p.metadata.name).sort()).toEqual([
      'group-one-clustergroup-policy',
      'group-three-clustergroup-policy',
      'group-two-clustergroup-policy',
    ]);
    const replicated = await list(
      sim,
      '/apis/policy.open-cluster-management.io/v1/policies?labelSelector=policy.open-cluster-management.io/root-policy',
    );
    expect(replicated.length).toBeGreaterThan(0);
    for (const r of replicated)
      expect(r.metadata.name).toBe(
        r.metadata.labels['policy.open-cluster-management.io/root-policy'],
      );
    const decisions = await list(
      sim,
      '/apis/cluster.open-cluster-management.io/v1beta1/placementdecisions?labelSelector=cluster.open-cluster-management.io/placement%3Dgroup-one-placement',
    );
    expect(decisions).toHaveLength(1);
    const root = policies.find(
      p => p.metadata.name === 'group-one-clustergroup-policy',
    );
    expect(root.status.status.map((s: any) => s.clustername).sort()).toEqual(
      decisions[0].status.decisions.map((d: any) => d.clusterName).sort(),
    );
  });

  it('is deterministic by seed', async () => {
    const again = await startSimulator({
      clusters: 10,
      groups: 3,
      appsPerCluster: 6,
      seed: 42,
    });
    const other = await startSimulator({
      clusters: 10,
      groups: 3,
      appsPerCluster: 6,
      seed: 43,
    });
    try {
      const a = await list(sim, MC_PATH);
      const b = await list(again, MC_PATH);
      const c = await list(other, MC_PATH);
      const strip = (xs: any[]) =>
        xs.map(x => ({
          ...x,
          metadata: { ...x.metadata, resourceVersion: undefined },
        }));
      expect(strip(b)).toEqual(
        strip(a)
          .map(x => (x.metadata.name === 'watched' ? undefined : x))
          .filter(Boolean),
      );
      expect(c.map(x => x.metadata.name)).not.toEqual(
        a.map(x => x.metadata.name),
      );
    } finally {
      await again.stop();
      await other.stop();
    }
  });

  it('scales down to a hub only and to fleets without special spokes', async () => {
    const hubOnly = await startSimulator({ clusters: 0 });
    const two = await startSimulator({ clusters: 2, appsPerCluster: 1 });
    try {
      expect((await list(hubOnly, MC_PATH)).map(m => m.metadata.name)).toEqual([
        'local-cluster',
      ]);
      const mcs = await list(two, MC_PATH);
      expect(mcs).toHaveLength(3);
      expect(mcs.every(m => available(m)?.status === 'True')).toBe(true);
      const spoke = mcs.find(m => !m.metadata.labels['local-cluster']);
      const r = await request(
        'GET',
        `${two.argocdUrl(spoke.metadata.name)}/api/v1/applications`,
        { token: two.token },
      );
      expect(r.json.items.map((a: any) => a.metadata.name)).toEqual([
        `multicloud-gitops-${spoke.metadata.labels.clusterGroup}`,
      ]);
    } finally {
      await hubOnly.stop();
      await two.stop();
    }
  });
});
