import fs from 'fs';
import path from 'path';
import { resolveGitRevision, revisionMetadata } from '../argocd/revisions';
import { typeKey, TYPE } from '../k8s/registry';
import { KObject } from '../store/types';
import { sharedDir } from '../testUtils';
import { HUB } from '../context';
import { PatternsOperator } from './operator';
import { testContext } from './testContext';
import { startTestRepo, TestRepo } from './testGitServer';

const APP = typeKey(TYPE.application);
const MC = typeKey(TYPE.managedCluster);
const PATTERN = typeKey(TYPE.pattern);
const NAME = 'multicloud-gitops';
const MCG = path.join(
  sharedDir(),
  'reference/validated-patterns/multicloud-gitops',
);
const real = (f: string) => fs.readFileSync(path.join(MCG, f), 'utf8');

describe('PatternsOperator', () => {
  let repo: TestRepo;
  let t: ReturnType<typeof testContext>;
  let op: PatternsOperator;
  let first: string;

  beforeEach(async () => {
    repo = await startTestRepo();
    first = repo.commit(
      {
        'values-global.yaml': real('values-global.yaml'),
        'values-hub.yaml': real('values-hub.yaml'),
        'values-group-one.yaml': real('values-group-one.yaml'),
        'charts/all/config-demo/Chart.yaml': 'name: config-demo\n',
        'charts/all/hello-world/Chart.yaml': 'name: hello-world\n',
      },
      'first',
    );
    // spokes start without apps: what is there after a reconcile is the operator's
    t = testContext({
      clusters: 8,
      groups: 2,
      appsPerCluster: 0,
      pattern: 'seeded',
    });
    op = new PatternsOperator(t.ctx, 0);
    op.start();
  });
  afterEach(async () => {
    op.stop();
    await repo.close();
  });

  const createPattern = async (spec: Record<string, unknown> = {}) => {
    t.store.put(HUB, PATTERN, {
      apiVersion: 'gitops.hybrid-cloud-patterns.io/v1alpha1',
      kind: 'Pattern',
      metadata: { name: NAME, namespace: 'patterns-operator', generation: 1 },
      spec: {
        clusterGroupName: 'hub',
        gitSpec: { targetRepo: repo.url, targetRevision: 'main' },
        ...spec,
      },
    });
    await op.idle();
  };
  const pattern = () => t.store.get(HUB, PATTERN, 'patterns-operator', NAME)!;
  const ours = (cluster: string) =>
    t.store
      .list(cluster, APP)
      .filter(
        a => a.metadata.labels?.['validatedpatterns.io/pattern'] === NAME,
      );
  const names = (cluster: string) => ours(cluster).map(a => a.metadata.name);
  const app = (cluster: string, name: string) =>
    ours(cluster).find(a => a.metadata.name === name)!;
  const state = (a: KObject) => [a.status.sync.status, a.status.health.status];
  const settle = () => {
    while (t.step());
  };
  const clusters = (pred: (m: KObject) => boolean) =>
    t.store
      .list(HUB, MC)
      .filter(m => !m.metadata.labels?.['local-cluster'] && pred(m))
      .map(m => m.metadata.name!);
  const isAvailable = (m: KObject) =>
    !!m.status?.conditions?.some(
      (c: any) =>
        c.type === 'ManagedClusterConditionAvailable' && c.status === 'True',
    );
  const groupOne = () =>
    clusters(
      m => m.metadata.labels?.clusterGroup === 'group-one' && isAvailable(m),
    );
  const versions = () => {
    const out: Record<string, string> = {};
    for (const c of t.store.clusters.keys())
      for (const a of ours(c))
        out[`${c}/${a.metadata.name}`] = a.metadata.resourceVersion!;
    return out;
  };
  const changed = (before: Record<string, string>) => {
    const after = versions();
    return Object.keys({ ...before, ...after })
      .filter(k => before[k] !== after[k])
      .sort();
  };

  it('deploys the hub and group-one applications at the commit and syncs them OutOfSync -> Progressing -> Synced/Healthy', async () => {
    await createPattern();
    expect(names(HUB)).toEqual([
      'acm',
      'config-demo',
      'hello-world',
      'multicloud-gitops-hub',
      'openshift-external-secrets',
      'vault',
    ]);
    const spokes = groupOne();
    expect(spokes.length).toBeGreaterThan(0);
    for (const c of t.store.clusters.keys()) {
      if (c === HUB) continue;
      expect([c, names(c)]).toEqual([
        c,
        spokes.includes(c)
          ? [
              'config-demo',
              'hello-world',
              'multicloud-gitops-group-one',
              'openshift-external-secrets',
            ]
          : [],
      ]);
    }
    const demo = app(spokes[0], 'config-demo');
    expect(state(demo)).toEqual(['OutOfSync', 'Missing']);
    expect(demo.status.sync.revision).toBe(first);
    expect(demo.spec.source).toMatchObject({
      repoURL: repo.url,
      path: 'charts/all/config-demo',
      targetRevision: 'main',
    });
    expect(demo.metadata.labels?.['app.kubernetes.io/instance']).toBe(
      'multicloud-gitops-group-one',
    );
    expect(app(HUB, 'acm').status.sync.revisions).toEqual([first, '0.2.8']);

    t.step();
    expect(state(app(spokes[0], 'config-demo'))).toEqual([
      'OutOfSync',
      'Progressing',
    ]);
    expect(app(spokes[0], 'config-demo').status.operationState.phase).toBe(
      'Running',
    );
    t.step();
    const synced = app(spokes[0], 'config-demo');
    expect(state(synced)).toEqual(['Synced', 'Progressing']);
    expect(synced.status.history.at(-1).revision).toBe(first);
    t.step();
    for (const c of [HUB, ...spokes])
      for (const a of ours(c)) expect(state(a)).toEqual(['Synced', 'Healthy']);
    expect(t.step()).toBe(0);

    const status = pattern().status;
    expect(status.lastStep).toBe('reconcile complete');
    expect(status.lastError).toBeUndefined();
    expect(status.version).toBe(1);
    expect(status.applications).toEqual(
      names(HUB).map(n => ({
        name: n,
        namespace: 'openshift-gitops',
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
      })),
    );
  });

  it("creates the group's Argo projects on every spoke it deploys to, so the spoke's Argo CD knows its applications' projects", async () => {
    const PROJECT = typeKey(TYPE.appProject);
    const spokes = groupOne();
    for (const c of spokes) expect(t.store.list(c, PROJECT)).toEqual([]);
    await createPattern();
    for (const c of spokes) {
      const projects = t.store
        .list(c, PROJECT)
        .map(p => `${p.metadata.namespace}/${p.metadata.name}`)
        .sort();
      // values-group-one.yaml's argoProjects, where its applications live
      for (const a of ours(c))
        expect(projects).toContain(`openshift-gitops/${a.spec.project}`);
      expect(projects).toEqual(
        expect.arrayContaining([
          'openshift-gitops/config-demo',
          'openshift-gitops/hello-world',
        ]),
      );
    }
    // clusters of no group get none
    for (const c of clusters(m => !spokes.includes(m.metadata.name!)))
      expect(t.store.list(c, PROJECT)).toEqual([]);
  });

  it("on a commit that changes one app's chart folder changes only that app, on every cluster", async () => {
    await createPattern();
    settle();
    const before = versions();
    const second = repo.commit({
      'charts/all/hello-world/values.yaml': 'replicas: 2\n',
    });
    await op.poll();
    expect(changed(before)).toEqual(
      [HUB, ...groupOne()].map(c => `${c}/hello-world`).sort(),
    );
    expect(app(HUB, 'hello-world').status.sync).toMatchObject({
      status: 'OutOfSync',
      revision: second,
    });
  });

  it("on a commit to a group's values adds and prunes its apps and re-syncs its app of apps", async () => {
    await createPattern();
    settle();
    const before = versions();
    const second = repo.commit({
      'values-group-one.yaml': real('values-group-one.yaml').replace(
        '    hello-world:\n      name: hello-world\n      namespace: hello-world\n      argoProject: hello-world\n      path: charts/all/hello-world\n',
        '    team-app:\n      name: team-app\n      namespace: team\n      argoProject: hello-world\n      path: charts/team-app\n',
      ),
    });
    await op.poll();
    const spokes = groupOne();
    expect(changed(before)).toEqual(
      spokes
        .flatMap(c => [
          `${c}/hello-world`,
          `${c}/multicloud-gitops-group-one`,
          `${c}/team-app`,
        ])
        .sort(),
    );
    expect(names(spokes[0])).toEqual([
      'config-demo',
      'multicloud-gitops-group-one',
      'openshift-external-secrets',
      'team-app',
    ]);
    expect(app(spokes[0], 'team-app').status.sync.revision).toBe(second);
    expect(
      app(spokes[0], 'multicloud-gitops-group-one').status.sync.revisions[0],
    ).toBe(second);
  });

  it('changes nothing on a poll without a new commit', async () => {
    await createPattern();
    settle();
    const before = versions();
    await op.poll();
    expect(changed(before)).toEqual([]);
    expect(t.step()).toBe(0);
  });

  it('reports a group values file that does not render as a ComparisonError on its app of apps, and recovers', async () => {
    await createPattern();
    settle();
    const spoke = groupOne()[0];
    const before = versions();
    const bad = repo.commit({
      'values-group-one.yaml':
        'clusterGroup:\n  name: group-one\n  applications:\n    broken: {name: broken}\n',
    });
    await op.poll();
    const parent = app(spoke, 'multicloud-gitops-group-one');
    expect(parent.status.sync.status).toBe('Unknown');
    expect(parent.status.sync.revisions[0]).toBe(bad);
    expect(parent.status.conditions).toEqual([
      expect.objectContaining({
        type: 'ComparisonError',
        message: expect.stringContaining(
          'values-group-one.yaml: clusterGroup.applications.broken: needs a path or a chart',
        ),
      }),
    ]);
    // nothing is deployed from a chart that does not render: the children stay as they were
    expect(changed(before).filter(k => !k.endsWith('-group-one'))).toEqual([]);
    expect(t.step()).toBe(0);

    repo.commit({ 'values-group-one.yaml': real('values-group-one.yaml') });
    await op.poll();
    settle();
    for (const a of ours(spoke)) {
      expect(state(a)).toEqual(['Synced', 'Healthy']);
      expect(a.status.conditions).toBeUndefined();
    }
  });

  it('reports hub values that do not render on the hub app of apps and in the Pattern status', async () => {
    await createPattern();
    settle();
    repo.commit({ 'values-hub.yaml': 'clusterGroup: [not, a, map]\n' });
    await op.poll();
    const hubParent = app(HUB, 'multicloud-gitops-hub');
    expect(hubParent.status.conditions[0].message).toContain(
      'values-hub.yaml: clusterGroup: must be a map',
    );
    expect(pattern().status.applications).toContainEqual({
      name: 'multicloud-gitops-hub',
      namespace: 'openshift-gitops',
      syncStatus: 'Unknown',
      healthStatus: 'Healthy',
    });
    // the groups of the last hub values that rendered keep their apps
    expect(names(groupOne()[0])).toContain('multicloud-gitops-group-one');
  });

  it('places group applications by the clusterSelector and follows cluster labels', async () => {
    const hub = real('values-hub.yaml').replace(
      '      acmlabels:\n        - name: clusterGroup\n          value: group-one\n',
      '      clusterSelector:\n        matchExpressions:\n          - {key: cloud, operator: In, values: [Amazon]}\n          - {key: local-cluster, operator: DoesNotExist}\n',
    );
    expect(hub).not.toBe(real('values-hub.yaml'));
    repo.commit({ 'values-hub.yaml': hub });
    await createPattern();
    const amazon = clusters(
      m => m.metadata.labels?.cloud === 'Amazon' && isAvailable(m),
    );
    const others = clusters(
      m => m.metadata.labels?.cloud !== 'Amazon' && isAvailable(m),
    );
    expect(amazon.length).toBeGreaterThan(0);
    expect(others.length).toBeGreaterThan(0);
    for (const c of amazon) expect(names(c)).toContain('config-demo');
    for (const c of others) expect(names(c)).toEqual([]);

    // clusters relabelled into the selection, one after the other, get the group's apps
    expect(others.length).toBeGreaterThan(1);
    for (const name of others.slice(0, 2)) {
      const mc = t.store.get(HUB, MC, undefined, name)!;
      t.store.put(HUB, MC, {
        ...mc,
        metadata: {
          ...mc.metadata,
          labels: { ...mc.metadata.labels, cloud: 'Amazon' },
        },
      });
    }
    await op.idle();
    for (const name of others.slice(0, 2))
      expect(names(name)).toContain('multicloud-gitops-group-one');
  });

  it('reports a missing values file or an unreachable repo on the Pattern and deploys nothing', async () => {
    await createPattern({ clusterGroupName: 'datacenter' });
    expect(names(HUB)).toEqual([]);
    expect(pattern().status).toMatchObject({
      lastStep: 'prerequisite validation',
      lastError: 'required values file not found: values-datacenter.yaml',
      conditions: [
        expect.objectContaining({
          type: 'Missing',
          status: 'True',
          message: 'required values file not found: values-datacenter.yaml',
        }),
      ],
    });

    const p = pattern();
    t.store.put(HUB, PATTERN, {
      ...p,
      metadata: { ...p.metadata },
      spec: {
        ...p.spec,
        clusterGroupName: 'hub',
        gitSpec: {
          targetRepo: repo.url.replace('pattern.git', 'gone.git'),
          targetRevision: 'main',
        },
      },
    });
    await op.idle();
    expect(names(HUB)).toEqual([]);
    const status = pattern().status;
    expect(status.lastStep).toBe('checkout target revision');
    expect(status.lastError).toContain('failed to fetch');
    expect(status.conditions).toBeUndefined();
    expect(status.version).toBe(2);
  });

  it('answers Argo CD revision lookups for the repos it fetched', async () => {
    await createPattern();
    await expect(resolveGitRevision(t.ctx, repo.url, 'main')).resolves.toBe(
      first,
    );
    await expect(
      revisionMetadata(t.ctx, HUB, repo.url, first.slice(0, 8)),
    ).resolves.toMatchObject({
      author: 'Pat Tern <pat@example.com>',
      message: 'first',
    });
  });

  it('leaves the seeded Pattern and its applications alone', async () => {
    const seededApps = t.store.list(HUB, APP).length;
    await op.poll();
    expect(t.store.list(HUB, APP)).toHaveLength(seededApps);
    expect(t.step()).toBe(0);
  });
});
