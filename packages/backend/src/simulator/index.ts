/*
 * Starts the fleet simulator inside the backend process when
 * multicloudGitops.simulator.enabled is true (the default in app-config.yaml), so the
 * example portal runs on a simulated ACM hub with a single `npm start`.
 *
 * It is a plugin of its own with no routes: its init finishes once the simulator listens,
 * and the multicloud-gitops plugin only starts reading upstreams in its startup hook,
 * which Backstage runs after every plugin's init.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startSimulator } from '@internal/fleet-simulator';
import { readSimulatorConfig } from './config';

export default createBackendPlugin({
  // Not "fleet-simulator": the logger redacts config secrets, and the simulator's default
  // Argo CD password is that string, so the plugin's own name would show as ***.
  pluginId: 'simulated-hub',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        lifecycle: coreServices.rootLifecycle,
      },
      async init({ config, logger, lifecycle }) {
        const options = readSimulatorConfig(config);
        if (!options) {
          logger.info(
            'Fleet simulator disabled (multicloudGitops.simulator.enabled)',
          );
          return;
        }
        const simulator = await startSimulator({
          ...options,
          logger: (line: string) => logger.debug(line),
        });
        logger.info(
          `Fleet simulator listening on ${simulator.url} (${options.clusters} managed clusters, ${options.groups} groups, seed ${options.seed})`,
        );
        lifecycle.addShutdownHook(() => simulator.stop());
      },
    });
  },
});
