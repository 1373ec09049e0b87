import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { applyChanges, planAddApplication, readPattern } from '../pattern';
import { examples } from './addApplication.examples';
import { asInputErrors, dns1123Label, logPlan, workspaceDir } from './util';

/**
 * `multicloud-gitops:values:add-application`: adds an application, its
 * namespace and its Argo CD project to a cluster group in the workspace.
 * Idempotent, so (like add-cluster-group) not wrapped in a checkpoint.
 *
 * @public
 */
export function createAddApplicationAction() {
  return createTemplateAction({
    id: 'multicloud-gitops:values:add-application',
    description:
      'Adds an application (from a chart directory in the repo, or a chart and version from a Helm repository) with its namespace and Argo CD project to values-<group>.yaml. Keeps comments and formatting; a second run changes nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        group: z => dns1123Label(z).describe('Cluster group to deploy to'),
        app: z => dns1123Label(z).describe('Application name'),
        namespace: z =>
          dns1123Label(z).describe('Namespace the application is deployed to'),
        path: z =>
          z
            .string()
            .optional()
            .describe(
              'Chart directory in the pattern repo, e.g. charts/all/my-app',
            ),
        chart: z =>
          z.string().optional().describe('Helm chart name (with chartVersion)'),
        chartVersion: z =>
          z.string().optional().describe('Chart version or range, e.g. 0.1.*'),
        // Not `repoURL`: the catalog refuses a template whose step inputs differ
        // only in case from another step's (publish actions use `repoUrl`).
        chartRepoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Helm or git repository of the chart, written as repoURL (default: the Validated Patterns chart repo)',
            ),
        argoProject: z =>
          dns1123Label(z)
            .optional()
            .describe('Argo CD project (default: the application name)'),
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
          z.boolean().describe('False when the application was already there'),
        files: z =>
          z
            .array(z.string())
            .describe('Files written (or that would be, in a dry run)'),
        diff: z => z.string().describe('Unified diff of the change'),
      },
    },
    async handler(ctx) {
      const { sourcePath, chartRepoUrl, ...raw } = ctx.input;
      // Templates render "not given" as an empty string; treat it as absent.
      const given = (v?: string) => (v === '' || v === null ? undefined : v);
      const options = {
        ...raw,
        path: given(raw.path),
        chart: given(raw.chart),
        chartVersion: given(raw.chartVersion),
        repoURL: given(chartRepoUrl),
        argoProject: given(raw.argoProject),
      };
      const dir = workspaceDir(ctx.workspacePath, sourcePath);
      const plan = await asInputErrors(async () =>
        planAddApplication(await readPattern(dir), options),
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
