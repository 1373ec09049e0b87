import { HumanDuration } from '@backstage/types';

// multicloudGitops.hubs[] is declared by @multicloud-gitops-backstage/plugin-multicloud-gitops-node, which
// reads it for this plugin and for the scaffolder module.
export interface Config {
  multicloudGitops?: {
    /**
     * Seconds a caller's read permission and an entity's annotations are remembered, so a
     * warm view makes no request to the permission and catalog backends. A revoked read
     * permission or a changed annotation takes effect up to this much later. Sync and
     * refresh always ask. Default 10; 0 asks on every request.
     */
    accessCacheSeconds?: number;
    /**
     * Push streams (`/v1/events`) one user or service may hold open at once; one more gets a
     * 429. A portal tab holds one. Default 32.
     */
    pushStreamsPerUser?: number;
    /**
     * The largest answer read from Argo CD or ACM Search, in MiB: a longer one is refused as
     * it streams in and the source shows an error saying so. Raise it for an Argo CD
     * instance with tens of thousands of applications. Default 32.
     */
    maxUpstreamAnswerMiB?: number;
    /**
     * A request-rate limit per user or service, off when absent: past it, a request gets a
     * 429 with Retry-After.
     */
    rateLimit?: {
      /** Requests per minute, on average. */
      requestsPerMinute: number;
      /** Requests at once after a pause; default a tenth of requestsPerMinute. */
      burst?: number;
    };
    /**
     * Owners told (through @backstage/plugin-notifications-backend): the owners of an entity
     * with our annotations get one notification when one of its applications stays Degraded
     * or OutOfSync, or a cluster of a group it deploys to stays unavailable, and a
     * resolution notice once it has stayed clear. Durations take "10m", "PT10M" or
     * `{ minutes: 10 }`.
     */
    notifications?: {
      /** Send them at all. Default true. */
      enabled?: boolean;
      /** How long an application stays Degraded before its owners are told. Default 10 minutes. */
      degradedAfter?: HumanDuration | string;
      /** How long an application stays OutOfSync before its owners are told. Default 10 minutes. */
      outOfSyncAfter?: HumanDuration | string;
      /** How long a cluster stays unavailable before the owners of what deploys to its group are told. Default 5 minutes. */
      clusterUnavailableAfter?: HumanDuration | string;
      /** How long an incident stays clear before the resolution notice. Default 5 minutes. */
      resolvedAfter?: HumanDuration | string;
      /** How often the annotated entities and their owners are read from the catalog. Default 5 minutes. */
      entityRefresh?: HumanDuration | string;
    };
  };
}
