/*
 * Sync and Refresh of spoke applications through the hub, end to end: the backend plugin
 * with a hub service account that may create ManagedClusterActions and Views, on the fleet
 * simulator, whose klusterlet stand-ins carry them to each spoke's Argo CD. No per-cluster
 * Argo CD instance is configured: only the hub's.
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
  ClusterDetails,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import request from 'supertest';
import {
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from '../__testUtils__/services';
import {
  simCall,
  simHub,
  simulatorTeardown,
  testServiceFactories,
  until,
} from '../__testUtils__/simulator';
import { multicloudGitopsPlugin } from '../plugin';

const API = '/api/multicloud-gitops/v1';

// The first write of an Application on a spoke compiles Argo CD's large CRD schema (once per
// process, as the simulated apiserver validates every write), which takes a few seconds.
jest.setTimeout(20000);

/** GET from the simulator with its token. */
const simGet = (url: string, token: string) => simCall('GET', url, token);

describe('sync and refresh through the hub, on the fleet simulator', () => {
  let sim: RunningSimulator;
  let server: any;
  const auditor = recordingAuditor();
  const policy = permissionPolicy();
  const user = (ref = OWNER) => mockCredentials.user.header(ref);

  /** The topology, and the first available managed cluster in it. */
  const availableSpoke = async () => {
    const t: TopologyResponse = (
      await request(server)
        .get(`${API}/topology?pattern=multicloud-gitops`)
        .set('Authorization', user())
    ).body;
    const spoke = t.clusters.find(
      c => !c.isHub && c.status === 'available',
    )!.name;
    return { t, spoke };
  };

  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 3,
      groups: 1,
      appsPerCluster: 4,
      seed: 'through-hub',
    });
    const backend = await startTestBackend({
      features: [
        multicloudGitopsPlugin,
        ...testServiceFactories(policy.service, auditor.service),
        mockServices.rootConfig.factory({
          data: {
            multicloudGitops: {
              // the token may create, get and delete managedclusteractions and managedclusterviews
              hubs: [simHub(sim, sim.token)],
            },
          },
        }),
      ],
    });
    server = backend.server;
    await until(async () => {
      const t: TopologyResponse = (
        await request(server)
          .get(`${API}/topology?pattern=multicloud-gitops`)
          .set('Authorization', user())
      ).body;
      return t.sources?.every(s => s.state === 'ok') && t.applications.length;
    }, 20000);
  });

  simulatorTeardown(() => ({ server, sim }));

  it('lets an owner sync a spoke application, shows its operation, and gives a non-owner no sync', async () => {
    const { t, spoke } = await availableSpoke();
    const app = t.applications.find(
      a => a.cluster === spoke && a.name === 'hello-world',
    )!;
    expect(app.instance).toBeUndefined();
    const details: ClusterDetails = (
      await request(server)
        .get(`${API}/hubs/hub/clusters/${spoke}`)
        .set('Authorization', user())
    ).body;
    expect(details.hubActions).toBe(true);

    const path = `${API}/hubs/hub/clusters/${spoke}/applications/hello-world/sync`;
    const denied = await request(server)
      .post(path)
      .set('Authorization', user('user:default/bob'))
      .send({ entityRef: 'component:default/hello-world' });
    expect(denied.status).toBe(403);

    const ok = await request(server)
      .post(path)
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      hub: 'hub',
      application: 'hello-world',
      action: 'sync',
      operationPhase: 'Running',
      message: 'Sync of hello-world started',
    });
    expect(ok.body.instance).toBeUndefined();

    // the spoke's Argo CD runs the operation, started by the Backstage user
    const appUrl = `${sim.argocdUrl(spoke)}/api/v1/applications/hello-world`;
    const started = await simGet(appUrl, sim.token);
    expect(started.status.operationState).toMatchObject({
      phase: 'Running',
      operation: { initiatedBy: { username: OWNER } },
    });
    // the backend leaves nothing behind on the hub
    for (const kind of [
      'action.open-cluster-management.io/v1beta1/namespaces/SPOKE/managedclusteractions',
      'view.open-cluster-management.io/v1beta1/namespaces/SPOKE/managedclusterviews',
    ]) {
      const list = await simGet(
        `${sim.url}/apis/${kind.replace('SPOKE', spoke)}`,
        sim.token,
      );
      expect(list.items).toEqual([]);
    }
    expect(
      auditor.events
        .filter(e => e.eventId === 'application-sync')
        .map(e => [e.outcome, (e.meta as { through?: string })?.through]),
    ).toEqual([
      ['fail', undefined],
      ['success', 'hub'],
    ]);
  });

  it('refreshes a spoke application through the hub', async () => {
    const { t, spoke } = await availableSpoke();
    const app = t.applications.find(
      a => a.cluster === spoke && a.name !== 'hello-world' && !a.instance,
    )!.name;
    const appUrl = `${sim.argocdUrl(spoke)}/api/v1/applications/${app}`;
    const before = await simGet(appUrl, sim.token);
    const refreshed = await request(server)
      .post(`${API}/hubs/hub/clusters/${spoke}/applications/${app}/refresh`)
      .set('Authorization', user())
      .send({ entityRef: 'system:default/multicloud-gitops' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.message).toBe(`Refresh of ${app} requested`);
    const after = await simGet(appUrl, sim.token);
    // reconciled, and the request annotation consumed as Argo CD's controller does
    expect(Number(after.metadata.resourceVersion)).toBeGreaterThan(
      Number(before.metadata.resourceVersion),
    );
    expect(
      after.metadata.annotations?.['argocd.argoproj.io/refresh'],
    ).toBeUndefined();
    expect(after.operation).toBeUndefined();
  });
});
