import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Add the cluster group chosen in the form to the pattern in the workspace',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-group',
          action: 'multicloud-gitops:values:add-cluster-group',
          name: 'Add the cluster group',
          input: { group: 'group-two' },
        },
      ],
    }),
  },
  {
    description: 'Add a cluster group that also selects on an extra label',
    example: yaml.stringify({
      steps: [
        {
          id: 'add-group',
          action: 'multicloud-gitops:values:add-cluster-group',
          name: 'Add the EU cluster group',
          input: { group: 'eu-edge', labels: { region: 'eu' } },
        },
      ],
    }),
  },
];
