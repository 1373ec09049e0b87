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
import { createCreatePatternAction } from './createPattern';
import { examples } from './createPattern.examples';
import { exampleInput } from '../__testUtils__/actions';
import { readPattern, validatePattern } from '../pattern';

describe('multicloud-gitops:pattern:create examples', () => {
  it('example 1 generates a valid pattern with both groups', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-create-'));
    await createCreatePatternAction().handler(
      createMockActionContext({
        input: exampleInput(examples, 0),
        workspacePath: dir,
      }),
    );
    expect(fs.existsSync(path.join(dir, 'values-store.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'values-warehouse.yaml'))).toBe(true);
    expect((await validatePattern(await readPattern(dir))).errors).toEqual([]);
  });
});
