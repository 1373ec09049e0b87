import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { HubConnectionResolver } from '../hub/config';
import { createHubClients } from '../hub/client';
import { redactor } from '../cluster/importer';
import {
  DEFAULT_CLUSTER_GROUP,
  DEFAULT_TARGET_REVISION,
  PatternInstaller,
  PatternRequest,
  checkPatternRequest,
  patternConsoleUrl,
} from '../hub/patterns';
import { examples } from './patternInstall.examples';
import { dns1123Label } from './util';

/**
 * Options of {@link createPatternInstallAction}.
 * @public
 */
export interface PatternInstallActionOptions {
  /** Resolves the `hub` input to its connection (the configured hubs). */
  hubs: HubConnectionResolver;
  /** Hub name reported when the input names none (the only configured hub). */
  defaultHubName?: string;
}

/**
 * `multicloud-gitops:pattern:install`: creates or updates the Pattern CR on a
 * hub, which makes the patterns operator deploy the pattern from git. One
 * Pattern per cluster: a different Pattern on the hub is a refusal.
 *
 * @public
 */
export function createPatternInstallAction(
  options: PatternInstallActionOptions,
) {
  return createTemplateAction({
    id: 'multicloud-gitops:pattern:install',
    description:
      'Installs a pattern on a hub: creates its Pattern CR (gitops.hybrid-cloud-patterns.io/v1alpha1) for the patterns operator, or updates the repository, revision and cluster group of the existing one. Refuses when the hub runs another Pattern (one per cluster). Idempotent; dry run reads the hub and writes nothing.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        hub: z =>
          z
            .string()
            .optional()
            .describe(
              'Hub name from multicloudGitops.hubs (default: the only hub)',
            ),
        patternName: z =>
          dns1123Label(z).describe(
            'Name of the Pattern CR: global.pattern of the repository',
          ),
        targetRepo: z =>
          z
            .string()
            .describe(
              'http(s) URL of the pattern repository the hub clones (gitSpec.targetRepo)',
            ),
        targetRevision: z =>
          z
            .string()
            .optional()
            .describe(
              'Branch, tag or full commit SHA (gitSpec.targetRevision, default main)',
            ),
        clusterGroupName: z =>
          dns1123Label(z)
            .optional()
            .describe(
              "The hub's cluster group: main.clusterGroupName (default hub)",
            ),
        namespace: z =>
          dns1123Label(z)
            .optional()
            .describe(
              'Namespace of a new Pattern (default patterns-operator, or openshift-operators on hubs where only that one exists)',
            ),
        dryRun: z =>
          z
            .boolean()
            .optional()
            .describe('Report what would be written; write nothing'),
      },
      output: {
        name: z => z.string().describe('Name of the Pattern'),
        namespace: z => z.string().describe('Namespace of the Pattern'),
        hub: z => z.string(),
        result: z =>
          z
            .enum(['created', 'updated', 'unchanged'])
            .describe('What happened, or would happen in a dry run'),
        changes: z =>
          z
            .array(z.string())
            .describe('Changed fields of an update, as "field: old -> new"'),
        consoleUrl: z =>
          z
            .string()
            .optional()
            .describe("The Pattern's page in the hub's OpenShift console"),
      },
    },
    async handler(ctx) {
      const req: PatternRequest = {
        name: ctx.input.patternName,
        namespace: ctx.input.namespace || undefined,
        clusterGroupName: ctx.input.clusterGroupName || DEFAULT_CLUSTER_GROUP,
        targetRepo: ctx.input.targetRepo,
        targetRevision: ctx.input.targetRevision || DEFAULT_TARGET_REVISION,
      };
      checkPatternRequest(req);
      const dryRun = ctx.isDryRun || ctx.input.dryRun === true;
      // An absent hub annotation renders as '' in templates: use the default hub.
      const hubName = ctx.input.hub || options.defaultHubName || 'hub';
      const conn = await options.hubs.resolve(ctx.input.hub || undefined);
      const installer = new PatternInstaller(
        createHubClients(conn),
        hubName,
        redactor([conn.token]),
      );

      const plan = await installer.plan(req);
      const where = `Pattern ${plan.namespace}/${req.name} on hub ${hubName}`;
      for (const note of plan.notes) {
        ctx.logger.info(note);
      }
      const spec = `clusterGroupName ${plan.spec.clusterGroupName}, gitSpec.targetRepo ${plan.spec.gitSpec.targetRepo}, gitSpec.targetRevision ${plan.spec.gitSpec.targetRevision}`;
      if (dryRun) {
        ctx.logger.info(
          {
            created: `dry run: would create ${where} with ${spec}`,
            updated: `dry run: would update ${where}: ${plan.changes.join(
              ', ',
            )}`,
            unchanged: `dry run: ${where} is already up to date; nothing would change`,
          }[plan.result],
        );
      } else if (plan.result === 'unchanged') {
        ctx.logger.info(`${where} is already up to date; nothing changed`);
      } else {
        // A resumed task must not write the same Pattern twice.
        await ctx.checkpoint({
          key: `multicloud-gitops.pattern-install.${hubName}.${plan.namespace}.${req.name}`,
          fn: async () => {
            await installer.apply(req, plan);
          },
        });
        ctx.logger.info(
          plan.result === 'created'
            ? `${where}: created with ${spec}; the patterns operator now deploys it`
            : `${where}: updated ${plan.changes.join(', ')}`,
        );
      }

      const hubConsole = conn.consoleUrl ?? (await installer.hubConsoleUrl());
      ctx.output('name', req.name);
      ctx.output('namespace', plan.namespace);
      ctx.output('hub', hubName);
      ctx.output('result', plan.result);
      ctx.output('changes', plan.changes);
      if (hubConsole) {
        ctx.output(
          'consoleUrl',
          patternConsoleUrl(hubConsole, plan.namespace, req.name),
        );
      }
    },
  });
}
