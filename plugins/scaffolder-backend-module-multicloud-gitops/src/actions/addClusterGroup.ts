import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { applyChanges, planAddClusterGroup, readPattern } from '../pattern';
import { examples } from './addClusterGroup.examples';
import {
  asInputErrors,
  dns1123Label,
  logPlan,
  stringRecord,
  workspaceDir,
} from './util';

/**
 * `multicloud-gitops:values:add-cluster-group`: adds a managed cluster group
 * to the hub values file and creates values-<group>.yaml, in the workspace.
 *
 * Workspace edits are not wrapped in ctx.checkpoint: they are idempotent
 * (a re-run plans no change) and the workspace is not restored on task
 * recovery, so skipping them on retry would lose them.
 *
 * @public
 */
export function createAddClusterGroupAction() {
  return createTemplateAction({
    id: 'multicloud-gitops:values:add-cluster-group',
    description:
      "Adds a managed cluster group (acmlabels clusterGroup=<group>) to the hub group's values file, found through main.clusterGroupName, and creates values-<group>.yaml when missing. Keeps comments and formatting; a second run changes nothing.",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        group: z =>
          dns1123Label(z).describe(
            'Name of the cluster group (DNS-1123 label)',
          ),
        labels: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Extra ACM labels the group selects on'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of the pattern inside the workspace (default: the workspace root)',
            ),
      },
      output: {
        changed: z =>
          z.boolean().describe('False when the group was already there'),
        files: z =>
          z
            .array(z.string())
            .describe('Files written (or that would be, in a dry run)'),
        diff: z => z.string().describe('Unified diff of the change'),
      },
    },
    async handler(ctx) {
      const dir = workspaceDir(ctx.workspacePath, ctx.input.sourcePath);
      const plan = await asInputErrors(async () =>
        planAddClusterGroup(await readPattern(dir), {
          group: ctx.input.group,
          labels: stringRecord(ctx.input.labels, 'labels'),
        }),
      );
      const diff = logPlan(ctx.logger, plan);
      if (!ctx.isDryRun) {
        await applyChanges(dir, plan.changes);
      }
      ctx.output('changed', plan.changes.length > 0);
      ctx.output(
        'files',
        plan.changes.map(c => c.file),
      );
      ctx.output('diff', diff);
    },
  });
}
