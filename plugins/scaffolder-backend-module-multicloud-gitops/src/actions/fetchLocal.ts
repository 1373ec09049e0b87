import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import { REPO_NAME, checkoutBareRepo, localRepoDir } from '../git/localRepo';
import { LocalGitOptions } from './publishLocal';
import { examples } from './fetchLocal.examples';
import { workspaceDir } from './util';

/**
 * `multicloud-gitops:fetch:local`: the counterpart of publish:local; checks a
 * branch of a local bare repository out into the workspace so onboarding
 * templates can edit and publish it again.
 *
 * @public
 */
export function createFetchLocalAction(options: LocalGitOptions) {
  return createTemplateAction({
    id: 'multicloud-gitops:fetch:local',
    description:
      'Checks out a branch of the local bare repository <rootDir>/<repoName>.git into the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .regex(REPO_NAME)
            .describe(
              'Repository name under multicloudGitops.localGit.rootDir',
            ),
        branch: z => z.string().optional().describe('Branch (default main)'),
        targetPath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory inside the workspace (default: the workspace root)',
            ),
      },
      output: {
        commitHash: z => z.string().describe('Commit that was checked out'),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.branch ?? 'main';
      const repoDir = localRepoDir(
        'multicloud-gitops:fetch:local',
        options.rootDir,
        repoName,
        branch,
      );
      const target = workspaceDir(ctx.workspacePath, ctx.input.targetPath);
      const exists = await fs.stat(`${repoDir}/HEAD`).then(
        () => true,
        () => false,
      );
      if (!exists) {
        throw new InputError(
          `no local repository named ${repoName}; create the pattern first (create-pattern template)`,
        );
      }
      try {
        // Reading only: safe in a dry run too, and the dry run then shows real changes.
        const head = await checkoutBareRepo(repoDir, branch, target);
        ctx.logger.info(`checked out ${repoName} ${branch} at ${head}`);
        ctx.output('commitHash', head);
      } catch (e) {
        throw new InputError((e as Error).message);
      }
    },
  });
}
