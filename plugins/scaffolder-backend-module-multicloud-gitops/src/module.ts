import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import {
  createAddApplicationAction,
  createAddClusterGroupAction,
  createClusterImportAction,
  createClusterWaitAvailableAction,
  createCreatePatternAction,
  createFetchLocalAction,
  createPatternInstallAction,
  createPublishLocalAction,
  createValidatePatternAction,
} from './actions';
import { ConfigHubConnectionResolver } from './hub/config';

/**
 * Default portal path of a cluster: the fleet page of the frontend plugin
 * (which keeps the hub in `?hub=`); `{hub}` and `{cluster}` are URL-encoded.
 * @public
 */
export const DEFAULT_CLUSTER_PAGE_PATH =
  '/multicloud-gitops?hub={hub}&cluster={cluster}';

/**
 * Registers the multicloud-gitops scaffolder actions.
 *
 * Config read (all optional):
 * - `multicloudGitops.hubs[]`: `name`, `url`, `serviceAccountToken`, `caData`, `skipTLSVerify`, `consoleUrl`
 * - `multicloudGitops.localGit.rootDir` / `baseUrl`: where publish:local writes and how it is served
 * - `multicloudGitops.scaffolder.clusterPagePath`: portal path of a cluster page
 *
 * @public
 */
export const scaffolderModuleMulticloudGitops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'multicloud-gitops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, config }) {
        const hubs = ConfigHubConnectionResolver.fromConfig(config);
        const baseUrl = (config.getOptionalString('app.baseUrl') ?? '').replace(
          /\/+$/,
          '',
        );
        const pagePath =
          config.getOptionalString(
            'multicloudGitops.scaffolder.clusterPagePath',
          ) ?? DEFAULT_CLUSTER_PAGE_PATH;
        const clusterUrl = (hub: string, cluster: string) =>
          `${baseUrl}${pagePath
            .replace('{hub}', encodeURIComponent(hub))
            .replace('{cluster}', encodeURIComponent(cluster))}`;
        const localGit = {
          rootDir: config.getOptionalString(
            'multicloudGitops.localGit.rootDir',
          ),
          baseUrl: config.getOptionalString(
            'multicloudGitops.localGit.baseUrl',
          ),
        };
        scaffolder.addActions(
          createValidatePatternAction(),
          createCreatePatternAction(),
          createAddClusterGroupAction(),
          createAddApplicationAction(),
          createClusterImportAction({
            hubs,
            clusterUrl,
            defaultHubName: hubs.names()[0],
          }),
          createClusterWaitAvailableAction({ hubs }),
          createPatternInstallAction({
            hubs,
            defaultHubName: hubs.names()[0],
          }),
          createPublishLocalAction(localGit),
          createFetchLocalAction(localGit),
        );
      },
    });
  },
});
