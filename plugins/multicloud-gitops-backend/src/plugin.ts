import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { multicloudGitopsPermissions } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { readHubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { readAccessCacheSeconds } from './routes/accessCache';
import { createRouter } from './routes/router';
import { TopologyService } from './topology/TopologyService';

/**
 * The Multicloud GitOps backend plugin: keeps a fleet store per ACM hub fed by list+watch
 * (ACM), polling (ACM Search) and streams (Argo CD), and serves topology views from it.
 *
 * @public
 */
export const multicloudGitopsPlugin = createBackendPlugin({
  pluginId: 'multicloud-gitops',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        auditor: coreServices.auditor,
        catalog: catalogServiceRef,
      },
      async init({
        config,
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        auditor,
        catalog,
      }) {
        const hubs = readHubSettings(config);
        if (!hubs.length) {
          logger.warn(
            'No hubs configured (multicloudGitops.hubs): the topology will be empty',
          );
        }
        const accessCacheSeconds = readAccessCacheSeconds(config);
        permissionsRegistry.addPermissions(multicloudGitopsPermissions);
        const rawHubs =
          config.getOptionalConfigArray('multicloudGitops.hubs') ?? [];
        const service = new TopologyService({
          hubs,
          logger,
          kubernetesClusterNames: rawHubs.map(h =>
            h.getOptionalString('kubernetesCluster'),
          ),
        });
        // Upstreams are read from startup on, not on the first page view; the startup hook
        // runs after every plugin's init, so an in-process simulator is already listening.
        lifecycle.addStartupHook(() => {
          service.start();
          logger.info(
            `Reading ${hubs.length} hub(s): ${hubs
              .map(h => h.name)
              .join(', ')}`,
          );
        });
        lifecycle.addShutdownHook(() => service.stop());
        httpRouter.use(
          await createRouter({
            service,
            httpAuth,
            permissions,
            catalog,
            auditor,
            logger,
            accessCacheTtlMs: accessCacheSeconds * 1000,
          }),
        );
      },
    });
  },
});
