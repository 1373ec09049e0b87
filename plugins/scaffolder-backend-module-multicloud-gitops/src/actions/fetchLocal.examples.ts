import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Check out a pattern repository published by publish:local, to edit it',
    example: yaml.stringify({
      steps: [
        {
          id: 'fetch',
          action: 'multicloud-gitops:fetch:local',
          name: 'Fetch the pattern',
          input: { repoName: 'my-pattern' },
        },
      ],
    }),
  },
];
