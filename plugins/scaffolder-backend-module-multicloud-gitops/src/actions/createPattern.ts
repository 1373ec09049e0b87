import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { applyChanges, planCreatePattern } from '../pattern';
import { examples } from './createPattern.examples';
import { asInputErrors, dns1123Label, logPlan, workspaceDir } from './util';

/**
 * `multicloud-gitops:pattern:create`: writes the values files, metadata,
 * .gitignore, secrets template and example chart of a new pattern into the
 * workspace, validated (our rules) before anything is written. Files that
 * need templating by the portal (README, catalog-info.yaml) come from the
 * template's skeleton instead.
 *
 * @public
 */
export function createCreatePatternAction() {
  return createTemplateAction({
    id: 'multicloud-gitops:pattern:create',
    description:
      'Generates a new Validated Pattern (values-global.yaml with global.options and multi-source, the hub group with ACM and managedClusterGroups, values-<group>.yaml per group, optional Vault/ESO and example app) in the workspace.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => dns1123Label(z).describe('Pattern name (global.pattern)'),
        description: z =>
          z.string().optional().describe('One-line description'),
        owners: z =>
          z.string().optional().describe('Owners, for pattern-metadata.yaml'),
        hubGroup: z =>
          dns1123Label(z)
            .optional()
            .describe('Hub cluster group (default hub)'),
        clusterGroups: z =>
          z
            .array(dns1123Label(z))
            .optional()
            .describe('Managed cluster groups'),
        secrets: z =>
          z
            .boolean()
            .optional()
            .describe('Vault and External Secrets (default false)'),
        exampleApps: z =>
          z
            .boolean()
            .optional()
            .describe('Deploy the hello-world example chart (default false)'),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe('Repository URL, for pattern-metadata.yaml'),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory inside the workspace (default: the workspace root)',
            ),
      },
      output: {
        files: z => z.array(z.string()).describe('Files written'),
      },
    },
    async handler(ctx) {
      const { sourcePath, ...options } = ctx.input;
      const dir = workspaceDir(ctx.workspacePath, sourcePath);
      const plan = await asInputErrors(() => planCreatePattern(dir, options));
      logPlan(ctx.logger, { ...plan, changes: [] });
      if (!ctx.isDryRun) {
        await applyChanges(dir, plan.changes);
      }
      ctx.output(
        'files',
        plan.changes.map(c => c.file),
      );
    },
  });
}
