import fs from 'fs';
import path from 'path';
import Ajv from 'ajv';
import YAML from 'yaml';
import { RunningSimulator, startSimulator } from '../index';
import { request, waitFor } from '../testUtils';

jest.setTimeout(20000);

const ACTIONS = '/apis/action.open-cluster-management.io/v1beta1/namespaces';
const VIEWS = '/apis/view.open-cluster-management.io/v1beta1/namespaces';

/** The CRD's schema, compiled here independently of the simulator's own validation. */
function crdSchemaValidator(file: string) {
  // eslint-disable-next-line no-restricted-syntax
  const text = fs.readFileSync(
    path.join(__dirname, '../../crds', file),
    'utf8',
  );
  const crd = YAML.parse(text);
  const strip = (s: any): any => {
    if (Array.isArray(s)) return s.map(strip);
    if (!s || typeof s !== 'object') return s;
    return Object.fromEntries(
      Object.entries(s)
        .filter(([k]) => !k.startsWith('x-kubernetes-'))
        .map(([k, v]) => [k, strip(v)]),
    );
  };
  return new Ajv({
    strict: false,
    allErrors: true,
    validateFormats: false,
  }).compile(strip(crd.spec.versions[0].schema.openAPIV3Schema));
}
const actionValid = crdSchemaValidator(
  'action.open-cluster-management.io_managedclusteractions.crd.yaml',
);
const viewValid = crdSchemaValidator(
  'view.open-cluster-management.io_managedclusterviews.crd.yaml',
);

describe('ManagedClusterAction and ManagedClusterView', () => {
  let sim: RunningSimulator;
  let spoke: string;
  let appName: string;
  const k8s = (method: string, p: string, body?: unknown) =>
    request(method, `${sim.url}${p}`, { token: sim.token, body });
  const argoApp = async (name: string) =>
    (
      await request(
        'GET',
        `${sim.argocdUrl(spoke)}/api/v1/applications/${name}`,
        { token: sim.token },
      )
    ).json;
  const finished = (kind: 'action' | 'view', name: string) =>
    waitFor(async () => {
      const r = await k8s(
        'GET',
        `${kind === 'action' ? ACTIONS : VIEWS}/${spoke}/${
          kind === 'action' ? 'managedclusteractions' : 'managedclusterviews'
        }/${name}`,
      );
      return r.json.status?.conditions?.length > 0 && r.json;
    });
  const act = (name: string, spec: unknown) =>
    k8s('POST', `${ACTIONS}/${spoke}/managedclusteractions`, {
      apiVersion: 'action.open-cluster-management.io/v1beta1',
      kind: 'ManagedClusterAction',
      metadata: { name },
      spec,
    });
  const view = async (name: string, appToView: string) => {
    const created = await k8s('POST', `${VIEWS}/${spoke}/managedclusterviews`, {
      apiVersion: 'view.open-cluster-management.io/v1beta1',
      kind: 'ManagedClusterView',
      metadata: { name },
      spec: {
        scope: {
          apiGroup: 'argoproj.io',
          version: 'v1alpha1',
          kind: 'Application',
          name: appToView,
          namespace: 'openshift-gitops',
        },
      },
    });
    expect(created.status).toBe(201);
    return finished('view', name);
  };

  beforeAll(async () => {
    sim = await startSimulator({ clusters: 3, appsPerCluster: 4, seed: 'mca' });
    const mcs = await k8s(
      'GET',
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    spoke = mcs.json.items.find(
      (m: any) =>
        m.spec.hubAcceptsClient &&
        !m.metadata.labels['local-cluster'] &&
        m.status.conditions.some(
          (c: any) =>
            c.type === 'ManagedClusterConditionAvailable' &&
            c.status === 'True',
        ),
    ).metadata.name;
    const apps = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications`,
      { token: sim.token },
    );
    appName =
      apps.json.items.find(
        (a: any) => !a.spec.syncPolicy?.automated && !a.status.operationState,
      )?.metadata.name ?? apps.json.items[0].metadata.name;
  });
  afterAll(() => sim.stop());

  it('accepts actions and views that follow the upstream CRDs and refuses others', async () => {
    const good = await act('good', {
      actionType: 'Delete',
      kube: { resource: 'deployment', namespace: 'default', name: 'x' },
    });
    expect(good.status).toBe(201);
    expect(actionValid(good.json)).toBe(true);
    // status belongs to the klusterlet: a create does not set it
    const withStatus = await act('with-status', { actionType: 'Update' });
    expect(withStatus.json.status).toBeUndefined();

    const badType = await act('bad-type', { actionType: 5 });
    expect(badType.status).toBe(422);
    expect(badType.json.details.causes).toEqual([
      expect.objectContaining({
        reason: 'FieldValueTypeInvalid',
        field: 'spec.actionType',
      }),
    ]);
    const badKube = await act('bad-kube', {
      actionType: 'Create',
      kube: { template: 'not an object' },
    });
    expect(badKube.status).toBe(422);
    expect(badKube.json.message).toContain('spec.kube.template');
    const badView = await k8s('POST', `${VIEWS}/${spoke}/managedclusterviews`, {
      metadata: { name: 'bad-view' },
      spec: { scope: { name: 'x', updateIntervalSeconds: 'soon' } },
    });
    expect(badView.status).toBe(422);
    expect(badView.json.message).toContain('spec.scope.updateIntervalSeconds');
    // a refused object is not stored
    const list = await k8s('GET', `${ACTIONS}/${spoke}/managedclusteractions`);
    expect(list.json.items.map((i: any) => i.metadata.name).sort()).toEqual([
      'good',
      'with-status',
    ]);
  });

  it('reads a spoke application through a view', async () => {
    const v = await view('read-app', appName);
    expect(viewValid(v)).toBe(true);
    expect(v.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Processing',
        status: 'True',
        reason: 'GetResourceProcessing',
      }),
    ]);
    expect(v.status.result).toMatchObject({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: appName, namespace: 'openshift-gitops' },
    });
    expect(v.status.result.spec.destination).toBeDefined();

    const missing = await view('read-missing', 'no-such-app');
    expect(missing.status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'GetResourceFailed',
    });
    expect(missing.status.conditions[0].message).toContain(
      'applications.argoproj.io "no-such-app" not found',
    );
  });

  it('syncs a spoke application with an Update carrying the viewed object and an operation', async () => {
    const v = await view('before-sync', appName);
    const template = JSON.parse(JSON.stringify(v.status.result));
    delete template.metadata.resourceVersion;
    template.operation = {
      sync: { prune: false },
      initiatedBy: { username: 'user:default/alice' },
    };
    const created = await act('sync-app', {
      actionType: 'Update',
      kube: {
        resource: 'application',
        namespace: 'openshift-gitops',
        template,
      },
    });
    expect(created.status).toBe(201);
    const done = await finished('action', 'sync-app');
    expect(actionValid(done)).toBe(true);
    expect(done.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Completed',
        status: 'True',
        reason: 'ActionDone',
        message: 'Resource action is done.',
      }),
    ]);
    const running = await argoApp(appName);
    expect(running.status.operationState).toMatchObject({
      phase: 'Running',
      operation: { initiatedBy: { username: 'user:default/alice' } },
    });
    // the rest of the application is what the template carried
    expect(running.spec).toEqual(template.spec);
    const synced = await waitFor(async () => {
      const a = await argoApp(appName);
      return a.status.operationState.phase === 'Succeeded' && a;
    });
    expect(synced.status.sync.status).toBe('Synced');
    expect(synced.operation).toBeUndefined();
  });

  it('refreshes a spoke application through the refresh annotation', async () => {
    const v = await view('before-refresh', appName);
    const template = JSON.parse(JSON.stringify(v.status.result));
    delete template.metadata.resourceVersion;
    template.metadata.annotations = {
      ...template.metadata.annotations,
      'argocd.argoproj.io/refresh': 'normal',
    };
    const before = await argoApp(appName);
    await act('refresh-app', {
      actionType: 'Update',
      kube: { namespace: 'openshift-gitops', template },
    });
    const done = await finished('action', 'refresh-app');
    expect(done.status.conditions[0]).toMatchObject({
      type: 'Completed',
      status: 'True',
    });
    const after = await argoApp(appName);
    expect(
      after.metadata.annotations?.['argocd.argoproj.io/refresh'],
    ).toBeUndefined();
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );
    expect(after.status.reconciledAt).toBeDefined();
  });

  it('fails an action on an unknown application, a stale object or a partial template, and changes nothing', async () => {
    const v = await view('before-failures', appName);
    const before = await argoApp(appName);
    const unknown = JSON.parse(JSON.stringify(v.status.result));
    unknown.metadata = { name: 'no-such-app', namespace: 'openshift-gitops' };
    await act('unknown-app', {
      actionType: 'Update',
      kube: { namespace: 'openshift-gitops', template: unknown },
    });
    const failed = await finished('action', 'unknown-app');
    expect(actionValid(failed)).toBe(true);
    expect(failed.status.conditions[0]).toMatchObject({
      type: 'Completed',
      status: 'False',
      reason: 'UpdateResourceFailed',
    });
    expect(failed.status.conditions[0].message).toBe(
      'failed to handle Update action with err: applications.argoproj.io "no-such-app" not found',
    );

    // a template with an old resourceVersion is a conflict, as the merge patch makes it
    const stale = JSON.parse(JSON.stringify(v.status.result));
    stale.metadata.resourceVersion = '1';
    await act('stale', {
      actionType: 'Update',
      kube: { namespace: 'openshift-gitops', template: stale },
    });
    expect(
      (await finished('action', 'stale')).status.conditions[0].message,
    ).toContain('the object has been modified');

    // upstream's Update replaces the object: a template without spec is refused by the schema
    await act('partial', {
      actionType: 'Update',
      kube: {
        namespace: 'openshift-gitops',
        template: {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: appName, namespace: 'openshift-gitops' },
          operation: { sync: {} },
        },
      },
    });
    const partial = await finished('action', 'partial');
    expect(partial.status.conditions[0]).toMatchObject({
      status: 'False',
      reason: 'UpdateResourceFailed',
    });
    expect(partial.status.conditions[0].message).toContain('spec');

    await act('no-type', { kube: { resource: 'application' } });
    expect(
      (await finished('action', 'no-type')).status.conditions[0],
    ).toMatchObject({ status: 'False', reason: 'ActionTypeInvalid' });

    const after = await argoApp(appName);
    expect(after.metadata.resourceVersion).toBe(
      before.metadata.resourceVersion,
    );
  });

  it('leaves an action on an unknown cluster without a status', async () => {
    await k8s('POST', '/api/v1/namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'not-a-cluster' },
    });
    const created = await k8s(
      'POST',
      `${ACTIONS}/not-a-cluster/managedclusteractions`,
      {
        metadata: { name: 'nowhere' },
        spec: { actionType: 'Delete', kube: { resource: 'pod', name: 'x' } },
      },
    );
    expect(created.status).toBe(201);
    // an action elsewhere completes, so this one had its chance
    await act('elsewhere', {
      actionType: 'Delete',
      kube: { resource: 'pod', namespace: 'default', name: 'x' },
    });
    await finished('action', 'elsewhere');
    const r = await k8s(
      'GET',
      `${ACTIONS}/not-a-cluster/managedclusteractions/nowhere`,
    );
    expect(r.json.status).toBeUndefined();
  });
});
