/**
 * Fleet topology, sync health and cluster details of a Validated Patterns Multicloud GitOps
 * fleet (Red Hat ACM + Argo CD) on Backstage catalog entities, plus a fleet page.
 *
 * This entry point serves the legacy frontend system; `/alpha` has the new one.
 *
 * @packageDocumentation
 */
export {
  multicloudGitopsPlugin,
  EntityMulticloudGitopsContent,
  EntityMulticloudGitopsCard,
  EntityMulticloudGitopsClusterCard,
  MulticloudGitopsPage,
  MulticloudGitopsClusterGroupPickerFieldExtension,
} from './plugin';
export type { ClusterGroupPickerUiOptions } from './components/ClusterGroupPicker';
export { rootRouteRef } from './routes';
export { isMulticloudGitopsAvailable } from './lib/isMulticloudGitopsAvailable';
export { isMulticloudGitopsClusterAvailable } from './lib/isMulticloudGitopsClusterAvailable';
export * from './api';
export type { EntityMulticloudGitopsCardProps } from './components/EntityMulticloudGitopsCard';
export { withClusterProxyAuthProvider } from './kubernetes/clusterProxyAuthProvider';
