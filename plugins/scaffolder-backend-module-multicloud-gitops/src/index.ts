/*
 * Copyright 2026 The Multicloud GitOps Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

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
