import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  AksStrategy,
  AnonymousStrategy,
  AwsIamStrategy,
  AzureIdentityStrategy,
  GoogleServiceAccountStrategy,
  GoogleStrategy,
  OidcStrategy,
  ServiceAccountStrategy,
} from '@backstage/plugin-kubernetes-backend';
import {
  AuthenticationStrategy,
  kubernetesAuthStrategyExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { CLUSTER_PROXY_AUTH_PROVIDER } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { readHubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { ClusterProxyAuthStrategy } from './ClusterProxyAuthStrategy';

/**
 * Registers the Kubernetes plugin auth strategy named by CLUSTER_PROXY_AUTH_PROVIDER: a
 * managed cluster whose API server URL is under a hub's `clusterProxy.url` is reached with
 * that hub's token; any other URL is refused.
 * @public
 */
export const kubernetesModuleMulticloudGitops = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'multicloud-gitops',
  register(env) {
    env.registerInit({
      deps: {
        authStrategies: kubernetesAuthStrategyExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ authStrategies, config, logger }) {
        // The Kubernetes backend drops its built-in strategies as soon as any module adds
        // one, so adding ours alone would break every cluster using serviceAccount, oidc,
        // google, aws, ... Register them again under their own names first.
        const builtIn: Record<string, AuthenticationStrategy> = {
          aks: new AksStrategy(),
          aws: new AwsIamStrategy({ config }),
          azure: new AzureIdentityStrategy(logger),
          google: new GoogleStrategy(),
          googleServiceAccount: new GoogleServiceAccountStrategy({ config }),
          localKubectlProxy: new AnonymousStrategy(),
          oidc: new OidcStrategy(),
          serviceAccount: new ServiceAccountStrategy(),
        };
        for (const [name, builtInStrategy] of Object.entries(builtIn))
          authStrategies.addAuthStrategy(name, builtInStrategy);
        // One warning per cluster and reason an hour: the Kubernetes plugin asks on every view.
        const warned = new Map<string, number>();
        const strategy = new ClusterProxyAuthStrategy(readHubSettings(config), {
          onRefused: message => {
            const now = Date.now();
            if ((warned.get(message) ?? 0) > now - 3600_000) return;
            warned.set(message, now);
            logger.warn(message);
          },
        });
        authStrategies.addAuthStrategy(CLUSTER_PROXY_AUTH_PROVIDER, strategy);
        if (strategy.hubs.length) {
          logger.info(
            `Kubernetes auth provider ${CLUSTER_PROXY_AUTH_PROVIDER}: managed clusters through the cluster-proxy of hub(s) ${strategy.hubs.join(
              ', ',
            )}`,
          );
        } else {
          logger.warn(
            `Kubernetes auth provider ${CLUSTER_PROXY_AUTH_PROVIDER}: no hub has clusterProxy configured (multicloudGitops.hubs[].clusterProxy.url), so every cluster using it will be refused`,
          );
        }
      },
    });
  },
});
