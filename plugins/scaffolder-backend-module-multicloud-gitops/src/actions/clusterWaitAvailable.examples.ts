import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Wait up to 15 minutes for an imported cluster to become available',
    example: yaml.stringify({
      steps: [
        {
          id: 'wait',
          action: 'multicloud-gitops:cluster:wait-available',
          name: 'Wait for the cluster',
          input: {
            clusterName: 'edge-01',
            timeoutSeconds: 900,
            intervalSeconds: 15,
          },
        },
      ],
    }),
  },
];
