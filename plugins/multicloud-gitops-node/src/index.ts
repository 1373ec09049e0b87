/**
 * Node library shared by the Multicloud GitOps backend plugin and backend modules: reads
 * and validates `multicloudGitops.hubs`, reaches a hub's Kubernetes API and words its
 * failures, and tells which Argo CD instance serves which cluster.
 *
 * @packageDocumentation
 */
export { readHubSettings, HubConfigError } from './hubConfig';
export type {
  ArgoInstanceSettings,
  ClusterProxySettings,
  HubApiSettings,
  HubSettings,
  SearchSettings,
  TlsSettings,
} from './hubConfig';
export {
  caDataBase64,
  describeKubernetesError,
  hubKubeConfig,
  kubernetesErrorStatus,
} from './kubernetes';
export type { KubernetesErrorContext } from './kubernetes';
export { argoInstancesByCluster, hubArgoInstance } from './argocd';
