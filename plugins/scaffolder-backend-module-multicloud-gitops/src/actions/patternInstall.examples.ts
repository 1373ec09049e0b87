import { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Install a pattern on the only configured hub from the main branch of its repository',
    example: yaml.stringify({
      steps: [
        {
          id: 'install',
          action: 'multicloud-gitops:pattern:install',
          name: 'Install the pattern on the hub',
          input: {
            patternName: 'retail',
            targetRepo: 'https://github.com/example/retail.git',
          },
        },
      ],
    }),
  },
  {
    description:
      'Check what installing a release tag on a named hub would change, without writing',
    example: yaml.stringify({
      steps: [
        {
          id: 'install',
          action: 'multicloud-gitops:pattern:install',
          name: 'Preview the install',
          input: {
            hub: 'hub',
            patternName: 'retail',
            targetRepo: 'https://github.com/example/retail.git',
            targetRevision: 'v1.2.0',
            clusterGroupName: 'hub',
            namespace: 'patterns-operator',
            dryRun: true,
          },
        },
      ],
    }),
  },
];
