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
