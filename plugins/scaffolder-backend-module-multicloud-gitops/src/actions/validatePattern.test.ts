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

import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidatePatternAction } from './validatePattern';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:pattern:validate', () => {
  const action = createValidatePatternAction();

  it('passes a valid pattern and outputs its warnings', async () => {
    const ctx = createMockActionContext({
      input: {},
      workspacePath: copyReferencePattern(),
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toEqual({
      valid: true,
      errors: [],
      warnings: [],
    });
  });

  it('fails the step with file, YAML path and fix when the pattern is invalid', async () => {
    const dir = copyReferencePattern();
    fs.writeFileSync(
      path.join(dir, 'values-group-one.yaml'),
      'clusterGroup:\n  name: group-one\n  namespaces: {}\n',
    );
    const ctx = createMockActionContext({ input: {}, workspacePath: dir });
    await expect(action.handler(ctx)).rejects.toThrow(
      /values-group-one\.yaml: clusterGroup\.applications: is required; add applications under clusterGroup/,
    );
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.valid).toBe(false);
    expect(out.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        path: 'clusterGroup.applications',
      }),
    );
  });

  it('only reports when failOnError is false', async () => {
    const dir = copyReferencePattern();
    fs.rmSync(path.join(dir, 'values-global.yaml'));
    const ctx = createMockActionContext({
      input: { failOnError: false },
      workspacePath: dir,
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).valid).toBe(false);
  });

  it('refuses a sourcePath outside the workspace', async () => {
    const ctx = createMockActionContext({
      input: { sourcePath: '../..' },
      workspacePath: copyReferencePattern(),
    });
    await expect(action.handler(ctx)).rejects.toThrow(/outside/);
  });
});
