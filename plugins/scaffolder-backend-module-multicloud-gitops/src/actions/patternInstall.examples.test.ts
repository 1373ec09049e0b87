import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { startSimulator } from '@multicloud-gitops-backstage/fleet-simulator';
import { createPatternInstallAction } from './patternInstall';
import { examples } from './patternInstall.examples';
import { exampleInput, outputsOf, staticHubs } from '../__testUtils__/actions';
import { simulatedHub, stopSimulator } from '../__testUtils__/patterns';

describe('multicloud-gitops:pattern:install examples', () => {
  let sim: Awaited<ReturnType<typeof startSimulator>>;
  let hub: ReturnType<typeof simulatedHub>;
  beforeEach(async () => {
    sim = await startSimulator({
      clusters: 1,
      groups: 1,
      appsPerCluster: 1,
      patternPoll: 0,
    });
    hub = simulatedHub(sim);
    // The simulated hub runs multicloud-gitops; the examples install retail.
    await hub.uninstall('openshift-operators', 'multicloud-gitops');
    await hub.hubFetch('/api/v1/namespaces', {
      method: 'POST',
      body: JSON.stringify({ metadata: { name: 'patterns-operator' } }),
    });
  });
  afterEach(() => stopSimulator(sim));

  const action = () =>
    createPatternInstallAction({ hubs: staticHubs(sim.url, sim.token) });

  it('example 1 installs the pattern on the hub', async () => {
    const ctx = createMockActionContext({ input: exampleInput(examples, 0) });
    await action().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).result).toBe('created');
    const [retail] = await hub.patterns();
    expect(retail.metadata.name).toBe('retail');
    expect(retail.spec.gitSpec.targetRepo).toBe(
      'https://github.com/example/retail.git',
    );
  });

  it('example 2 previews the install and writes nothing', async () => {
    const ctx = createMockActionContext({ input: exampleInput(examples, 1) });
    await action().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toMatchObject({
      result: 'created',
      namespace: 'patterns-operator',
    });
    expect(await hub.patterns()).toEqual([]);
  });
});
