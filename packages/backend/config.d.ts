export interface Config {
  multicloudGitops?: {
    /**
     * The fleet simulator started inside the example backend (a stand-in for an ACM hub,
     * ACM Search and Argo CD). Disable it when the portal reads a real hub.
     */
    simulator?: {
      /** Start the simulator in-process. Default false; true in the example app-config.yaml. */
      enabled?: boolean;
      /** Port on 127.0.0.1; 0 picks a free one. Default 7008. */
      port?: number;
      /** Address to listen on. Default 127.0.0.1. */
      host?: string;
      /**
       * Independent hubs to simulate (1 to 10), on consecutive ports from `port`; hub i > 1
       * takes the token fleet-simulator-token-<i>. Default 1.
       */
      hubs?: number;
      /** Managed clusters besides the hub (0 to 5000). Default 12. */
      clusters?: number;
      /** Cluster groups. Default 3. */
      groups?: number;
      /** Argo CD applications per managed cluster. Default 4. */
      appsPerCluster?: number;
      /** Seed of the generated fleet; the same seed gives the same fleet. */
      seed?: number;
      /** How often the fleet changes (drift, recovery, lease loss), e.g. 20s. Off when unset. */
      tick?: string;
      /** Directory of `oc get -o yaml` dumps to load into the simulator. */
      fixtures?: string;
      /** Pattern name of the generated fleet. Default multicloud-gitops. */
      pattern?: string;
      /**
       * How often the simulated patterns operator fetches the repositories Patterns follow,
       * e.g. 2s. Default 10s.
       */
      patternPoll?: string;
      /**
       * The seeded Pattern follows the local repository `<pattern>.git` of
       * multicloudGitops.localGit (written with the seeded fleet's values files when missing),
       * so what the templates commit there reaches the simulated fleet. Default true when
       * localGit is configured.
       */
      followLocalGit?: boolean;
    };
  };
}
