import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createClusterWaitAvailableAction } from './clusterWaitAvailable';
import { FakeHub, startFakeHub } from '../__testUtils__/fakeHub';
import {
  outputsOf,
  recordingLogger,
  staticHubs,
} from '../__testUtils__/actions';

const cluster = (conditions: object[]) => ({
  metadata: { name: 'edge-01', labels: { clusterGroup: 'group-one' } },
  spec: { hubAcceptsClient: true },
  status: { conditions },
});

describe('multicloud-gitops:cluster:wait-available', () => {
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await startFakeHub();
  });
  afterEach(() => hub.stop());
  const action = () =>
    createClusterWaitAvailableAction({ hubs: staticHubs(hub.url, hub.token) });

  it('returns once the cluster reports Available=True and logs progress', async () => {
    hub.put('managedclusters', cluster([]));
    setTimeout(
      () =>
        hub.put(
          'managedclusters',
          cluster([
            {
              type: 'ManagedClusterJoined',
              status: 'True',
              reason: 'ManagedClusterJoined',
            },
          ]),
        ),
      120,
    );
    setTimeout(
      () =>
        hub.put(
          'managedclusters',
          cluster([
            {
              type: 'ManagedClusterJoined',
              status: 'True',
              reason: 'ManagedClusterJoined',
            },
            {
              type: 'ManagedClusterConditionAvailable',
              status: 'True',
              reason: 'ManagedClusterAvailable',
            },
          ]),
        ),
      300,
    );
    const { logger, lines } = recordingLogger();
    const ctx = createMockActionContext({
      input: {
        clusterName: 'edge-01',
        timeoutSeconds: 10,
        intervalSeconds: 0.05,
      },
      logger,
    });
    await action().handler(ctx);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.available).toBe(true);
    expect(out.conditions).toContainEqual(
      expect.objectContaining({
        type: 'ManagedClusterConditionAvailable',
        status: 'True',
      }),
    );
    const log = lines().join('\n');
    expect(log).toContain('no conditions yet');
    expect(log).toContain('ManagedClusterJoined=True');
    expect(log).toContain('is available');
  });

  it('times out with the last known state', async () => {
    hub.put(
      'managedclusters',
      cluster([
        {
          type: 'ManagedClusterConditionAvailable',
          status: 'Unknown',
          reason: 'ManagedClusterLeaseUpdateStopped',
        },
      ]),
    );
    const ctx = createMockActionContext({
      input: {
        clusterName: 'edge-01',
        timeoutSeconds: 1,
        intervalSeconds: 0.2,
      },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      'ManagedCluster edge-01 is not available after 1s: ManagedClusterConditionAvailable=Unknown (ManagedClusterLeaseUpdateStopped)',
    );
  });

  it('fails fast for a cluster that does not exist', async () => {
    const ctx = createMockActionContext({
      input: { clusterName: 'nope', timeoutSeconds: 30 },
    });
    await expect(action().handler(ctx)).rejects.toThrow(
      /does not exist.*cluster:import/,
    );
  });

  it('stops when the task is cancelled', async () => {
    hub.put('managedclusters', cluster([]));
    const abort = new AbortController();
    const ctx = {
      ...createMockActionContext({
        input: {
          clusterName: 'edge-01',
          timeoutSeconds: 60,
          intervalSeconds: 5,
        },
      }),
      signal: abort.signal,
    };
    const started = Date.now();
    setTimeout(() => abort.abort(), 100);
    await expect(action().handler(ctx)).rejects.toThrow('cancelled');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('dry run does not contact the hub', async () => {
    const ctx = {
      ...createMockActionContext({ input: { clusterName: 'edge-01' } }),
      isDryRun: true,
    };
    await action().handler(ctx);
    expect(hub.requests).toEqual([]);
  });
});
