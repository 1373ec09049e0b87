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

export { createValidatePatternAction } from './validatePattern';
export { createAddClusterGroupAction } from './addClusterGroup';
export { createAddApplicationAction } from './addApplication';
export { createClusterImportAction } from './clusterImport';
export type {
  ClusterImportActionOptions,
  ClusterUrlBuilder,
} from './clusterImport';
export { createClusterWaitAvailableAction } from './clusterWaitAvailable';
export { createPublishLocalAction } from './publishLocal';
export { createCreatePatternAction } from './createPattern';
export { createFetchLocalAction } from './fetchLocal';
export type { LocalGitOptions } from './publishLocal';
