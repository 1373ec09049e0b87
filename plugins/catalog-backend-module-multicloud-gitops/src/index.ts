/**
 * Catalog backend module: the managed clusters and cluster groups of Multicloud GitOps hubs
 * as catalog Resources, with the Kubernetes plugin annotations that reach each cluster
 * through its hub's cluster-proxy.
 *
 * @packageDocumentation
 */
export { catalogModuleMulticloudGitops as default } from './module';
export { MulticloudGitopsClusterProvider } from './provider/MulticloudGitopsClusterProvider';
export type { MulticloudGitopsClusterProviderOptions } from './provider/MulticloudGitopsClusterProvider';
export {
  readClusterProviderConfig,
  ClusterProviderConfigError,
} from './provider/config';
export type { ClusterProviderConfig } from './provider/config';
export { KubernetesHubClusterReader } from './provider/HubClusterReader';
export type {
  HubClusterReader,
  WatchEvent,
  WatchResult,
} from './provider/HubClusterReader';
