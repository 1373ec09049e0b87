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
