export interface Config {
  multicloudGitops?: {
    /**
     * ACM hubs: read by the backend plugin, used by the scaffolder module to import
     * clusters. Each hub runs one Validated Pattern.
     */
    hubs?: Array<{
      /** Hub id used in URLs and in the validatedpatterns.io/hub annotation. */
      name: string;
      /** Display name. */
      title?: string;
      /**
       * Name of a cluster declared for the Kubernetes plugin
       * (kubernetes.clusterLocatorMethods[].clusters[], type config, authProvider
       * serviceAccount) whose URL and credentials are the hub API. Use instead of url/token.
       */
      kubernetesCluster?: string;
      /** Hub Kubernetes API URL, when not referring to a kubernetesCluster. */
      url?: string;
      /**
       * Token of a service account on the hub. Reading needs list and watch on the ACM
       * resources; the scaffolder's cluster import also needs create on ManagedClusters,
       * KlusterletAddonConfigs, namespaces and secrets.
       * @visibility secret
       */
      serviceAccountToken?: string;
      /**
       * PEM or base64 PEM of the hub API's CA.
       * @visibility secret
       */
      caData?: string;
      /** Skip TLS verification of the hub API (test hubs only). */
      skipTLSVerify?: boolean;
      /** Pattern name, used when the hub has no Pattern CR and its Argo CD apps carry no pattern label. */
      pattern?: string;
      /** OpenShift console of the hub, for links. */
      consoleUrl?: string;
      /** ACM console, for links. Defaults to the OpenShift console's multicloud path. */
      acmConsoleUrl?: string;
      /** ACM Search v2 GraphQL endpoint; without it, spoke applications come only from Argo CD instances. */
      search?: {
        url: string;
        /**
         * Token for Search; defaults to the hub token.
         * @visibility secret
         */
        token?: string;
        /** @visibility secret */
        caData?: string;
        skipTLSVerify?: boolean;
        /** Seconds between Search polls. Default 15. */
        pollIntervalSeconds?: number;
      };
      /**
       * ACM's cluster-proxy user route on this hub (for example
       * https://cluster-proxy-user.apps.hub.example.com). With it, the catalog module gives
       * each managed cluster the Kubernetes plugin's annotations pointing at
       * `<url>/<cluster>`, and the Kubernetes module reaches it with the hub's token.
       */
      clusterProxy?: {
        url: string;
        /**
         * PEM or base64 PEM of the route's CA; defaults to the hub API's caData.
         * @visibility secret
         */
        caData?: string;
        /** Skip TLS verification of the route (test hubs only). */
        skipTLSVerify?: boolean;
      };
      /** Argo CD instances: the hub's OpenShift GitOps and optionally per-cluster ones. */
      argocd?: Array<{
        /** Instance id, used in sync/refresh URLs. */
        name: string;
        /** Base URL of the Argo CD server (without /api/v1). */
        url: string;
        /**
         * Long-lived API token of an Argo CD account.
         * @visibility secret
         */
        token?: string;
        /** Account name for session login, used with password. */
        username?: string;
        /**
         * Account password for session login.
         * @visibility secret
         */
        password?: string;
        /** @visibility secret */
        caData?: string;
        skipTLSVerify?: boolean;
        /** Managed clusters whose Argo CD this instance is. Default: the hub cluster. */
        clusters?: string[];
        /** Link to this instance's UI, if different from url. */
        uiUrl?: string;
      }>;
    }>;
  };
}
