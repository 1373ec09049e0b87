import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  PublishResult,
  REPO_NAME,
  localRepoDir,
  publishToBareRepo,
} from '../git/localRepo';
import { examples } from './publishLocal.examples';
import { workspaceDir } from './util';

/** @public */
export interface LocalGitOptions {
  /** Directory holding the bare repositories (`<repoName>.git`). */
  rootDir?: string;
  /** Base URL under which the backend serves rootDir read-only, for remoteUrl. */
  baseUrl?: string;
}

/**
 * `multicloud-gitops:publish:local`: the embedded default publisher. Pushes
 * the workspace as one commit to a bare repository under a configured root
 * (created on first use), which the example backend serves read-only over
 * HTTP so Argo CD-style consumers can clone it.
 *
 * @public
 */
export function createPublishLocalAction(options: LocalGitOptions) {
  return createTemplateAction({
    id: 'multicloud-gitops:publish:local',
    description:
      'Publishes the workspace to a local bare git repository <rootDir>/<repoName>.git (multicloudGitops.localGit.rootDir), one commit on top of the branch; identical content creates no commit.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .regex(REPO_NAME)
            .describe(
              'Repository name; the repository is <repoName>.git under the configured root',
            ),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of the workspace to publish (default: the workspace root)',
            ),
        defaultBranch: z =>
          z.string().optional().describe('Branch to publish to (default main)'),
        gitCommitMessage: z =>
          z
            .string()
            .optional()
            .describe('Commit message (default "Published by Backstage")'),
        gitAuthorName: z =>
          z
            .string()
            .optional()
            .describe('Commit author name (default: Backstage Scaffolder)'),
        gitAuthorEmail: z =>
          z.string().optional().describe('Commit author email'),
      },
      output: {
        remoteUrl: z => z.string().describe('Clone URL of the repository'),
        repoContentsUrl: z =>
          z.string().describe('URL of the repository contents on the branch'),
        commitHash: z =>
          z.string().describe('Commit at the branch head after publishing'),
        changed: z =>
          z.boolean().describe('False when the content was already published'),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'URL of catalog-info.yaml on the branch, served by createLocalGitHttpHandler (only with baseUrl)',
            ),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      const repoDir = localRepoDir(
        'multicloud-gitops:publish:local',
        options.rootDir,
        repoName,
        branch,
      );
      const sourceDir = workspaceDir(ctx.workspacePath, ctx.input.sourcePath);
      const remoteUrl = options.baseUrl
        ? `${options.baseUrl.replace(/\/+$/, '')}/${repoName}.git`
        : `file://${repoDir}`;
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoContentsUrl', `${remoteUrl}#${branch}`);
      if (options.baseUrl) {
        ctx.output(
          'catalogInfoUrl',
          `${remoteUrl}/raw/${branch}/catalog-info.yaml`,
        );
      }
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would publish ${sourceDir} to ${remoteUrl} (${branch})`,
        );
        ctx.output('commitHash', '');
        ctx.output('changed', false);
        return;
      }
      const result = await ctx.checkpoint<PublishResult>({
        key: `multicloud-gitops.publish-local.${repoName}.${branch}`,
        fn: async () =>
          publishToBareRepo({
            sourceDir,
            repoDir,
            branch,
            message: ctx.input.gitCommitMessage ?? 'Published by Backstage',
            author: {
              name: ctx.input.gitAuthorName ?? 'Backstage Scaffolder',
              email: ctx.input.gitAuthorEmail ?? 'scaffolder@backstage.local',
            },
          }),
      });
      ctx.logger.info(
        result.changed
          ? `published commit ${result.commit} to ${remoteUrl} (${branch})`
          : `${remoteUrl} (${branch}) already has this content at ${result.commit}; nothing to publish`,
      );
      ctx.output('commitHash', result.commit);
      ctx.output('changed', result.changed);
    },
  });
}
