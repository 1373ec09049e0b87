/*
 * What runs where, end to end on the fleet simulator: the spread of an application after a
 * new commit reaches half its clusters; history (with commits) and diff of a hub
 * application, of a spoke application read through its configured Argo CD instance, and of
 * one the hub reads through a ManagedClusterView; rollback by an owner, denied to others,
 * audited.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import type {
  ApplicationDiff,
  ApplicationHistory,
  RevisionSpread,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import { join as joinPath } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import {
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from '../__testUtils__/services';
import {
  simArgocd,
  simCall as sim,
  simHub,
  simulatorTeardown,
  testServiceFactories,
  until as untilWithin,
} from '../__testUtils__/simulator';
import { multicloudGitopsPlugin } from '../plugin';

const API = '/api/multicloud-gitops/v1';

// The first write of an Application on a spoke compiles Argo CD's CRD schema once.
jest.setTimeout(30000);

/** Checks an answer against the OpenAPI document beside the router. */
function openApiCheck(schema: string, body: unknown) {
  const doc = YAML.parse(
    fs.readFileSync(joinPath(__dirname, 'openapi.yaml'), 'utf8'),
    { merge: true },
  );
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: doc.components }, 'openapi');
  const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
  const ok = validate(body);
  expect(ok ? [] : validate.errors!.slice(0, 5)).toEqual([]);
}

const until = <T>(fn: () => Promise<T | undefined | false>) =>
  untilWithin(fn, 20000);

describe('what runs where, on the fleet simulator', () => {
  let fleet: RunningSimulator;
  let server: any;
  const auditor = recordingAuditor();
  const user = (ref = OWNER) => mockCredentials.user.header(ref);
  /** Spokes read through their own Argo CD instance, and the one the hub reads. */
  let served: string[] = [];
  let hubRead = '';
  const get = (path: string, ref = OWNER) =>
    request(server).get(`${API}${path}`).set('Authorization', user(ref));
  const topology = async (): Promise<TopologyResponse> =>
    (await get('/topology?pattern=multicloud-gitops')).body;

  /**
   * Deploys another commit of an application whose auto-sync is off, through its cluster's
   * Argo CD, and returns the entry before it once the backend's history shows it.
   */
  const deployNewCommit = async (appUrl: string, path: string, app: any) => {
    await sim('POST', `${appUrl}/sync`, fleet.token, {
      revision: 'release-2.1',
    });
    const history: ApplicationHistory = await until(async () => {
      const h: ApplicationHistory = (await get(`${path}/history`)).body;
      return (
        h.rollbackAllowed &&
        h.entries[0]?.revision !== app.status.sync.revision &&
        h
      );
    });
    return history.entries.find(e => !e.current)!;
  };

  beforeAll(async () => {
    fleet = await startSimulator({
      clusters: 5,
      groups: 1,
      appsPerCluster: 4,
      seed: 'what-runs-where',
    });
    const clusters = await sim(
      'GET',
      `${fleet.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
      fleet.token,
    );
    const spokes: string[] = clusters.items
      .filter(
        (m: any) =>
          !m.metadata.labels?.['local-cluster'] &&
          m.status?.conditions?.some(
            (c: any) =>
              c.type === 'ManagedClusterConditionAvailable' &&
              c.status === 'True',
          ),
      )
      .map((m: any) => m.metadata.name)
      .sort();
    if (spokes.length < 3)
      throw new Error(`the fleet needs 3 available spokes, has ${spokes}`);
    hubRead = spokes[spokes.length - 1];
    served = spokes.slice(0, -1);
    const backend = await startTestBackend({
      features: [
        multicloudGitopsPlugin,
        ...testServiceFactories(permissionPolicy().service, auditor.service),
        mockServices.rootConfig.factory({
          data: {
            multicloudGitops: {
              hubs: [
                simHub(fleet, fleet.token, [
                  simArgocd(fleet),
                  ...served.map(s =>
                    simArgocd(fleet, `${s}-gitops`, fleet.argocdUrl(s), [s]),
                  ),
                ]),
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
    await until(async () => {
      const t = await topology();
      return (
        t.sources?.every(s => s.state === 'ok') &&
        served.every(s =>
          t.applications.some(a => a.cluster === s && a.revision),
        ) &&
        t.applications.some(a => a.cluster === hubRead)
      );
    });
  });

  simulatorTeardown(() => ({ server, sim: fleet }));

  it('shows which commit runs where after a new commit reaches half the clusters', async () => {
    const spreadOf = async (): Promise<RevisionSpread> => {
      const r = await get('/applications/spread?hub=hub&name=hello-world');
      expect(r.status).toBe(200);
      return r.body;
    };
    const before = await spreadOf();
    const runs = before.revisions.flatMap(r => r.clusters);
    expect(runs).toEqual(expect.arrayContaining(served));
    // ACM Search reports no revision: clusters no configured instance serves are unknown
    expect(before.unknown).toContain(hubRead);
    expect(before.unknown.filter(c => served.includes(c))).toEqual([]);

    const moved = served.slice(0, Math.ceil(runs.length / 2));
    for (const spoke of moved) {
      await sim('POST', `${fleet.url}/_simulator/mutate`, fleet.token, {
        op: 'app-state',
        cluster: spoke,
        app: 'hello-world',
        targetRevision: 'release-2.1',
      });
      const started = await sim(
        'POST',
        `${fleet.argocdUrl(spoke)}/api/v1/applications/hello-world/sync`,
        fleet.token,
        {},
      );
      expect(started.status.operationState.phase).toBe('Running');
    }
    const after = await until(async () => {
      const s = await spreadOf();
      return (
        s.revisions.some(
          r =>
            r.clusters.length === moved.length &&
            !before.revisions.some(b => b.revision === r.revision),
        ) && s
      );
    });
    expect(after.revisions[0].clusters).toEqual([...moved].sort());
    expect(after.leading).toBe(after.revisions[0].revision);
    expect(after.lagging).toEqual(runs.filter(c => !moved.includes(c)).sort());
    expect(after.total).toBe(before.total);
    openApiCheck('RevisionSpread', after);
    // the entity's view: hello-world's component sees the same application
    const byEntity = await get(
      '/applications/spread?entityRef=component:default/hello-world&name=hello-world',
    );
    expect(byEntity.status).toBe(200);
    expect(byEntity.body).toMatchObject({
      leading: after.leading,
      lagging: after.lagging,
    });

    // answered from the store: the same answer again is a 304 by its ETag
    const again = await get('/applications/spread?hub=hub&name=hello-world');
    const cached = await get(
      '/applications/spread?hub=hub&name=hello-world',
    ).set('If-None-Match', again.headers.etag);
    expect(cached.status).toBe(304);
    const bad = await get('/applications/spread?name=hello-world');
    expect(bad.status).toBe(400);
  });

  it('shows the history with commits and the diff of a hub application and of a spoke application', async () => {
    const t = await topology();
    const hubApp = t.applications.find(a => a.instance === 'hub-gitops')!;
    const spoke = served[served.length - 1];
    await sim('POST', `${fleet.url}/_simulator/mutate`, fleet.token, {
      op: 'app-state',
      cluster: spoke,
      app: 'config-demo',
      sync: 'OutOfSync',
    });
    for (const [cluster, name, through] of [
      [hubApp.cluster, hubApp.name, 'argocd:hub-gitops'],
      [spoke, 'config-demo', `argocd:${spoke}-gitops`],
    ]) {
      const h = await get(
        `/hubs/hub/clusters/${cluster}/applications/${name}/history`,
      );
      expect(h.status).toBe(200);
      const history: ApplicationHistory = h.body;
      openApiCheck('ApplicationHistory', history);
      expect(history.through).toBe(through);
      expect(history.entries.length).toBeGreaterThan(0);
      expect(history.entries[0].current).toBe(true);
      const first = history.entries[0];
      expect(first.revision).toMatch(/^[0-9a-f]{40}$/);
      expect(first.commit).toEqual({
        author: expect.stringMatching(/<.+@example\.com>$/),
        date: expect.stringMatching(/Z$/),
        message: expect.any(String),
      });
      // automated applications take no rollback in Argo CD: the answer says so
      expect(history.rollbackAllowed).toBe(false);
      expect(history.rollbackReason).toMatch(/auto-sync/);
    }

    const d = await until(async () => {
      const r = await get(
        `/hubs/hub/clusters/${spoke}/applications/config-demo/diff`,
      );
      return r.body.sync === 'OutOfSync' && r;
    });
    const diff: ApplicationDiff = d.body;
    openApiCheck('ApplicationDiff', diff);
    expect(diff.unavailable).toBeUndefined();
    const modified = diff.resources.filter(r => r.modified);
    expect(modified).toHaveLength(1);
    expect(modified[0].diff).toMatch(/^--- desired\n\+\+\+ live\n@@ /);
    expect(modified[0].diff).toMatch(/^[-+] {2,}\S/m);
    for (const r of diff.resources.filter(x => !x.modified))
      expect(r.diff).toBe('');
  });

  it('reads the history of an application only the hub reaches, and says why it has no diff', async () => {
    const h = await get(
      `/hubs/hub/clusters/${hubRead}/applications/hello-world/history`,
    );
    expect(h.status).toBe(200);
    const history: ApplicationHistory = h.body;
    expect(history.through).toBe('hub');
    // the hub's Argo CD deploys from the same repository, so it reads the commit
    expect(history.entries[0]).toMatchObject({
      current: true,
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
      commit: { author: expect.stringMatching(/@example\.com>$/) },
    });
    const d = await get(
      `/hubs/hub/clusters/${hubRead}/applications/hello-world/diff`,
    );
    expect(d.status).toBe(200);
    openApiCheck('ApplicationDiff', d.body);
    const none = await get(
      `/hubs/hub/clusters/${hubRead}/applications/no-such-app/history`,
    );
    expect(none.status).toBe(404);
    expect(none.body.error.message).toBe(
      `Cluster ${hubRead} of hub hub runs no application no-such-app`,
    );
    openApiCheck('ApplicationHistory', history);
    expect(d.body.unavailable).toMatch(/configure the cluster's Argo CD/);
    expect(d.body.resources).toEqual([]);
    // nothing left behind on the hub
    const views = await sim(
      'GET',
      `${fleet.url}/apis/view.open-cluster-management.io/v1beta1/namespaces/${hubRead}/managedclusterviews`,
      fleet.token,
    );
    expect(views.items).toEqual([]);
  });

  it('rolls back for an owner, denies others, and audits both', async () => {
    const t = await topology();
    const hubApp = t.applications.find(
      a => a.instance === 'hub-gitops' && a.name === 'hello-world',
    )!;
    const appUrl = `${fleet.argocd.url}/api/v1/applications/hello-world`;
    // auto-sync off, then a new commit, so there is an earlier entry to go back to
    const app = await sim('GET', appUrl, fleet.token);
    delete app.spec.syncPolicy.automated;
    await sim('PUT', appUrl, fleet.token, app);
    const path = `/hubs/hub/clusters/${hubApp.cluster}/applications/hello-world`;
    const earlier = await deployNewCommit(appUrl, path, app);

    const denied = await request(server)
      .post(`${API}${path}/rollback`)
      .set('Authorization', user('user:default/bob'))
      .send({ entityRef: 'component:default/hello-world', id: earlier.id });
    expect(denied.status).toBe(403);
    const invalid = await request(server)
      .post(`${API}${path}/rollback`)
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world', id: 'one' });
    expect(invalid.status).toBe(400);
    const syncWithId = await request(server)
      .post(`${API}${path}/sync`)
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world', id: earlier.id });
    expect(syncWithId.status).toBe(400);
    expect(syncWithId.body.error.message).toBe(
      'Invalid body: id is for a rollback, not a sync',
    );

    const ok = await request(server)
      .post(`${API}${path}/rollback`)
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world', id: earlier.id });
    expect(ok.status).toBe(200);
    openApiCheck('ApplicationActionResponse', ok.body);
    expect(ok.body).toMatchObject({
      action: 'rollback',
      instance: 'hub-gitops',
      operationPhase: 'Running',
      message: `Rollback of hello-world to history entry ${earlier.id} started`,
    });
    const running = await sim('GET', appUrl, fleet.token);
    expect(running.status.operationState.operation.sync.revision).toBe(
      earlier.revision,
    );
    expect(
      auditor.events
        .filter(e => e.eventId === 'application-rollback')
        .map(e => [e.outcome, (e.meta as { historyId?: number }).historyId]),
    ).toEqual([
      ['fail', earlier.id],
      ['success', earlier.id],
    ]);
  });

  it('rolls back an application only the hub reaches, through a ManagedClusterAction', async () => {
    const appUrl = `${fleet.argocdUrl(
      hubRead,
    )}/api/v1/applications/hello-world`;
    const path = `/hubs/hub/clusters/${hubRead}/applications/hello-world`;
    const rollback = (id: number) =>
      request(server)
        .post(`${API}${path}/rollback`)
        .set('Authorization', user())
        .send({ entityRef: 'component:default/hello-world', id });
    // auto-sync on: refused before anything is written to the cluster
    const current: ApplicationHistory = (await get(`${path}/history`)).body;
    expect(current.rollbackAllowed).toBe(false);
    const refused = await rollback(current.entries[0].id);
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(
      /rollback cannot be initiated when auto-sync is enabled/,
    );

    // the cluster's owner turns auto-sync off (through the hub, as nothing else reaches it)
    // and a new commit is deployed, so there is an earlier entry to go back to
    const app = await sim('GET', appUrl, fleet.token);
    delete app.spec.syncPolicy.automated;
    delete app.metadata.resourceVersion;
    const action = await sim(
      'POST',
      `${fleet.url}/apis/action.open-cluster-management.io/v1beta1/namespaces/${hubRead}/managedclusteractions`,
      fleet.token,
      {
        apiVersion: 'action.open-cluster-management.io/v1beta1',
        kind: 'ManagedClusterAction',
        metadata: { name: 'auto-sync-off' },
        spec: {
          actionType: 'Update',
          kube: {
            resource: 'applications.argoproj.io',
            namespace: app.metadata.namespace,
            template: {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              ...app,
            },
          },
        },
      },
    );
    expect(action.metadata.name).toBe('auto-sync-off');
    await until(async () => {
      const a = await sim('GET', appUrl, fleet.token);
      return !a.spec.syncPolicy?.automated;
    });
    const earlier = await deployNewCommit(appUrl, path, app);

    const ok = await rollback(earlier.id);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      action: 'rollback',
      operationPhase: 'Running',
    });
    expect(ok.body.instance).toBeUndefined();
    const rolling = await sim('GET', appUrl, fleet.token);
    expect(rolling.status.operationState.operation).toMatchObject({
      sync: { revision: earlier.revision },
      initiatedBy: { username: OWNER },
    });
    expect(
      auditor.events
        .filter(
          e =>
            e.eventId === 'application-rollback' &&
            (e.meta as { cluster?: string }).cluster === hubRead,
        )
        .map(e => [e.outcome, (e.meta as { through?: string }).through]),
    ).toEqual([
      ['fail', undefined],
      ['success', 'hub'],
    ]);
  });
});
