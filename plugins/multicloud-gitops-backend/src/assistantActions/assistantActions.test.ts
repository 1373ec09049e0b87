/*
 * The actions for assistants in a started backend with Backstage's own actions registry
 * and MCP server: listed to readers only, answered from a seeded store, the sync under the
 * routes' permission, ownership rule and audit, and bad input refused.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import request from 'supertest';
import {
  addArgoInstance,
  argoApp,
  cluster,
  hubSettings,
  published,
  searchApp,
  storeWithClusters,
} from '../__testUtils__/fleet';
import {
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from '../__testUtils__/services';
import {
  createApplicationActionRunner,
  HubApplicationActions,
} from '../routes/applicationAction';
import { TopologyService } from '../topology/TopologyService';
import { registerAssistantActions } from '.';
import {
  ACTIONS_CONFIG,
  actionsBackendFeatures,
  mcpCall,
} from './__testUtils__/mcp';

/** A sync of hello-world on a cluster, as the owner's assistant asks for it. */
const syncOn = (on: string) => ({
  entityRef: 'component:default/hello-world',
  hub: 'hub',
  cluster: on,
  application: 'hello-world',
});

const ACTIONS = '/api/multicloud-gitops/.backstage/actions/v1/actions';
const OTHER = 'user:default/bob';
const PATTERN = { 'validatedpatterns.io/pattern': 'multicloud-gitops' };

/** The hub's Argo CD runs the pattern; Search reports hello-world on both spokes. */
function fleet() {
  const store = storeWithClusters();
  addArgoInstance(
    store,
    'hub-gitops',
    ['hello-world', 'multicloud-gitops-hub'].map(n =>
      argoApp(n, 'hub-gitops', PATTERN),
    ),
  );
  store.replaceSearchApps([
    searchApp('hello-world', 'east', { healthStatus: 'Degraded' }),
    searchApp('hello-world', 'west'),
    searchApp('config-demo', 'east', { syncStatus: 'OutOfSync' }),
  ]);
  const down = cluster('south', { clusterGroup: 'group-one' });
  store.upsert('clusters', 'south', {
    ...down,
    conditions: [
      {
        type: 'ManagedClusterConditionAvailable',
        status: 'Unknown',
        reason: 'ManagedClusterLeaseUpdateStopped',
      },
    ],
  });
  const settings = hubSettings({
    pattern: undefined,
    argocd: [
      { name: 'hub-gitops', url: 'https://argo', uiUrl: 'https://argo-ui' },
    ],
  });
  return { store, service: new TopologyService([{ settings, store }]) };
}

describe('actions for assistants', () => {
  const policy = permissionPolicy();
  const auditor = recordingAuditor();
  const hubCalls: string[] = [];
  const throughHub: HubApplicationActions = {
    async sync(on, name, namespace, initiatedBy) {
      hubCalls.push(`sync ${on} ${name} ${namespace} ${initiatedBy}`);
      return {
        sync: 'OutOfSync',
        health: 'Healthy',
        operationPhase: 'Running',
      };
    },
    async refresh() {
      throw new Error('not asked for');
    },
  };
  let server: any;
  const { service } = fleet();

  // The plugin's registration of its actions, on a seeded store instead of upstream sources.
  const plugin = createBackendPlugin({
    pluginId: 'multicloud-gitops',
    register(env) {
      env.registerInit({
        deps: {
          actionsRegistry: actionsRegistryServiceRef,
          catalog: catalogServiceRef,
          permissions: coreServices.permissions,
          auditor: coreServices.auditor,
          logger: coreServices.logger,
        },
        async init({ actionsRegistry, catalog, permissions, logger }) {
          registerAssistantActions({
            actionsRegistry,
            service,
            catalog,
            applicationAction: createApplicationActionRunner({
              service,
              argoInstance: () => {
                throw new Error('no Argo CD call expected');
              },
              hubActions: () => throughHub,
              permissions,
              catalog,
              auditor: auditor.service,
              logger,
            }),
          });
        },
      });
    },
  });

  beforeAll(async () => {
    await published();
    ({ server } = await startTestBackend({
      features: [
        plugin,
        ...actionsBackendFeatures(policy.service),
        mockServices.rootConfig.factory({ data: ACTIONS_CONFIG }),
      ],
    }));
  });

  beforeEach(() => {
    policy.denyReads = false;
    hubCalls.length = 0;
    auditor.events.length = 0;
  });

  const user = (ref = OWNER) => mockCredentials.user.header(ref);
  const invoke = (name: string, input: object, ref = OWNER) =>
    request(server)
      .post(`${ACTIONS}/multicloud-gitops:${name}/invoke`)
      .set('Authorization', user(ref))
      .send(input);

  it('lists its actions, with their schemas, to a reader', async () => {
    const res = await request(server).get(ACTIONS).set('Authorization', user());
    expect(res.status).toBe(200);
    const byName = new Map(res.body.actions.map((a: any) => [a.name, a]));
    expect([...byName.keys()].sort()).toEqual([
      'find-application-placements',
      'get-entity-fleet-problems',
      'get-fleet-summary',
      'get-managed-cluster',
      'sync-application',
    ]);
    expect(byName.get('get-managed-cluster')).toMatchObject({
      id: 'multicloud-gitops:get-managed-cluster',
      attributes: { readOnly: true, destructive: false },
      schema: { input: { required: ['hub', 'cluster'] } },
    });
    expect(byName.get('sync-application')).toMatchObject({
      attributes: { readOnly: false },
    });
  });

  it('hides and refuses them without the read permission', async () => {
    policy.denyReads = true;
    const list = await request(server)
      .get(ACTIONS)
      .set('Authorization', user());
    expect(list.body.actions).toEqual([]);
    const res = await invoke('get-fleet-summary', {});
    expect(res.status).toBe(404);
    expect(res.body.error.name).toBe('NotFoundError');
  });

  it('refuses anonymous callers', async () => {
    const res = await request(server)
      .post(`${ACTIONS}/multicloud-gitops:get-fleet-summary/invoke`)
      .send({});
    expect(res.status).toBe(401);
  });

  it('summarises the fleet from the store', async () => {
    const res = await invoke('get-fleet-summary', {});
    expect(res.status).toBe(200);
    const [hub] = res.body.output.hubs;
    expect(hub).toMatchObject({
      hub: 'hub',
      pattern: 'multicloud-gitops',
      clusters: { total: 4, status: { available: 3, unknown: 1 } },
      applications: { total: 5, problems: 2 },
    });
    expect(hub.groups).toContainEqual(
      expect.objectContaining({
        name: 'group-one',
        clusters: 2,
        unavailableClusters: 1,
        applications: expect.objectContaining({ total: 2, problems: 2 }),
      }),
    );
    expect(hub.sources).toContainEqual({
      name: 'argocd/hub-gitops',
      state: 'ok',
    });
  });

  it('says what is unhealthy for an entity, and only for it', async () => {
    const res = await invoke('get-entity-fleet-problems', {
      entityRef: 'component:default/hello-world',
    });
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      entityRef: 'component:default/hello-world',
      hubs: ['hub'],
      applications: 3,
      problems: {
        total: 1,
        items: [
          {
            hub: 'hub',
            cluster: 'east',
            group: 'group-one',
            name: 'hello-world',
            sync: 'Synced',
            health: 'Degraded',
          },
        ],
      },
    });
    // config-demo is out of sync, but it is not hello-world's
    expect(JSON.stringify(res.body.output)).not.toContain('config-demo');
  });

  it("gives a cluster's details and says an unknown one is not there", async () => {
    const res = await invoke('get-managed-cluster', {
      hub: 'hub',
      cluster: 'east',
    });
    expect(res.status).toBe(200);
    expect(res.body.output.cluster).toMatchObject({
      name: 'east',
      group: 'group-one',
      status: 'available',
      labels: { clusterGroup: 'group-one' },
    });
    expect(
      res.body.output.applications.items.map((a: any) => a.name).sort(),
    ).toEqual(['config-demo', 'hello-world']);
    expect(res.body.output.hubCanSync).toBe(true);
    const missing = await invoke('get-managed-cluster', {
      hub: 'hub',
      cluster: 'nowhere',
    });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain('no managed cluster');
  });

  it('finds where an application runs and on which revisions', async () => {
    const res = await invoke('find-application-placements', {
      application: 'hello-world',
    });
    expect(res.status).toBe(200);
    expect(
      res.body.output.placements.items.map((p: any) => p.cluster).sort(),
    ).toEqual(['east', 'the-hub', 'west']);
    expect(res.body.output.placements.total).toBe(3);
  });

  it.each([
    ['get-managed-cluster', { hub: 'hub' }],
    ['get-managed-cluster', { hub: 'Not A Name!', cluster: 'east' }],
    ['find-application-placements', { application: 42 }],
    ['get-entity-fleet-problems', { entityRef: '' }],
    ['sync-application', { entityRef: 'component:default/hello-world' }],
  ])('refuses bad input to %s', async (name, input) => {
    const res = await invoke(name, input);
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe('InputError');
    expect(hubCalls).toEqual([]);
  });

  it('syncs for an owner through the routes’ code path, audited', async () => {
    const res = await invoke('sync-application', syncOn('east'));
    expect(res.status).toBe(200);
    expect(res.body.output).toMatchObject({
      hub: 'hub',
      application: 'hello-world',
      operationPhase: 'Running',
      message: 'Sync of hello-world started',
    });
    expect(hubCalls).toEqual([
      `sync east hello-world openshift-gitops ${OWNER}`,
    ]);
    expect(auditor.events).toMatchObject([
      {
        eventId: 'application-sync',
        outcome: 'success',
        meta: {
          hub: 'hub',
          cluster: 'east',
          grantedBy: 'component:default/hello-world',
        },
      },
    ]);
  });

  it('denies the sync to a user who owns neither entity nor cluster', async () => {
    const res = await invoke('sync-application', syncOn('east'), OTHER);
    expect(res.status).toBe(403);
    expect(res.body.error.message).toContain(
      'multicloud-gitops.application.sync',
    );
    expect(hubCalls).toEqual([]);
    expect(auditor.events).toMatchObject([
      { eventId: 'application-sync', outcome: 'fail' },
    ]);
  });

  it('needs exactly one of cluster and instance to sync', async () => {
    const res = await invoke('sync-application', {
      entityRef: 'component:default/hello-world',
      hub: 'hub',
      cluster: 'east',
      instance: 'hub-gitops',
      application: 'hello-world',
    });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      'Give exactly one of cluster or instance',
    );
    expect(hubCalls).toEqual([]);
  });

  describe('over MCP (/api/mcp-actions/v1)', () => {
    const rpc = (method: string, params: object, ref = OWNER) =>
      mcpCall(server, method, params, user(ref));

    it('lists our actions as tools', async () => {
      const { result } = await rpc('tools/list', {});
      const names = result.tools.map((t: any) => t.name);
      expect(names).toEqual(
        expect.arrayContaining(
          [
            'get-fleet-summary',
            'get-entity-fleet-problems',
            'get-managed-cluster',
            'find-application-placements',
            'sync-application',
          ].map(n => `multicloud-gitops.${n}`),
        ),
      );
    });

    it('calls a read action and a sync', async () => {
      const read = await rpc('tools/call', {
        name: 'multicloud-gitops.get-managed-cluster',
        arguments: { hub: 'hub', cluster: 'south' },
      });
      expect(read.result.isError).toBeFalsy();
      expect(read.result.structuredContent.cluster).toMatchObject({
        name: 'south',
        status: 'unknown',
      });
      const sync = await rpc('tools/call', {
        name: 'multicloud-gitops.sync-application',
        arguments: syncOn('west'),
      });
      expect(sync.result.structuredContent.message).toBe(
        'Sync of hello-world started',
      );
      expect(hubCalls).toEqual([
        `sync west hello-world openshift-gitops ${OWNER}`,
      ]);
    });

    it('denies without permission', async () => {
      const sync = await rpc(
        'tools/call',
        {
          name: 'multicloud-gitops.sync-application',
          arguments: syncOn('west'),
        },
        OTHER,
      );
      expect(sync.result.isError).toBe(true);
      expect(sync.result.content[0].text).toMatch(/^NotAllowedError: /);
      policy.denyReads = true;
      const { result } = await rpc('tools/list', {});
      expect(result.tools).toEqual([]);
      const read = await rpc('tools/call', {
        name: 'multicloud-gitops.get-fleet-summary',
        arguments: {},
      });
      expect(read.result.isError).toBe(true);
      expect(hubCalls).toEqual([]);
    });
  });
});
