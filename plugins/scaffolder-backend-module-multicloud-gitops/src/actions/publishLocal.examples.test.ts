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
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput, outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:publish:local examples', () => {
  it('example 1 publishes the pattern repository', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-repos-'));
    const ctx = createMockActionContext({
      input: exampleInput(examples, 0),
      workspacePath: copyReferencePattern(),
    });
    await createPublishLocalAction({ rootDir: root }).handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).changed).toBe(true);
    expect(fs.existsSync(path.join(root, 'my-pattern.git', 'HEAD'))).toBe(true);
  });
});
