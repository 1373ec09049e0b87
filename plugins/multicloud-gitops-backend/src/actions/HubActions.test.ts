import { HubActions, HubObjectsApi } from './HubActions';

const APP = {
  apiVersion: 'argoproj.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: 'hello-world',
    namespace: 'openshift-gitops',
    resourceVersion: '41',
    uid: 'u-1',
    labels: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
  },
  spec: {
    project: 'default',
    source: { repoURL: 'https://git/x', path: 'charts/hello', helm: {} },
    destination: { server: 'https://kubernetes.default.svc' },
    syncPolicy: { syncOptions: ['CreateNamespace=true'] },
  },
  status: {
    sync: { status: 'OutOfSync' },
    health: { status: 'Healthy' },
    operationState: { phase: 'Succeeded' },
  },
};

type Reply = (obj: any) => any;

/**
 * A hub whose cluster answers each view and action with `viewReply`/`actionReply` (a status
 * to set, or undefined for a cluster that never answers), recording every call.
 */
function fakeHub(opts: {
  viewReply?: Reply;
  actionReply?: Reply;
  createError?: unknown;
}) {
  const calls: string[] = [];
  const objects = new Map<string, any>();
  let n = 0;
  const api: HubObjectsApi = {
    async create(kind, namespace, body: any) {
      calls.push(`create ${kind.plural} ${namespace}`);
      if (opts.createError) throw opts.createError;
      const name = `${body.metadata.generateName}${++n}`;
      const obj = { ...body, metadata: { ...body.metadata, name, namespace } };
      const reply =
        kind.plural === 'managedclusterviews'
          ? opts.viewReply
          : opts.actionReply;
      const status = reply?.(obj);
      objects.set(name, status ? { ...obj, status } : obj);
      return obj;
    },
    async get(kind, namespace, name) {
      calls.push(`get ${kind.plural} ${namespace}/${name}`);
      return objects.get(name);
    },
    async remove(kind, namespace, name) {
      calls.push(`delete ${kind.plural} ${namespace}/${name}`);
      objects.delete(name);
    },
  };
  return { api, calls, objects };
}

const viewed = () => ({
  conditions: [
    { type: 'Processing', status: 'True', reason: 'GetResourceProcessing' },
  ],
  result: APP,
});
const done = () => ({
  conditions: [{ type: 'Completed', status: 'True', reason: 'ActionDone' }],
});

const actions = (api: HubObjectsApi) =>
  new HubActions({
    api,
    url: 'https://hub:6443',
    credential: 'token multicloudGitops.hubs[0].serviceAccountToken',
    timeoutMs: 10_000,
    pollMs: 500,
  });

describe('HubActions', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** Run `p` to the end with the fake clock, and return what it settled to. */
  async function settle<T>(p: Promise<T>) {
    const out = p.then(
      v => ({ ok: true as const, v }),
      e => ({ ok: false as const, e: e as Error }),
    );
    await jest.advanceTimersByTimeAsync(60_000);
    return out;
  }

  it('rolls back as a sync operation to the history entry, refused while auto-sync is on or for an unknown id', async () => {
    const entry = {
      id: 4,
      revision: 'c'.repeat(40),
      source: { repoURL: 'https://git/x', path: 'charts/hello' },
    };
    const withHistory = (automated: boolean) => () => ({
      ...viewed(),
      result: {
        ...APP,
        spec: {
          ...APP.spec,
          syncPolicy: automated
            ? { ...APP.spec.syncPolicy, automated: {} }
            : APP.spec.syncPolicy,
        },
        status: { ...APP.status, history: [entry, { id: 5 }] },
      },
    });
    let template: any;
    const hub = fakeHub({
      viewReply: withHistory(false),
      actionReply: obj => {
        template = obj.spec.kube.template;
        return done();
      },
    });
    const r = await settle(
      actions(hub.api).rollback(
        'east',
        'hello-world',
        'openshift-gitops',
        4,
        'user:default/alice',
      ),
    );
    expect(r).toMatchObject({ ok: true, v: { operationPhase: 'Running' } });
    expect(template.operation).toEqual({
      sync: {
        revision: entry.revision,
        source: entry.source,
        prune: false,
        syncOptions: ['CreateNamespace=true'],
      },
      initiatedBy: { username: 'user:default/alice' },
    });
    expect(hub.calls.filter(c => c.startsWith('create'))).toEqual([
      'create managedclusterviews east',
      'create managedclusteractions east',
    ]);

    const unknown = await settle(
      actions(fakeHub({ viewReply: withHistory(false) }).api).rollback(
        'east',
        'hello-world',
        'openshift-gitops',
        9,
        'user:default/alice',
      ),
    );
    expect(unknown).toMatchObject({ ok: false });
    expect(!unknown.ok && unknown.e.message).toBe(
      'Application hello-world on east does not have deployment with id 9',
    );
    const automated = fakeHub({ viewReply: withHistory(true) });
    const refused = await settle(
      actions(automated.api).rollback(
        'east',
        'hello-world',
        'openshift-gitops',
        4,
        'user:default/alice',
      ),
    );
    expect(!refused.ok && refused.e.message).toMatch(
      /rollback cannot be initiated when auto-sync is enabled/,
    );
    // nothing was written to the cluster
    expect(automated.calls.some(c => c.includes('managedclusteractions'))).toBe(
      false,
    );
  });

  it('syncs with the whole application as viewed, plus the operation, and cleans up', async () => {
    let template: any;
    const hub = fakeHub({
      viewReply: viewed,
      actionReply: obj => {
        template = obj.spec.kube.template;
        expect(obj.spec).toMatchObject({
          actionType: 'Update',
          kube: { namespace: 'openshift-gitops' },
        });
        return done();
      },
    });
    const r = await settle(
      actions(hub.api).sync(
        'east',
        'hello-world',
        'openshift-gitops',
        'user:default/alice',
      ),
    );
    expect(r).toEqual({
      ok: true,
      v: { sync: 'OutOfSync', health: 'Healthy', operationPhase: 'Running' },
    });
    // upstream's Update replaces the object: everything but the resourceVersion goes back
    const { resourceVersion, ...metadata } = APP.metadata;
    expect(resourceVersion).toBe('41');
    expect(template).toEqual({
      ...APP,
      metadata,
      operation: {
        sync: { prune: false, syncOptions: ['CreateNamespace=true'] },
        initiatedBy: { username: 'user:default/alice' },
      },
    });
    expect(hub.calls).toEqual([
      'create managedclusterviews east',
      'get managedclusterviews east/mcg-view-1',
      'delete managedclusterviews east/mcg-view-1',
      'create managedclusteractions east',
      'get managedclusteractions east/mcg-sync-2',
      'delete managedclusteractions east/mcg-sync-2',
    ]);
  });

  it('refreshes with the refresh annotation and no operation', async () => {
    let template: any;
    const hub = fakeHub({
      viewReply: viewed,
      actionReply: obj => {
        template = obj.spec.kube.template;
        return done();
      },
    });
    const r = await settle(
      actions(hub.api).refresh('east', 'hello-world', 'openshift-gitops'),
    );
    expect(r.ok).toBe(true);
    expect(template.metadata.annotations).toEqual({
      'argocd.argoproj.io/refresh': 'normal',
    });
    expect(template.operation).toBeUndefined();
    expect(template.spec).toEqual(APP.spec);
  });

  it('refuses to sync while an operation runs, without acting', async () => {
    const hub = fakeHub({
      viewReply: () => ({
        ...viewed(),
        result: {
          ...APP,
          status: { ...APP.status, operationState: { phase: 'Running' } },
        },
      }),
      actionReply: done,
    });
    const r = await settle(
      actions(hub.api).sync('east', 'hello-world', 'openshift-gitops', 'u'),
    );
    expect(r.ok).toBe(false);
    expect(!r.ok && r.e.name).toBe('ConflictError');
    expect(!r.ok && r.e.message).toBe(
      'Cannot sync hello-world on east: another operation is already in progress',
    );
    expect(hub.calls.some(c => c.includes('managedclusteractions'))).toBe(
      false,
    );
  });

  it('says what the cluster reported when it could not view or act', async () => {
    const missing = fakeHub({
      viewReply: () => ({
        conditions: [
          {
            type: 'Processing',
            status: 'False',
            reason: 'GetResourceFailed',
            message:
              'failed to get resource with err: applications.argoproj.io "hello-world" not found',
          },
        ],
      }),
    });
    const m = await settle(
      actions(missing.api).refresh('east', 'hello-world', 'openshift-gitops'),
    );
    expect(!m.ok && [m.e.name, m.e.message]).toEqual([
      'NotFoundError',
      'Cluster east: applications.argoproj.io "hello-world" not found',
    ]);

    const refused = fakeHub({
      viewReply: viewed,
      actionReply: () => ({
        conditions: [
          {
            type: 'Completed',
            status: 'False',
            reason: 'UpdateResourceFailed',
            message: 'failed to handle Update action with err: denied',
          },
        ],
      }),
    });
    const f = await settle(
      actions(refused.api).sync('east', 'hello-world', 'openshift-gitops', 'u'),
    );
    expect(!f.ok && [f.e.name, f.e.message]).toEqual([
      'ConflictError',
      'Cluster east refused: failed to handle Update action with err: denied',
    ]);
    expect(refused.objects.size).toBe(0);
  });

  it('gives up after the timeout with a clear error and withdraws the action', async () => {
    const hub = fakeHub({ viewReply: viewed, actionReply: () => undefined });
    const r = await settle(
      actions(hub.api).sync('east', 'hello-world', 'openshift-gitops', 'u'),
    );
    expect(!r.ok && [r.e.name, r.e.message]).toEqual([
      'ServiceUnavailableError',
      "Cluster east did not carry out the hub's ManagedClusterAction within 10 s: is the cluster available and its klusterlet running?",
    ]);
    // asked every 500 ms for 10 s, then deleted so a late cluster does not act
    expect(
      hub.calls.filter(c => c.startsWith('get managedclusteractions')),
    ).toHaveLength(20);
    expect(hub.calls[hub.calls.length - 1]).toBe(
      'delete managedclusteractions east/mcg-sync-2',
    );
    expect(hub.objects.size).toBe(0);
  });

  it('names the credential and the missing grant when the hub forbids the action', async () => {
    const hub = fakeHub({
      createError: Object.assign(new Error('Forbidden'), { code: 403 }),
    });
    const r = await settle(
      actions(hub.api).refresh('east', 'hello-world', 'openshift-gitops'),
    );
    expect(!r.ok && r.e.message).toBe(
      'The token multicloudGitops.hubs[0].serviceAccountToken may not create managedclusterviews in namespace east on https://hub:6443 (403 Forbidden): grant create, get and delete on managedclusteractions and managedclusterviews to that service account',
    );
  });
});
