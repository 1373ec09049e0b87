import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import { createClusterImportAction } from './clusterImport';
import { createClusterWaitAvailableAction } from './clusterWaitAvailable';
import {
  outputsOf,
  recordingLogger,
  staticHubs,
} from '../__testUtils__/actions';
import { hubFetcher } from '../__testUtils__/patterns';

/**
 * End to end against the fleet simulator: a real HTTP hub API with CRD
 * validation of every write, bearer tokens and Status errors.
 */
describe('cluster actions against the fleet simulator', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    sim = await startSimulator({ clusters: 3, groups: 2, appsPerCluster: 1 });
  });
  afterAll(() => sim.stop());

  const hubFetch = (path: string, init?: RequestInit) =>
    hubFetcher(sim)(path, init);
  const managedCluster = async (name: string) =>
    (
      await hubFetch(
        `/apis/cluster.open-cluster-management.io/v1/managedclusters/${name}`,
      )
    ).json();
  const seeded = async () =>
    (
      (
        await (
          await hubFetch(
            '/apis/cluster.open-cluster-management.io/v1/managedclusters',
          )
        ).json()
      ).items as any[]
    ).filter(c => c.metadata.labels?.['local-cluster'] !== 'true');

  const importAction = () =>
    createClusterImportAction({
      hubs: staticHubs(sim.url, sim.token),
      clusterUrl: (h, c) => `${h}/${c}`,
    });
  const waitAction = () =>
    createClusterWaitAvailableAction({ hubs: staticHubs(sim.url, sim.token) });
  const KUBECONFIG =
    'apiVersion: v1\nkind: Config\nclusters:\n- name: spoke\n  cluster:\n    server: https://api.edge-sim-01:6443\nusers:\n- name: a\n  user:\n    token: sha256~simulated-spoke-secret-token\n';

  it('creates a ManagedCluster the CRD accepts, and a second run changes nothing', async () => {
    const { logger, lines } = recordingLogger();
    const ctx = createMockActionContext({
      input: { clusterName: 'edge-sim-01', clusterGroup: 'group-one' },
      secrets: { kubeconfig: KUBECONFIG },
      logger,
    });
    await importAction().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toMatchObject({
      importMode: 'auto',
      unchanged: [],
    });

    const mc = await managedCluster('edge-sim-01');
    expect(mc.kind).toBe('ManagedCluster');
    expect(mc.spec.hubAcceptsClient).toBe(true);
    expect(mc.metadata.labels).toMatchObject({
      clusterGroup: 'group-one',
      name: 'edge-sim-01',
      cloud: 'auto-detect',
      vendor: 'auto-detect',
      'cluster.open-cluster-management.io/clusterset': 'default',
    });
    const kac = await (
      await hubFetch(
        '/apis/agent.open-cluster-management.io/v1/namespaces/edge-sim-01/klusterletaddonconfigs/edge-sim-01',
      )
    ).json();
    expect(kac.spec.clusterName).toBe('edge-sim-01');
    const secret = await (
      await hubFetch(
        '/api/v1/namespaces/edge-sim-01/secrets/auto-import-secret',
      )
    ).json();
    expect(Buffer.from(secret.data.kubeconfig, 'base64').toString()).toBe(
      KUBECONFIG,
    );
    expect(lines().join('\n')).not.toContain('simulated-spoke-secret-token');

    const rv = mc.metadata.resourceVersion;
    const again = createMockActionContext({
      input: { clusterName: 'edge-sim-01', clusterGroup: 'group-one' },
      secrets: { kubeconfig: KUBECONFIG },
    });
    await importAction().handler(again);
    expect(outputsOf(again.output as jest.Mock).created).toEqual([]);
    expect((await managedCluster('edge-sim-01')).metadata.resourceVersion).toBe(
      rv,
    );
  });

  it('the simulator really validates ManagedClusters against the upstream CRD', async () => {
    // Guards the test above: a ManagedCluster the CRD rejects must fail, so a
    // passing import means our object is valid, not that nothing was checked.
    const bad = await hubFetch(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
      {
        method: 'POST',
        body: JSON.stringify({
          apiVersion: 'cluster.open-cluster-management.io/v1',
          kind: 'ManagedCluster',
          metadata: { name: 'bad-spec' },
          spec: { hubAcceptsClient: 'yes' },
        }),
      },
    );
    expect(bad.status).toBe(422);
  });

  it('refuses to re-group an existing cluster of the simulated fleet', async () => {
    const [cluster] = await seeded();
    const other =
      cluster.metadata.labels.clusterGroup === 'elsewhere'
        ? 'elsewhere-2'
        : 'elsewhere';
    const ctx = createMockActionContext({
      input: { clusterName: cluster.metadata.name, clusterGroup: other },
    });
    await expect(importAction().handler(ctx)).rejects.toThrow(
      `already exists in cluster group "${cluster.metadata.labels.clusterGroup}"`,
    );
  });

  it('says which permission is missing with a read-only token', async () => {
    const action = createClusterImportAction({
      hubs: staticHubs(sim.url, sim.readOnlyToken),
      clusterUrl: () => '',
    });
    const ctx = createMockActionContext({
      input: { clusterName: 'edge-sim-02', clusterGroup: 'group-one' },
    });
    await expect(action.handler(ctx)).rejects.toThrow(/HTTP 403.*lacks RBAC/);
  });

  it('wait-available returns for an available simulated cluster', async () => {
    const available = (await seeded()).find(c =>
      c.status?.conditions?.some(
        (x: any) =>
          x.type === 'ManagedClusterConditionAvailable' && x.status === 'True',
      ),
    );
    const ctx = createMockActionContext({
      input: {
        clusterName: available.metadata.name,
        timeoutSeconds: 5,
        intervalSeconds: 0.1,
      },
    });
    await waitAction().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).available).toBe(true);
  });

  it('wait-available times out for a cluster that never joins, then succeeds once the klusterlet reports', async () => {
    await importAction().handler(
      createMockActionContext({
        input: { clusterName: 'edge-sim-03', clusterGroup: 'group-one' },
      }),
    );
    await expect(
      waitAction().handler(
        createMockActionContext({
          input: {
            clusterName: 'edge-sim-03',
            timeoutSeconds: 1,
            intervalSeconds: 0.2,
          },
        }),
      ),
    ).rejects.toThrow('not available after 1s: no conditions yet');

    // Play the klusterlet: report Joined + Available through the status subresource.
    const mc = await managedCluster('edge-sim-03');
    const now = new Date().toISOString();
    mc.status = {
      conditions: [
        {
          type: 'ManagedClusterJoined',
          status: 'True',
          reason: 'ManagedClusterJoined',
          message: 'Managed cluster joined',
          lastTransitionTime: now,
        },
        {
          type: 'ManagedClusterConditionAvailable',
          status: 'True',
          reason: 'ManagedClusterAvailable',
          message: 'Managed cluster is available',
          lastTransitionTime: now,
        },
      ],
    };
    const put = await hubFetch(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters/edge-sim-03/status',
      { method: 'PUT', body: JSON.stringify(mc) },
    );
    expect(put.status).toBe(200);
    const ctx = createMockActionContext({
      input: {
        clusterName: 'edge-sim-03',
        timeoutSeconds: 5,
        intervalSeconds: 0.1,
      },
    });
    await waitAction().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).available).toBe(true);
  });
});
