import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createClusterWaitAvailableAction } from './clusterWaitAvailable';
import { examples } from './clusterWaitAvailable.examples';
import { FakeHub, startFakeHub } from '../__testUtils__/fakeHub';
import { exampleInput, outputsOf, staticHubs } from '../__testUtils__/actions';

describe('multicloud-gitops:cluster:wait-available examples', () => {
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await startFakeHub();
  });
  afterEach(() => hub.stop());

  it('example 1 waits for an available cluster', async () => {
    hub.put('managedclusters', {
      metadata: { name: 'edge-01' },
      status: {
        conditions: [
          { type: 'ManagedClusterConditionAvailable', status: 'True' },
        ],
      },
    });
    const input = exampleInput(examples, 0);
    expect(input).toMatchObject({ timeoutSeconds: 900, intervalSeconds: 15 });
    const ctx = createMockActionContext({ input });
    await createClusterWaitAvailableAction({
      hubs: staticHubs(hub.url, hub.token),
    }).handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).available).toBe(true);
  });
});
