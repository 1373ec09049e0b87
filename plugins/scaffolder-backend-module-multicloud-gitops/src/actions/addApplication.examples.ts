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
      'Add an application whose chart lives in the pattern repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-app',
          action: 'multicloud-gitops:values:add-application',
          name: 'Add the application',
          input: {
            group: 'group-one',
            app: 'inventory',
            namespace: 'inventory',
            path: 'charts/all/inventory',
          },
        },
      ],
    }),
  },
  {
    description:
      'Add a published Helm chart to a group, in an existing Argo CD project',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-app',
          action: 'multicloud-gitops:values:add-application',
          name: 'Add the chart',
          input: {
            group: 'group-one',
            app: 'podinfo',
            namespace: 'podinfo',
            chart: 'podinfo',
            chartVersion: '6.7.*',
            chartRepoUrl: 'https://stefanprodan.github.io/podinfo',
            argoProject: 'config-demo',
          },
        },
      ],
    }),
  },
];
