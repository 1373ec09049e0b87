import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createClusterImportAction } from './clusterImport';
import { examples } from './clusterImport.examples';
import { FakeHub, startFakeHub } from '../__testUtils__/fakeHub';
import { exampleInput, outputsOf, staticHubs } from '../__testUtils__/actions';

describe('multicloud-gitops:cluster:import examples', () => {
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await startFakeHub();
  });
  afterEach(() => hub.stop());

  it('example 1 auto-imports with the kubeconfig secret', async () => {
    const action = createClusterImportAction({
      hubs: staticHubs(hub.url, hub.token),
      clusterUrl: () => 'u',
    });
    const ctx = createMockActionContext({
      input: exampleInput(examples, 0),
      secrets: {
        kubeconfig:
          'apiVersion: v1\nkind: Config\nclusters:\n- name: spoke\n  cluster:\n    server: https://api.spoke:6443\nusers:\n- name: admin\n  user:\n    token: sha256~x\n',
      },
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).importMode).toBe('auto');
    expect(hub.get('secrets', 'auto-import-secret', 'edge-01')).toBeDefined();
  });

  it('example 2 registers the cluster for a manual import', async () => {
    const action = createClusterImportAction({
      hubs: staticHubs(hub.url, hub.token),
      clusterUrl: () => 'u',
    });
    const ctx = createMockActionContext({ input: exampleInput(examples, 1) });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).importMode).toBe('manual');
    expect(hub.get('managedclusters', 'edge-02')!.metadata.labels.env).toBe(
      'prod',
    );
  });
});
