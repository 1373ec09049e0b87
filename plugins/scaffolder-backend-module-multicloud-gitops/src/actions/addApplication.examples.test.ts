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
import { createAddApplicationAction } from './addApplication';
import { examples } from './addApplication.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-application examples', () => {
  it.each(examples.map((_, i) => i))(
    'example %i adds its application',
    async i => {
      const dir = copyReferencePattern();
      fs.mkdirSync(path.join(dir, 'charts/all/inventory'), { recursive: true });
      const input = exampleInput(examples, i);
      await createAddApplicationAction().handler(
        createMockActionContext({ input, workspacePath: dir }),
      );
      const cg = parse(
        fs.readFileSync(path.join(dir, `values-${input.group}.yaml`), 'utf8'),
      ).clusterGroup;
      expect(cg.applications[input.app]).toMatchObject({
        name: input.app,
        namespace: input.namespace,
      });
    },
  );
});
