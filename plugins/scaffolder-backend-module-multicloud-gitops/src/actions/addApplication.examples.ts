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
