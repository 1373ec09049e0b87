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
     * A request-rate limit per user or service, off when absent: past it, a request gets a
     * 429 with Retry-After.
     */
    rateLimit?: {
      /** Requests per minute, on average. */
      requestsPerMinute: number;
      /** Requests at once after a pause; default a tenth of requestsPerMinute. */
      burst?: number;
    };
  };
}
