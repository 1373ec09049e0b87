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
      'Import a cluster with a kubeconfig collected by a Secret field (ui:field: Secret) named kubeconfig; the value only ever reaches the hub API',
    example: yaml.stringify({
      steps: [
        {
          id: 'import',
          action: 'multicloud-gitops:cluster:import',
          name: 'Import the cluster into ACM',
          input: { clusterName: 'edge-01', clusterGroup: 'group-one' },
        },
      ],
    }),
  },
  {
    description:
      'Prepare a manual import on a named hub with extra labels (no credentials: outputs the import command)',
    example: yaml.stringify({
      steps: [
        {
          id: 'import',
          action: 'multicloud-gitops:cluster:import',
          name: 'Register the cluster',
          input: {
            hub: 'hub',
            clusterName: 'edge-02',
            clusterGroup: 'group-one',
            labels: { env: 'prod' },
          },
        },
      ],
    }),
  },
];
