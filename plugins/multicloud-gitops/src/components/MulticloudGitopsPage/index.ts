export {
  MulticloudGitopsPage,
  MulticloudGitopsPageContent,
  MulticloudGitopsPageBody,
} from './MulticloudGitopsPage';
