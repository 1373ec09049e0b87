export { EntityMulticloudGitopsContent } from './EntityMulticloudGitopsContent';
