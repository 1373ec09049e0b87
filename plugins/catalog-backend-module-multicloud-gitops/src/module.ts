import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { readClusterProviderConfig } from './provider/config';
import { MulticloudGitopsClusterProvider } from './provider/MulticloudGitopsClusterProvider';

/**
 * Catalog module: one entity provider per configured hub, each a scheduled task.
 * @public
 */
export const catalogModuleMulticloudGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'multicloud-gitops',
  register(env) {
    env.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, config, logger, scheduler }) {
        const settings = readClusterProviderConfig(config);
        if (!settings.hubs.length) {
          logger.info(
            'No hubs in multicloudGitops.hubs: no cluster entities to provide',
          );
          return;
        }
        catalog.addEntityProvider(
          MulticloudGitopsClusterProvider.fromConfig(settings, {
            logger,
            createTaskRunner: schedule =>
              scheduler.createScheduledTaskRunner(schedule),
          }),
        );
      },
    });
  },
});
