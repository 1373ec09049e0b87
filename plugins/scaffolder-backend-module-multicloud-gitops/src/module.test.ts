import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import {
  scaffolderActionsExtensionPoint,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import moduleDefault from './index';
import { scaffolderModuleMulticloudGitops } from './module';

describe('scaffolderModuleMulticloudGitops', () => {
  it('is the default export and registers every action', async () => {
    expect(moduleDefault).toBe(scaffolderModuleMulticloudGitops);
    const actions: TemplateAction<any, any, any>[] = [];
    await startTestBackend({
      extensionPoints: [
        [
          scaffolderActionsExtensionPoint,
          {
            addActions: (...a: TemplateAction<any, any, any>[]) =>
              actions.push(...a),
          },
        ],
      ],
      features: [
        scaffolderModuleMulticloudGitops,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://portal.example.com' },
            multicloudGitops: {
              hubs: [
                {
                  name: 'east',
                  url: 'http://127.0.0.1:1',
                  serviceAccountToken: 't',
                },
              ],
            },
          },
        }),
      ],
    });
    expect(actions.map(a => a.id).sort()).toEqual([
      'multicloud-gitops:cluster:import',
      'multicloud-gitops:cluster:wait-available',
      'multicloud-gitops:fetch:local',
      'multicloud-gitops:pattern:create',
      'multicloud-gitops:pattern:install',
      'multicloud-gitops:pattern:validate',
      'multicloud-gitops:publish:local',
      'multicloud-gitops:values:add-application',
      'multicloud-gitops:values:add-cluster-group',
    ]);
    for (const a of actions) {
      expect(a.supportsDryRun).toBe(true);
      expect(a.examples?.length).toBeGreaterThan(0);
    }
    // The cluster link is built from app.baseUrl and the configured hub.
    const importAction = actions.find(
      a => a.id === 'multicloud-gitops:cluster:import',
    )!;
    const ctx = {
      ...createMockActionContext({
        input: { clusterName: 'edge-01', clusterGroup: 'g' },
      }),
      isDryRun: true,
    };
    await importAction.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith(
      'clusterUrl',
      'http://portal.example.com/multicloud-gitops?hub=east&cluster=edge-01',
    );
  });
});
