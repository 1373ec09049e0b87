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

import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Publish the generated pattern to the local git server of the example portal',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'multicloud-gitops:publish:local',
          name: 'Publish to the local git repository',
          input: {
            repoName: 'my-pattern',
            gitCommitMessage: 'Create pattern my-pattern',
          },
        },
      ],
    }),
  },
];
