/*
 * Starts the hubs multicloudGitops.simulator asks for; thread.ts runs it on the simulator's
 * own thread, and the tests call it directly.
 */
import {
  startSimulator,
  startSimulators,
} from '@multicloud-gitops-backstage/fleet-simulator';
import type { SimulatorConfig } from './config';

export interface StartedHubs {
  /** each hub's base URL, hub 1 first (on `port`, the next on `port + 1`, ...) */
  urls: string[];
  stop(): Promise<void>;
}

export async function startConfiguredHubs(
  config: SimulatorConfig,
  logger: (line: string) => void,
): Promise<StartedHubs> {
  const { hubs, ...options } = config;
  if (hubs === 1) {
    // one hub is the simulator the portal has always run, with an unnamed local-cluster
    const sim = await startSimulator({ ...options, logger });
    return { urls: [sim.url], stop: () => sim.stop() };
  }
  const sims = await startSimulators({ ...options, hubs, logger });
  return { urls: sims.hubs.map(h => h.url), stop: () => sims.stop() };
}
