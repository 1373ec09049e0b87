/**
 * Scaffolder actions, a pattern-repo library and a CLI for Validated
 * Patterns Multicloud GitOps.
 *
 * @packageDocumentation
 */

export { scaffolderModuleMulticloudGitops as default } from './module';
export { DEFAULT_CLUSTER_PAGE_PATH } from './module';
// The pattern-repo library: read, validate, plan and apply changes to a pattern repository.
export type {
  AddApplicationOptions,
  AddClusterGroupOptions,
  CreatePatternOptions,
  EditPlan,
  FileChange,
  PatternCheckout,
  PatternFile,
  PatternIssue,
  ValidationResult,
} from './pattern';
export {
  applyChanges,
  formatIssue,
  generatePatternFiles,
  PatternValidationError,
  planAddApplication,
  planAddClusterGroup,
  planCreatePattern,
  readPattern,
  renderDiff,
  validatePattern,
} from './pattern';
export * from './actions';
export type { HubConnection, HubConnectionResolver } from './hub/config';
export { ConfigHubConnectionResolver } from './hub/config';
export { createLocalGitHttpHandler } from './git/httpHandler';
// The CLI, exported so the built package's bin (and other tools) can run it.
export { runCli, main as cliMain } from './cli';
export type { CliIo } from './cli';
