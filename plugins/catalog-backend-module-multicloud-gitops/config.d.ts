import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

// The hubs themselves (API URL, token, clusterProxy, Argo CD instances) are declared once in
// multicloudGitops.hubs by @multicloud-gitops-backstage/plugin-multicloud-gitops-node; this
// module only chooses which of them feed the catalog and how.
export interface Config {
  catalog?: {
    providers?: {
      /** Managed clusters and cluster groups of the Multicloud GitOps hubs as Resources. */
      multicloudGitops?: {
        /**
         * Owner of every cluster and cluster-group entity unless a cluster's owner label
         * names another group. An entity reference, e.g. `group:default/platform-team`.
         * Default `unknown`.
         */
        defaultOwner?: string;
        /**
         * ManagedCluster label whose value names the Group owning that cluster
         * (`group:default/<value>`). Default `owner`.
         */
        ownerLabel?: string;
        /** Only these hubs of `multicloudGitops.hubs` (by name). Default: all of them. */
        hubs?: string[];
        /** How often each hub is read. Default every 15 seconds, timeout 2 minutes. */
        schedule?: SchedulerServiceTaskScheduleDefinitionConfig;
      };
    };
  };
}
