import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { readPattern, validatePattern } from '../pattern';
import { examples } from './validatePattern.examples';
import { asInputErrors, logIssues, workspaceDir } from './util';

const issueSchema = (z: any) =>
  z.object({
    severity: z.enum(['error', 'warning']),
    file: z.string(),
    path: z.string(),
    message: z.string(),
  });

/**
 * `multicloud-gitops:pattern:validate`: runs our pattern rules on a checkout
 * in the workspace and fails the task when there are errors.
 *
 * @public
 */
export function createValidatePatternAction() {
  return createTemplateAction({
    id: 'multicloud-gitops:pattern:validate',
    description:
      'Validates a Validated Patterns checkout: values schema rules, DNS-1123 names, the name-length rule, a values file per managed cluster group, and no secrets in tracked files.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Directory of the pattern inside the workspace (default: the workspace root)',
            ),
        failOnError: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Fail the step when the pattern is invalid (default true)',
            ),
      },
      output: {
        valid: z => z.boolean().describe('True when there are no errors'),
        errors: z =>
          z
            .array(issueSchema(z))
            .describe('Errors: file, YAML path and what to change'),
        warnings: z => z.array(issueSchema(z)).describe('Warnings'),
      },
    },
    async handler(ctx) {
      const dir = workspaceDir(ctx.workspacePath, ctx.input.sourcePath);
      const result = await asInputErrors(async () =>
        validatePattern(await readPattern(dir)),
      );
      logIssues(ctx.logger, [...result.errors, ...result.warnings]);
      ctx.output('valid', result.valid);
      ctx.output('errors', result.errors);
      ctx.output('warnings', result.warnings);
      if (!result.valid && ctx.input.failOnError !== false) {
        throw new InputError(
          `The pattern is invalid (${
            result.errors.length
          } error(s)):\n${result.errors
            .map(e => `${e.file}${e.path ? `: ${e.path}` : ''}: ${e.message}`)
            .join('\n')}`,
        );
      }
      ctx.logger.info(
        `pattern is valid (${result.warnings.length} warning(s))`,
      );
    },
  });
}
