export { EntityMulticloudGitopsClusterCard } from './EntityMulticloudGitopsClusterCard';
