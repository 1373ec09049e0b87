/**
 * Scaffolder actions, a pattern-repo library and a CLI for Validated
 * Patterns Multicloud GitOps.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMulticloudGitops as default } from './module';
export { DEFAULT_CLUSTER_PAGE_PATH } from './module';
export * from './pattern';
export * from './actions';
export type { HubConnection, HubConnectionResolver } from './hub/config';
export { ConfigHubConnectionResolver } from './hub/config';
// The CLI, exported so the built package's bin (and other tools) can run it.
export { runCli, main as cliMain } from './cli';
export type { CliIo } from './cli';
