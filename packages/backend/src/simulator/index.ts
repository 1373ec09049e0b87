/*
 * Starts the fleet simulator inside the backend process when
 * multicloudGitops.simulator.enabled is true (the default in app-config.yaml), so the
 * example portal runs on a simulated ACM hub with a single `npm start`
 * (multicloudGitops.simulator.hubs: N runs N independent hubs, on consecutive ports).
 *
 * It runs on a worker thread of its own: a real hub's API server, ACM Search and Argo CD
 * are other machines, and on a small host the simulator answering a large fleet's Search
 * pages (megabytes of JSON every 15 s) would otherwise hold the portal's event loop.
 *
 * It is a plugin of its own with no routes: its init finishes once the simulator listens,
 * and the multicloud-gitops plugin only starts reading upstreams in its startup hook,
 * which Backstage runs after every plugin's init.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { Worker } from 'node:worker_threads';
import { readSimulatorConfig, SimulatorConfig } from './config';
import type { SimulatorThreadMessage } from './thread';

/**
 * Starts the simulator's thread; resolves with its hubs' URLs and a stop function once they
 * all listen, or rejects with its startup error (code and port kept, for startupErrors.ts).
 */
function startSimulatorThread(
  options: SimulatorConfig,
  log: (line: string) => void,
): Promise<{
  urls: string[];
  followLocalGit: () => void;
  stop: () => Promise<void>;
}> {
  // Run as source through require(), so the TypeScript loader the backend runs with in
  // development (`backstage-cli package start`, inherited by the thread) loads thread.ts.
  const worker = new Worker(
    `require(${JSON.stringify(require.resolve('./thread'))})`,
    { eval: true, workerData: options },
  );
  const exited = new Promise<void>(resolve => worker.once('exit', resolve));
  return new Promise((resolve, reject) => {
    worker.on('error', reject);
    worker.once('exit', code =>
      reject(new Error(`the fleet simulator's thread exited (${code})`)),
    );
    worker.on('message', (m: SimulatorThreadMessage) => {
      if (m.type === 'log') log(m.line);
      else if (m.type === 'failed')
        reject(
          Object.assign(new Error(m.message), {
            code: m.code,
            port: m.port,
            syscall: m.syscall,
          }),
        );
      else if (m.type === 'ready')
        resolve({
          urls: m.urls,
          followLocalGit: () => worker.postMessage('follow'),
          async stop() {
            worker.postMessage('stop');
            await Promise.race([
              exited,
              new Promise(r => setTimeout(r, 5000).unref()),
            ]);
            await worker.terminate();
          },
        });
    });
  });
}

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
        const simulator = await startSimulatorThread(options, line =>
          logger.debug(line),
        );
        logger.info(
          `Fleet simulator listening on ${simulator.urls.join(', ')} (${
            options.hubs > 1 ? `${options.hubs} hubs, each with ` : ''
          }${options.clusters} managed clusters, ${
            options.groups
          } groups, seed ${options.seed})`,
        );
        lifecycle.addShutdownHook(() => simulator.stop());
        // Once every plugin is up, the local repositories are served: the seeded Pattern
        // can follow its repository there (multicloudGitops.simulator.followLocalGit).
        if (options.follow) {
          lifecycle.addStartupHook(() => simulator.followLocalGit());
          logger.info(
            `The simulated hub's Pattern ${
              options.pattern ?? 'multicloud-gitops'
            } follows ${options.follow.repoUrl}`,
          );
        }
      },
    });
  },
});
