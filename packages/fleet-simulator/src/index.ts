/**
 * @multicloud-gitops-backstage/fleet-simulator: a simulated Red Hat ACM hub, ACM Search v2 and Argo CD
 * instances on one port, for tests, benchmarks and demos.
 */
export {
  startSimulator,
  startSimulators,
  resolveOptions,
  resolveHubOptions,
  hubSeed,
  hubToken,
  MAX_HUBS,
  DEFAULT_TOKEN,
  ARGOCD_USERNAME,
  ARGOCD_PASSWORD,
} from './simulator';
export type {
  SimulatorOptions,
  RunningSimulator,
  MultiSimulatorOptions,
  RunningSimulators,
} from './simulator';
/** The seeded fleet's pattern repo as a bare git repository, for a Pattern to follow. */
export { writeSeededPatternRepo } from './fleet/patternRepoWrite';
export type { SeededRepoOptions } from './fleet/patternRepoWrite';
/** The command line (bin/fleet-simulator), for a built package. */
export { main as runCli } from './cli';
