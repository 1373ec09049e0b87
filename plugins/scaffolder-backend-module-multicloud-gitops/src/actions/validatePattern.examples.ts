import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: 'Validate the pattern generated into the workspace root',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'multicloud-gitops:pattern:validate',
          name: 'Validate the pattern',
          input: {},
        },
      ],
    }),
  },
  {
    description:
      'Validate a pattern in a sub-directory and only report problems',
    example: yaml.stringify({
      steps: [
        {
          id: 'validate',
          action: 'multicloud-gitops:pattern:validate',
          name: 'Report pattern problems',
          input: { sourcePath: 'pattern', failOnError: false },
        },
      ],
    }),
  },
];
