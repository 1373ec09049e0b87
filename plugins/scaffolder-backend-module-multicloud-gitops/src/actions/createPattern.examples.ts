import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Generate a pattern with a hub and two managed cluster groups, Vault/ESO and the example app',
    example: yaml.stringify({
      steps: [
        {
          id: 'generate',
          action: 'multicloud-gitops:pattern:create',
          name: 'Generate the pattern',
          input: {
            name: 'retail-edge',
            description:
              'Stores run the retail apps; the hub runs ACM and Vault',
            owners: 'platform-team',
            clusterGroups: ['store', 'warehouse'],
            secrets: true,
            exampleApps: true,
          },
        },
      ],
    }),
  },
];
