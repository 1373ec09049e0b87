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
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAddClusterGroupAction } from './addClusterGroup';
import { examples } from './addClusterGroup.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-cluster-group examples', () => {
  it.each(examples.map((_, i) => i))('example %i adds its group', async i => {
    const dir = copyReferencePattern();
    const input = exampleInput(examples, i);
    await createAddClusterGroupAction().handler(
      createMockActionContext({ input, workspacePath: dir }),
    );
    const hub = parse(
      fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8'),
    );
    expect(hub.clusterGroup.managedClusterGroups[input.group].name).toBe(
      input.group,
    );
    expect(fs.existsSync(path.join(dir, `values-${input.group}.yaml`))).toBe(
      true,
    );
  });
});
