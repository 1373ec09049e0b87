import {
  toArgoApplication,
  toClusterInfo,
  toManagedCluster,
  toSearchApplication,
} from './records';

const PATTERN_REPO = 'https://github.com/validatedpatterns/multicloud-gitops';
const patternRef = {
  repoURL: PATTERN_REPO,
  targetRevision: 'main',
  ref: 'patternref',
};
const COMMIT = '0123456789abcdef0123456789abcdef01234567';

const app = (spec: object, sync: object) =>
  toArgoApplication(
    {
      metadata: { name: 'x', namespace: 'openshift-gitops' },
      spec: { project: 'hub', destination: { server: 'https://k' }, ...spec },
      status: { sync: { status: 'Synced', ...sync } },
    },
    'local-cluster',
    'hub-gitops',
  );

describe('toArgoApplication sources', () => {
  it('reads a single-source path application as it is', () => {
    const r = app(
      {
        source: {
          repoURL: PATTERN_REPO,
          path: 'charts/all/hello-world',
          targetRevision: 'main',
        },
      },
      { revision: COMMIT },
    );
    expect(r).toMatchObject({
      repoURL: PATTERN_REPO,
      path: 'charts/all/hello-world',
      targetRevision: 'main',
      revision: COMMIT,
    });
    expect(r.chart).toBeUndefined();
    expect(r.chartVersion).toBeUndefined();
  });

  it('takes the chart of a pattern chart app from its second source, the followed branch and commit from the ref', () => {
    // values-hub.yaml `acm: {chart: acm, chartVersion: 0.2.*}` as clustergroup-chart renders it
    const r = app(
      {
        sources: [
          patternRef,
          {
            repoURL: 'https://charts.validatedpatterns.io',
            chart: 'acm',
            targetRevision: '0.2.*',
          },
        ],
      },
      { revisions: [COMMIT, '0.2.8'] },
    );
    expect(r).toMatchObject({
      repoURL: 'https://charts.validatedpatterns.io',
      chart: 'acm',
      chartVersion: '0.2.*',
      targetRevision: 'main',
      revision: COMMIT,
    });
    expect(r.path).toBeUndefined();
  });

  it('takes a path from a later git source the same way', () => {
    const r = app(
      {
        sources: [
          patternRef,
          {
            repoURL: 'https://git.example.com/team/app',
            path: 'deploy',
            targetRevision: 'v2',
          },
        ],
      },
      { revisions: [COMMIT, 'fedcba9876543210fedcba9876543210fedcba98'] },
    );
    expect(r).toMatchObject({
      repoURL: 'https://git.example.com/team/app',
      path: 'deploy',
      targetRevision: 'main',
      revision: COMMIT,
    });
    expect(r.chartVersion).toBeUndefined();
  });

  it('tolerates malformed sources: entries that are not objects, a ref-only list, no sources', () => {
    expect(
      app({ sources: [null, 'junk', patternRef] }, { revisions: 'x' }),
    ).toMatchObject({ repoURL: PATTERN_REPO, targetRevision: 'main' });
    const refOnly = app({ sources: [patternRef] }, {});
    expect(refOnly).toMatchObject({ repoURL: PATTERN_REPO });
    expect(refOnly.revision).toBeUndefined();
    const none = app({ sources: 'nope' }, {});
    expect(none.repoURL).toBeUndefined();
    expect(none.targetRevision).toBeUndefined();
  });
});

describe('the commit an application runs', () => {
  const OLD = 'a'.repeat(40);
  const rolledBack = (history: object[]) =>
    toArgoApplication(
      {
        metadata: { name: 'x', namespace: 'openshift-gitops' },
        spec: { project: 'hub', destination: { server: 'https://k' } },
        status: {
          sync: { status: 'OutOfSync', revision: COMMIT },
          history,
        },
      },
      'local-cluster',
      'hub-gitops',
    );

  it('is the latest history entry, not the target commit Argo CD compared with', () => {
    const r = rolledBack([
      { id: 1, revision: OLD },
      { id: 2, revision: COMMIT },
      { id: 3, revision: OLD },
    ]);
    expect(r).toMatchObject({ sync: 'OutOfSync', revision: OLD });
    // a multi-source entry: the followed source's commit comes first
    expect(rolledBack([{ id: 4, revisions: [OLD, '0.2.8'] }]).revision).toBe(
      OLD,
    );
  });

  it('is the compared commit when there is no usable history', () => {
    expect(rolledBack([]).revision).toBe(COMMIT);
    expect(rolledBack([{ id: 1 }]).revision).toBe(COMMIT);
    expect(rolledBack('junk' as unknown as object[]).revision).toBe(COMMIT);
  });
});

describe('toSearchApplication sources', () => {
  const item = (extra: object) => ({
    name: 'x',
    namespace: 'openshift-gitops',
    cluster: 'spoke-1',
    syncStatus: 'Synced',
    healthStatus: 'Healthy',
    ...extra,
  });

  it('keeps the source Search indexed for a single-source app', () => {
    expect(
      toSearchApplication(
        item({
          repoURL: PATTERN_REPO,
          path: 'charts/all/hello-world',
          chart: '',
          targetRevision: 'release-2.1',
        }),
      ),
    ).toMatchObject({
      repoURL: PATTERN_REPO,
      path: 'charts/all/hello-world',
      targetRevision: 'release-2.1',
    });
  });

  it('does not pass off the "HEAD" Search puts on a multi-source app as its target', () => {
    const r = toSearchApplication(
      item({ repoURL: '', path: '', chart: '', targetRevision: 'HEAD' }),
    );
    expect(r.targetRevision).toBeUndefined();
    expect(r.repoURL).toBeUndefined();
    expect(r.path).toBeUndefined();
  });
});

describe('the ComparisonError message of an application', () => {
  const MESSAGE =
    'failed to render the clustergroup chart: values-hub.yaml: clusterGroup.applications is not a map or a list';

  it('is kept from an Argo CD application, and only for that condition type', () => {
    const read = (conditions: unknown) =>
      toArgoApplication(
        {
          metadata: { name: 'mcg-hub', namespace: 'openshift-gitops' },
          spec: {},
          status: { sync: { status: 'Unknown' }, conditions },
        },
        'local-cluster',
        'hub-gitops',
      ).comparisonError;
    expect(
      read([
        { type: 'SyncError', message: 'not this one' },
        { type: 'ComparisonError', message: MESSAGE },
      ]),
    ).toBe(MESSAGE);
    expect(read([{ type: 'SyncError', message: 'not this one' }])).toBe(
      undefined,
    );
    expect(read('garbage')).toBeUndefined();
    expect(read([null, { type: 'ComparisonError' }])).toBeUndefined();
  });

  it('is kept from a Search item (_conditionComparisonError)', () => {
    const item = {
      name: 'mcg-group-one',
      namespace: 'openshift-gitops',
      cluster: 'spoke-1',
      syncStatus: 'Unknown',
      healthStatus: 'Healthy',
    };
    expect(
      toSearchApplication({ ...item, _conditionComparisonError: MESSAGE })
        .comparisonError,
    ).toBe(MESSAGE);
    expect(toSearchApplication(item).comparisonError).toBeUndefined();
  });
});

describe('records of a fleet share what repeats', () => {
  const searchItem = (cluster: string, name: string) =>
    // A new object each time, with new strings, as each Search page brings.
    JSON.parse(
      JSON.stringify({
        name,
        namespace: 'openshift-gitops',
        cluster,
        syncStatus: 'Synced',
        healthStatus: 'Healthy',
        label:
          'app.kubernetes.io/instance=mcg-group-one; validatedpatterns.io/pattern=mcg',
      }),
    );

  it('gives applications with the same labels one frozen label map', () => {
    const a = toSearchApplication(searchItem('spoke-1', 'hello-world'));
    const b = toSearchApplication(searchItem('spoke-2', 'config-demo'));
    expect(b.labels).toBe(a.labels);
    expect(a.labels).toEqual({
      'app.kubernetes.io/instance': 'mcg-group-one',
      'validatedpatterns.io/pattern': 'mcg',
    });
    expect(Object.isFrozen(a.labels)).toBe(true);
    expect(toSearchApplication(searchItem('spoke-1', 'x')).labels).toBe(
      a.labels,
    );
    const argo = (labels: object) =>
      toArgoApplication(
        JSON.parse(
          JSON.stringify({
            metadata: { name: 'x', namespace: 'openshift-gitops', labels },
          }),
        ),
        'local-cluster',
        'hub-gitops',
      );
    expect(argo({ team: 'blue' }).labels).toBe(argo({ team: 'blue' }).labels);
    expect(argo({}).labels).toEqual({});
    // Still a record's own value: a change of labels is a different map.
    expect(argo({ team: 'red' }).labels).toEqual({ team: 'red' });
  });

  it('gives nodes with the same roles, and clusters with the same upgrades, one frozen list', () => {
    const info = (name: string) =>
      toClusterInfo(
        JSON.parse(
          JSON.stringify({
            metadata: { name, namespace: name },
            status: {
              distributionInfo: {
                ocp: { versionAvailableUpdates: [{ version: '4.17.12' }] },
              },
              nodeList: [
                {
                  name: 'n1',
                  labels: { 'node-role.kubernetes.io/worker': '' },
                },
              ],
            },
          }),
        ),
      );
    const a = info('east');
    const b = info('west');
    expect(b.nodes[0].roles).toBe(a.nodes[0].roles);
    expect(a.nodes[0].roles).toEqual(['worker']);
    expect(b.availableUpgrades).toBe(a.availableUpgrades);
    expect(Object.isFrozen(a.availableUpgrades)).toBe(true);
  });

  it('reads sync and health as the shared status names, anything else as Unknown', () => {
    const r = toSearchApplication({
      ...searchItem('spoke-1', 'x'),
      syncStatus: 'OutOfSync',
      healthStatus: 'Sideways',
    });
    expect(r.sync).toBe('OutOfSync');
    expect(r.health).toBe('Unknown');
  });

  it('gives a cluster without taints or conditions the shared empty lists', () => {
    const cluster = (name: string) =>
      toManagedCluster({ metadata: { name }, spec: {}, status: {} });
    expect(cluster('a').taints).toBe(cluster('b').taints);
    expect(cluster('a').conditions).toBe(cluster('b').conditions);
    expect(cluster('a').taints).toEqual([]);
  });
});
