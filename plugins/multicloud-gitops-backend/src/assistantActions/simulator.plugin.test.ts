/*
 * The whole plugin on the fleet simulator, with Backstage's actions registry and MCP server
 * and a recording notification service: an application of an owned entity breaking on a
 * managed cluster reaches its owners once, a failing Search neither opens nor resolves
 * anything, the resolution notice follows recovery; assistants list and call the actions
 * over MCP, the sync only for owners.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  notificationService,
  NotificationSendOptions,
} from '@backstage/plugin-notifications-node';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import {
  isApplicationProblem,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import request from 'supertest';
import {
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from '../__testUtils__/services';
import {
  simAdmin,
  simHub,
  simulatorTeardown,
  SIX_CLUSTER_FLEET,
} from '../__testUtils__/simulator';
import { multicloudGitopsPlugin } from '../plugin';
import {
  ACTIONS_CONFIG,
  actionsBackendFeatures,
  eventually,
  mcpCall,
} from './__testUtils__/mcp';

const API = '/api/multicloud-gitops/v1';
const HELLO = 'component:default/hello-world';
const HELLO_APPS = `multicloud-gitops:${HELLO}:applications`;

describe('owners told and assistants answered, on the fleet simulator', () => {
  let sim: RunningSimulator;
  let server: any;
  const policy = permissionPolicy();
  const sent: NotificationSendOptions[] = [];
  const user = (ref = OWNER) => mockCredentials.user.header(ref);

  const admin = (path: string, body?: unknown, method = 'POST') =>
    simAdmin(sim, path, body, method);
  const helloWorld = (cluster: string, health: string) =>
    admin('mutate', {
      op: 'app-state',
      cluster,
      app: 'hello-world',
      sync: 'Synced',
      health,
    });

  const topology = async (): Promise<TopologyResponse> =>
    (
      await request(server)
        .get(`${API}/topology?pattern=multicloud-gitops`)
        .set('Authorization', user())
    ).body;

  /** Notices about hello-world's applications, by phase. */
  const helloNotices = (phase: 'open' | 'resolved') =>
    sent.filter(
      s =>
        s.payload.scope === HELLO_APPS &&
        s.payload.metadata?.incident === phase,
    );

  const rpc = (method: string, params: object, ref = OWNER) =>
    mcpCall(server, method, params, user(ref));

  beforeAll(async () => {
    sim = await startSimulator(SIX_CLUSTER_FLEET);
    // hello-world starts Healthy everywhere, so the only incident of it is the test's.
    const clusters = await (
      await fetch(
        `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
        { headers: { authorization: `Bearer ${sim.token}` } },
      )
    ).json();
    for (const c of clusters.items)
      await helloWorld(c.metadata.name, 'Healthy');

    const auditor = recordingAuditor();
    ({ server } = await startTestBackend({
      features: [
        multicloudGitopsPlugin,
        ...actionsBackendFeatures(policy.service, auditor.service),
        createServiceFactory({
          service: notificationService,
          deps: {},
          factory: () => ({
            send: async (options: NotificationSendOptions) => {
              sent.push(options);
            },
          }),
        }),
        mockServices.rootConfig.factory({
          data: {
            ...ACTIONS_CONFIG,
            multicloudGitops: {
              notifications: {
                degradedAfter: '1s',
                outOfSyncAfter: '1s',
                clusterUnavailableAfter: '1s',
                resolvedAfter: '1s',
              },
              // sync through the hub creates ManagedClusterActions
              hubs: [simHub(sim, sim.token)],
            },
          },
        }),
      ],
    }));
    await eventually(async () => {
      const t = await topology();
      return t.sources?.every(s => s.state === 'ok') && t.applications.length;
    }, 20000);
  }, 40000);

  simulatorTeardown(() => ({ server, sim }), policy);

  /** A spoke where hello-world runs, available, whose sync the hub can carry. */
  const spokeOfHelloWorld = async () => {
    const t = await topology();
    const available = new Set(
      t.clusters
        .filter(c => c.status === 'available' && !c.isHub)
        .map(c => c.name),
    );
    return t.applications.find(
      a => a.name === 'hello-world' && available.has(a.cluster),
    )!.cluster;
  };

  it('tells the owners once, nothing while Search fails, and the resolution after', async () => {
    const spoke = await spokeOfHelloWorld();
    expect(helloNotices('open')).toEqual([]);
    await helloWorld(spoke, 'Degraded');
    const [open] = await eventually(async () => {
      const n = helloNotices('open');
      return n.length > 0 && n;
    });
    expect(open.recipients).toEqual({ type: 'entity', entityRef: OWNER });
    expect(open.payload).toMatchObject({
      title: 'hello-world: 1 application Degraded or OutOfSync',
      link: '/catalog/default/component/hello-world/multicloud-gitops',
      severity: 'high',
    });
    expect(open.payload.description).toContain(
      `hello-world on ${spoke} (hub hub): Degraded`,
    );

    // Search fails: the recovery it cannot report is no evidence of one.
    await admin('faults', { family: 'search', status: 500 });
    await eventually(async () =>
      (
        await topology()
      ).sources.some(s => s.name === 'search' && s.state === 'error'),
    );
    await helloWorld(spoke, 'Healthy');
    const failed = async (): Promise<number> =>
      (await admin('counters', undefined, 'GET')).body['errors.injected'];
    const before = await failed();
    // Two more failed polls, seconds apart: past resolvedAfter, with nothing to judge by.
    await eventually(async () => (await failed()) >= before + 2, 30000);
    expect(helloNotices('resolved')).toEqual([]);
    expect(helloNotices('open')).toHaveLength(1);

    await admin('faults', undefined, 'DELETE');
    const [resolved] = await eventually(async () => {
      const n = helloNotices('resolved');
      return n.length > 0 && n;
    });
    expect(resolved.payload).toMatchObject({
      title: 'Resolved: hello-world: applications Healthy and Synced again',
      scope: HELLO_APPS,
      severity: 'low',
    });
    expect(helloNotices('open')).toHaveLength(1);
  }, 60000);

  it('lists the actions over MCP and answers them from the fleet', async () => {
    const { result } = await rpc('tools/list', {});
    expect(result.tools.map((t: any) => t.name)).toEqual(
      expect.arrayContaining([
        'multicloud-gitops.get-fleet-summary',
        'multicloud-gitops.get-entity-fleet-problems',
        'multicloud-gitops.get-managed-cluster',
        'multicloud-gitops.find-application-placements',
        'multicloud-gitops.sync-application',
      ]),
    );

    const summary = await rpc('tools/call', {
      name: 'multicloud-gitops.get-fleet-summary',
      arguments: {},
    });
    const t = await topology();
    expect(summary.result.structuredContent.hubs[0]).toMatchObject({
      hub: 'hub',
      pattern: 'multicloud-gitops',
      clusters: { total: t.clusters.length },
      applications: { total: t.applications.length },
    });

    // The same problems the entity's Fleet tab shows.
    const problems = await rpc('tools/call', {
      name: 'multicloud-gitops.get-entity-fleet-problems',
      arguments: { entityRef: HELLO },
    });
    const view: TopologyResponse = (
      await request(server)
        .get(`${API}/entity-topology?entityRef=${HELLO}`)
        .set('Authorization', user())
    ).body;
    expect(problems.result.structuredContent).toMatchObject({
      applications: view.applications.length,
      problems: {
        total: view.applications.filter(isApplicationProblem).length,
      },
    });

    const placements = await rpc('tools/call', {
      name: 'multicloud-gitops.find-application-placements',
      arguments: { application: 'hello-world' },
    });
    expect(
      placements.result.structuredContent.placements.items
        .map((p: any) => p.cluster)
        .sort(),
    ).toEqual(
      t.applications
        .filter(a => a.name === 'hello-world')
        .map(a => a.cluster)
        .sort(),
    );
  }, 30000);

  it('syncs through MCP for an owner only, and hides the actions without the read permission', async () => {
    const spoke = await spokeOfHelloWorld();
    const args = {
      entityRef: HELLO,
      hub: 'hub',
      cluster: spoke,
      application: 'hello-world',
    };
    const denied = await rpc(
      'tools/call',
      { name: 'multicloud-gitops.sync-application', arguments: args },
      'user:default/bob',
    );
    expect(denied.result.isError).toBe(true);
    expect(denied.result.content[0].text).toMatch(/^NotAllowedError: /);

    const ok = await rpc('tools/call', {
      name: 'multicloud-gitops.sync-application',
      arguments: args,
    });
    expect(ok.result.isError).toBeFalsy();
    expect(ok.result.structuredContent).toMatchObject({
      hub: 'hub',
      application: 'hello-world',
      message: 'Sync of hello-world started',
    });

    policy.denyReads = true;
    expect((await rpc('tools/list', {})).result.tools).toEqual([]);
    const read = await rpc('tools/call', {
      name: 'multicloud-gitops.get-fleet-summary',
      arguments: {},
    });
    expect(read.result.isError).toBe(true);
  }, 30000);
});
