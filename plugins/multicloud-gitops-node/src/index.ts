/**
 * Node library shared by the Multicloud GitOps backend plugin and scaffolder module: reads
 * and validates `multicloudGitops.hubs`.
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
