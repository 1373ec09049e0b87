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

export type { PatternIssue } from './issues';
export { PatternValidationError, formatIssue } from './issues';
export type { PatternCheckout, PatternFile } from './checkout';
export { readPattern, groupFileName } from './checkout';
export type { ValidationResult } from './validate';
export { validatePattern } from './validate';
export type { FileChange } from './changes';
export { applyChanges, renderDiff } from './changes';
export type { EditPlan } from './plan';
export type { AddClusterGroupOptions } from './addClusterGroup';
export { planAddClusterGroup } from './addClusterGroup';
export type { AddApplicationOptions } from './addApplication';
export { planAddApplication } from './addApplication';
export { PathTraversalError, resolveInside } from './safePath';
export { MAX_ALIAS_COUNT } from './yamlSafe';
export type { CreatePatternOptions } from './generate';
export { generatePatternFiles } from './generate';
export { planCreatePattern } from './createPattern';
