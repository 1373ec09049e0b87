export { EntityMulticloudGitopsCard } from './EntityMulticloudGitopsCard';
export type { EntityMulticloudGitopsCardProps } from './EntityMulticloudGitopsCard';
