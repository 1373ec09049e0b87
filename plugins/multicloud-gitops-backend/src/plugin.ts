import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { multicloudGitopsPermissions } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { readHubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import {
  readAccessCacheSeconds,
  readPushStreamsPerUser,
} from './routes/accessCache';
import { OwnerNotifier } from './notifications/OwnerNotifier';
import { readNotificationSettings } from './notifications/settings';
import { readRateLimit } from './routes/rateLimit';
import { readMaxAnswerBytes } from './sources/limits';
import { registerAssistantActions } from './assistantActions';
import { createApplicationActionRunner } from './routes/applicationAction';
import { createRouter } from './routes/router';
import { createSources } from './sources/createSources';
import { HubStore } from './store/HubStore';
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
        actionsRegistry: actionsRegistryServiceRef,
        auth: coreServices.auth,
        notifications: notificationService,
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
        actionsRegistry,
        auth,
        notifications,
      }) {
        const settings = readHubSettings(config);
        if (!settings.length) {
          logger.warn(
            'No hubs configured (multicloudGitops.hubs): the topology will be empty',
          );
        }
        const accessCacheSeconds = readAccessCacheSeconds(config);
        const pushStreamsPerUser = readPushStreamsPerUser(config);
        const rateLimit = readRateLimit(config);
        const maxAnswerBytes = readMaxAnswerBytes(config);
        permissionsRegistry.addPermissions(multicloudGitopsPermissions);
        const rawHubs =
          config.getOptionalConfigArray('multicloudGitops.hubs') ?? [];
        // Sources write each hub's store; the topology and the routes read it.
        const hubs = settings.map(s => ({
          settings: s,
          store: new HubStore(s.name),
        }));
        const sources = createSources({
          hubs: hubs.map((h, i) => ({
            ...h,
            kubernetesCluster:
              rawHubs[i]?.getOptionalString('kubernetesCluster'),
          })),
          logger,
          maxAnswerBytes,
        });
        const service = new TopologyService(hubs);
        const notifySettings = readNotificationSettings(config);
        // Owners told of their applications' incidents, from the store's change events.
        const notifier = notifySettings.enabled
          ? new OwnerNotifier({
              service,
              catalog,
              auth,
              notifications,
              logger,
              settings: notifySettings,
            })
          : undefined;
        // Upstreams are read from startup on, not on the first page view; the startup hook
        // runs after every plugin's init, so an in-process simulator is already listening.
        lifecycle.addStartupHook(() => {
          sources.start();
          notifier?.start();
          logger.info(
            `Reading ${settings.length} hub(s): ${settings
              .map(h => h.name)
              .join(', ')}`,
          );
        });
        lifecycle.addShutdownHook(async () => {
          notifier?.stop();
          await sources.stop();
          for (const h of hubs) h.store.dispose();
        });
        const actionOptions = {
          service,
          argoInstance: (hub: string, instance: string) =>
            sources.argoInstance(hub, instance),
          hubActions: (hub: string) => sources.hubActions(hub),
          permissions,
          catalog,
          auditor,
          logger,
        };
        // One sync for the routes and the assistants' action alike.
        const applicationAction = createApplicationActionRunner(actionOptions);
        registerAssistantActions({
          actionsRegistry,
          service,
          catalog,
          applicationAction,
        });
        httpRouter.use(
          await createRouter({
            ...actionOptions,
            applicationAction,
            httpAuth,
            accessCacheTtlMs: accessCacheSeconds * 1000,
            pushStreamsPerUser,
            rateLimit,
          }),
        );
      },
    });
  },
});
