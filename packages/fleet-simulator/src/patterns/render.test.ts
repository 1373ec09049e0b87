import fs from 'fs';
import path from 'path';
import { matchesLabels } from '../k8s/selectors';
import { sharedDir } from '../testUtils';
import {
  PatternRenderError,
  RenderContext,
  RenderedApp,
  renderClusterGroup,
} from './render';

const MCG = path.join(
  sharedDir(),
  'reference/validated-patterns/multicloud-gitops',
);
const REPO = 'https://git.example.com/org/multicloud-gitops.git';
const CHARTS = 'https://charts.validatedpatterns.io/';
const ctx: RenderContext = {
  pattern: 'multicloud-gitops',
  repoURL: REPO,
  targetRevision: 'main',
  argoNamespace: 'openshift-gitops',
  multiSourceRepoUrl: CHARTS,
};

function realFiles(overrides: Record<string, string | undefined> = {}) {
  return (p: string) => {
    if (p in overrides) return overrides[p];
    const f = path.join(MCG, p);
    return fs.existsSync(f) ? fs.readFileSync(f, 'utf8') : undefined;
  };
}

/** What a user reads of an app: where it is, its project and what it deploys at which revision. */
function summary(a: RenderedApp) {
  const s = a.sources ? a.sources[1] : a.source!;
  return {
    name: a.name,
    namespace: a.namespace,
    destinationNamespace: a.destination.namespace,
    project: a.project,
    repoURL: s.repoURL,
    ...(s.chart ? { chart: s.chart } : { path: s.path }),
    targetRevision: s.targetRevision,
    multiSource: !!a.sources,
  };
}

describe('renderClusterGroup on the real multicloud-gitops values files', () => {
  it('gives the hub the applications the clustergroup chart gives', () => {
    const hub = renderClusterGroup(realFiles(), 'hub', ctx);
    expect(hub.argoNamespace).toBe('openshift-gitops');
    expect(hub.applications.map(summary)).toEqual([
      {
        name: 'acm',
        namespace: 'openshift-gitops',
        destinationNamespace: 'open-cluster-management',
        project: 'hub',
        repoURL: CHARTS,
        chart: 'acm',
        targetRevision: '0.2.*',
        multiSource: true,
      },
      {
        name: 'config-demo',
        namespace: 'openshift-gitops',
        destinationNamespace: 'config-demo',
        project: 'config-demo',
        repoURL: REPO,
        path: 'charts/all/config-demo',
        targetRevision: 'main',
        multiSource: false,
      },
      {
        name: 'hello-world',
        namespace: 'openshift-gitops',
        destinationNamespace: 'hello-world',
        project: 'hello-world',
        repoURL: REPO,
        path: 'charts/all/hello-world',
        targetRevision: 'main',
        multiSource: false,
      },
      {
        name: 'openshift-external-secrets',
        namespace: 'openshift-gitops',
        destinationNamespace: 'external-secrets',
        project: 'hub',
        repoURL: CHARTS,
        chart: 'openshift-external-secrets',
        targetRevision: '0.0.*',
        multiSource: true,
      },
      {
        name: 'vault',
        namespace: 'openshift-gitops',
        destinationNamespace: 'vault',
        project: 'hub',
        repoURL: CHARTS,
        chart: 'hashicorp-vault',
        targetRevision: '0.1.*',
        multiSource: true,
      },
    ]);
    // a chart app's first source is the pattern repo at the pattern's revision, as a ref
    expect(hub.applications[0].sources![0]).toEqual({
      repoURL: REPO,
      targetRevision: 'main',
      ref: 'patternref',
    });
    expect(hub.applications[0].destination.name).toBe('in-cluster');
    expect(hub.applications[0].syncPolicy).toEqual({
      automated: {},
      retry: { limit: 20 },
    });
    expect(hub.projects).toEqual(['hub', 'config-demo', 'hello-world']);
    expect(hub.namespaces).toEqual([
      'config-demo',
      'external-secrets',
      'external-secrets-operator',
      'hello-world',
      'open-cluster-management',
      'vault',
    ]);
    expect(hub.managedClusterGroups).toEqual([
      {
        name: 'group-one',
        selector: {
          matchExpressions: [
            { key: 'local-cluster', operator: 'NotIn', values: ['true'] },
          ],
          matchLabels: { clusterGroup: 'group-one' },
        },
        requirements: [
          { key: 'clusterGroup', op: 'eq', value: 'group-one' },
          { key: 'local-cluster', op: 'notin', values: ['true'] },
        ],
        helmOverrides: [],
      },
    ]);
  });

  it('gives group-one the applications the clustergroup chart gives', () => {
    const g = renderClusterGroup(realFiles(), 'group-one', ctx);
    expect(g.applications.map(summary)).toEqual([
      expect.objectContaining({
        name: 'config-demo',
        project: 'config-demo',
        path: 'charts/all/config-demo',
        targetRevision: 'main',
      }),
      expect.objectContaining({
        name: 'hello-world',
        project: 'hello-world',
        path: 'charts/all/hello-world',
        targetRevision: 'main',
      }),
      expect.objectContaining({
        name: 'openshift-external-secrets',
        destinationNamespace: 'external-secrets',
        project: 'eso',
        chart: 'openshift-external-secrets',
        targetRevision: '0.0.*',
      }),
    ]);
    expect(g.projects).toEqual(['eso', 'config-demo', 'hello-world']);
    expect(g.managedClusterGroups).toEqual([]);
  });

  it('takes a pinned revision, a disabled app and the deprecated project key as the chart does', () => {
    const files = realFiles({
      'values-group-one.yaml': `
clusterGroup:
  name: group-one
  namespaces: [a, {b: {disabled: true}}, {c: {}}]
  projects: [legacy]
  applications:
    pinned:
      name: pinned
      path: charts/pinned
      project: legacy
      targetRevision: v1.2.0
      repoURL: https://git.example.com/other.git
    off:
      name: off
      path: charts/off
      disabled: true
    gone:
    plain:
      name: plain
      path: charts/plain
      syncPolicy: Manual
`,
    });
    const g = renderClusterGroup(files, 'group-one', {
      ...ctx,
      targetRevision: 'release-1',
    });
    expect(g.applications.map(summary)).toEqual([
      expect.objectContaining({
        name: 'pinned',
        project: 'legacy',
        repoURL: 'https://git.example.com/other.git',
        targetRevision: 'v1.2.0',
      }),
      expect.objectContaining({
        name: 'plain',
        project: 'default',
        repoURL: REPO,
        targetRevision: 'release-1',
        // no namespace given: the app deploys into its Argo CD namespace
        destinationNamespace: 'openshift-gitops',
      }),
    ]);
    expect(g.applications[1].syncPolicy).toBeNull();
    expect(g.namespaces).toEqual(['a', 'c']);
    expect(g.projects).toEqual(['legacy']);
  });

  it('puts the apps in <pattern>-<group> without singleArgoCD', () => {
    const files = realFiles({
      'values-global.yaml': 'global:\n  options: {syncPolicy: Automatic}\n',
    });
    const g = renderClusterGroup(files, 'group-one', ctx);
    expect(g.argoNamespace).toBe('multicloud-gitops-group-one');
    expect(g.applications[0].namespace).toBe('multicloud-gitops-group-one');
  });
});

describe('managedClusterGroups selectors', () => {
  function groups(yaml: string) {
    return renderClusterGroup(
      realFiles({
        'values-hub.yaml': `clusterGroup:\n  name: hub\n  applications: {}\n  managedClusterGroups:\n${yaml}`,
      }),
      'hub',
      ctx,
    ).managedClusterGroups;
  }
  const labels = {
    prod: { clusterGroup: 'prod', vendor: 'OpenShift', region: 'eu' },
    edge: { clusterGroup: 'edge', vendor: 'EKS' },
    hub: { 'local-cluster': 'true', vendor: 'OpenShift', clusterGroup: 'prod' },
  };
  const matching = (reqs: any) =>
    Object.entries(labels)
      .filter(([, l]) => matchesLabels(reqs, l))
      .map(([n]) => n);

  it('matches In, NotIn, Exists and DoesNotExist as a Placement does', () => {
    const [inSel, notIn, exists, missing] = groups(`
    a:
      name: a
      clusterSelector:
        matchExpressions: [{key: vendor, operator: In, values: [OpenShift]}]
    b:
      name: b
      clusterSelector:
        matchExpressions: [{key: vendor, operator: NotIn, values: [OpenShift]}]
    c:
      name: c
      clusterSelector:
        matchExpressions: [{key: region, operator: Exists}]
    d:
      name: d
      clusterSelector:
        matchLabels: {vendor: OpenShift}
        matchExpressions: [{key: local-cluster, operator: DoesNotExist}]
`);
    expect(matching(inSel.requirements)).toEqual(['prod', 'hub']);
    expect(matching(notIn.requirements)).toEqual(['edge']);
    expect(matching(exists.requirements)).toEqual(['prod']);
    expect(matching(missing.requirements)).toEqual(['prod']);
  });

  it('selects by the acmlabels, or by clusterGroup=<name>, and never the hub', () => {
    const [byLabels, byName] = groups(`
    x:
      name: edge
      acmlabels: [{name: vendor, value: EKS}]
    y:
      name: prod
`);
    expect(matching(byLabels.requirements)).toEqual(['edge']);
    expect(matching(byName.requirements)).toEqual(['prod']);
  });

  it('rejects a bad operator or missing values with the file and key', () => {
    expect(() =>
      groups(`
    a:
      name: a
      clusterSelector:
        matchExpressions: [{key: vendor, operator: Equals, values: [x]}]
`),
    ).toThrow(
      'values-hub.yaml: clusterGroup.managedClusterGroups.a.clusterSelector.matchExpressions[0].operator: "Equals" is not a valid label selector operator',
    );
    expect(() =>
      groups(`
    a:
      name: a
      clusterSelector:
        matchExpressions: [{key: vendor, operator: In}]
`),
    ).toThrow(
      'clusterSelector.matchExpressions[0].values: must be specified when operator is In',
    );
    expect(() => groups(`    a: {acmlabels: []}\n`)).toThrow(
      'values-hub.yaml: clusterGroup.managedClusterGroups.a.name: is required',
    );
  });
});

describe('render errors', () => {
  const render = (text: string) => () =>
    renderClusterGroup(
      realFiles({ 'values-group-one.yaml': text }),
      'group-one',
      ctx,
    );

  it('names the file of YAML that does not parse', () => {
    expect(render('clusterGroup:\n  applications: [\n')).toThrow(
      PatternRenderError,
    );
    expect(render('clusterGroup:\n  applications: [\n')).toThrow(
      /^values-group-one\.yaml: not valid YAML/,
    );
  });

  it('names the key of an application without a name, a path or a chart', () => {
    expect(
      render('clusterGroup:\n  applications:\n    x: {path: a}\n'),
    ).toThrow(
      'values-group-one.yaml: clusterGroup.applications.x.name: is required',
    );
    expect(
      render('clusterGroup:\n  applications:\n    x: {name: x}\n'),
    ).toThrow(
      'values-group-one.yaml: clusterGroup.applications.x: needs a path or a chart',
    );
    expect(
      render(
        'clusterGroup:\n  applications:\n    x: {name: a, path: p}\n    y: {name: a, path: q}\n',
      ),
    ).toThrow('application "a" is declared twice');
  });

  it('rejects a values file that is not a map', () => {
    expect(render('- a\n- b\n')).toThrow(
      'values-group-one.yaml: must be a YAML map of values',
    );
    expect(render('clusterGroup: [a]\n')).toThrow(
      'values-group-one.yaml: clusterGroup: must be a map',
    );
  });
});
