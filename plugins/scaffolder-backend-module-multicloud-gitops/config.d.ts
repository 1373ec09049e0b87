// multicloudGitops.hubs[] (name, url, serviceAccountToken, caData, skipTLSVerify or
// kubernetesCluster) is declared and read by @multicloud-gitops-backstage/plugin-multicloud-gitops-node,
// for this module's cluster:import and cluster:wait-available and for the backend plugin.
export interface Config {
  multicloudGitops?: {
    /** The embedded local git server used by publish:local and fetch:local. */
    localGit?: {
      /**
       * Directory holding the bare repositories (`<repoName>.git`). Without it
       * the local publisher refuses to run.
       */
      rootDir?: string;
      /**
       * Base URL under which the backend serves rootDir read-only over HTTP,
       * used for the remoteUrl output (e.g. http://localhost:7007/api/multicloud-gitops/git).
       * @visibility frontend
       */
      baseUrl?: string;
    };
    scaffolder?: {
      /**
       * Portal path of a cluster, appended to app.baseUrl for the cluster:import
       * clusterUrl output. `{hub}` and `{cluster}` are replaced.
       * Default `/multicloud-gitops?hub={hub}&cluster={cluster}`.
       */
      clusterPagePath?: string;
    };
  };
}
