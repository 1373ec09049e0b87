import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { EntityProvider } from '@backstage/plugin-catalog-node';
import catalogModuleMulticloudGitops from '.';

const hub = (name: string) => ({
  name,
  url: `https://api.${name}.example.com:6443`,
  serviceAccountToken: `token-of-${name}`,
});

async function start(config: object) {
  const providers: EntityProvider[] = [];
  const scheduled: Array<{ id: string; scope?: string; frequency: unknown }> =
    [];
  const scheduler = mockServices.scheduler.mock({
    createScheduledTaskRunner(schedule) {
      return {
        run: async task => {
          scheduled.push({
            id: task.id,
            scope: schedule.scope,
            frequency: schedule.frequency,
          });
        },
      };
    },
  });
  await startTestBackend({
    extensionPoints: [
      [
        catalogProcessingExtensionPoint,
        {
          addEntityProvider: (...p: Array<EntityProvider | EntityProvider[]>) =>
            providers.push(...p.flat()),
          addProcessor: () => undefined,
          addPlaceholderResolver: () => undefined,
          setOnProcessingErrorHandler: () => undefined,
        },
      ],
    ],
    features: [
      catalogModuleMulticloudGitops,
      mockServices.rootConfig.factory({ data: config }),
      scheduler.factory,
    ],
  });
  return { providers, scheduled };
}

describe('catalogModuleMulticloudGitops', () => {
  it('adds one provider per configured hub, each scheduled as a global task', async () => {
    const { providers, scheduled } = await start({
      multicloudGitops: { hubs: [hub('east'), hub('west')] },
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'multicloud-gitops-clusters:east',
      'multicloud-gitops-clusters:west',
    ]);
    // the catalog connects providers once it starts; here, connect them by hand
    for (const p of providers)
      await p.connect({
        applyMutation: async () => undefined,
        refresh: async () => undefined,
      });
    expect(scheduled).toEqual([
      {
        id: 'multicloud-gitops-clusters:east',
        scope: 'global',
        frequency: { seconds: 15 },
      },
      {
        id: 'multicloud-gitops-clusters:west',
        scope: 'global',
        frequency: { seconds: 15 },
      },
    ]);
  });

  it('reads only the hubs listed in catalog.providers.multicloudGitops.hubs, on the configured schedule', async () => {
    const { providers, scheduled } = await start({
      multicloudGitops: { hubs: [hub('east'), hub('west')] },
      catalog: {
        providers: {
          multicloudGitops: {
            hubs: ['west'],
            schedule: { frequency: { minutes: 1 }, timeout: { minutes: 2 } },
          },
        },
      },
    });
    expect(providers.map(p => p.getProviderName())).toEqual([
      'multicloud-gitops-clusters:west',
    ]);
    await providers[0].connect({
      applyMutation: async () => undefined,
      refresh: async () => undefined,
    });
    expect(scheduled).toEqual([
      {
        id: 'multicloud-gitops-clusters:west',
        scope: 'global',
        frequency: { minutes: 1 },
      },
    ]);
  });

  it('fails to start with one line naming the key when a listed hub is not configured', async () => {
    await expect(
      start({
        multicloudGitops: { hubs: [hub('east')] },
        catalog: {
          providers: { multicloudGitops: { hubs: ['east', 'north'] } },
        },
      }),
    ).rejects.toThrow(
      'Invalid config at catalog.providers.multicloudGitops.hubs[1]: hub "north" is not declared in multicloudGitops.hubs (declared: east)',
    );
  });
});
