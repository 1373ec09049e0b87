import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { HubConnectionResolver } from '../hub/config';
import { createHubClients } from '../hub/client';
import { ClusterImporter, redactor } from '../cluster/importer';
import { Condition, conditionsOf } from '../cluster/resources';
import { examples } from './clusterWaitAvailable.examples';
import { dns1123Label } from './util';

const AVAILABLE = 'ManagedClusterConditionAvailable';

function describeConditions(conditions: Condition[]): string {
  if (conditions.length === 0) {
    return 'no conditions yet (the klusterlet has not reported)';
  }
  return conditions
    .map(c => `${c.type}=${c.status}${c.reason ? ` (${c.reason})` : ''}`)
    .join(', ');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        reject(new Error('cancelled'));
      },
      { once: true },
    );
  });
}

/**
 * `multicloud-gitops:cluster:wait-available`: polls the ManagedCluster until
 * its Available condition is True, logging each change of state.
 *
 * @public
 */
export function createClusterWaitAvailableAction(options: {
  hubs: HubConnectionResolver;
}) {
  return createTemplateAction({
    id: 'multicloud-gitops:cluster:wait-available',
    description:
      'Waits until a ManagedCluster on the hub reports ManagedClusterConditionAvailable=True, with a timeout and progress in the task log.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        clusterName: z => dns1123Label(z).describe('ManagedCluster name'),
        hub: z =>
          z
            .string()
            .optional()
            .describe(
              'Hub name from multicloudGitops.hubs (default: the only hub)',
            ),
        timeoutSeconds: z =>
          z
            .number()
            .int()
            .min(1)
            .max(7200)
            .optional()
            .describe('Give up after this long (default 600)'),
        intervalSeconds: z =>
          z
            .number()
            .min(0.05)
            .max(300)
            .optional()
            .describe('Poll interval (default 10)'),
      },
      output: {
        available: z => z.boolean(),
        waitedSeconds: z => z.number(),
        conditions: z =>
          z.array(
            z.object({
              type: z.string(),
              status: z.string(),
              reason: z.string().optional(),
              message: z.string().optional(),
            }),
          ),
      },
    },
    async handler(ctx) {
      const { clusterName } = ctx.input;
      const timeoutMs = (ctx.input.timeoutSeconds ?? 600) * 1000;
      const intervalMs = (ctx.input.intervalSeconds ?? 10) * 1000;
      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would wait up to ${
            timeoutMs / 1000
          }s for ManagedCluster ${clusterName} to become available`,
        );
        ctx.output('available', false);
        ctx.output('waitedSeconds', 0);
        ctx.output('conditions', []);
        return;
      }
      const conn = await options.hubs.resolve(ctx.input.hub || undefined);
      const importer = new ClusterImporter(
        createHubClients(conn),
        redactor([conn.token]),
      );
      const started = Date.now();
      let last = '';
      for (;;) {
        const mc = await importer.getManagedCluster(clusterName);
        if (!mc) {
          throw new InputError(
            `ManagedCluster ${clusterName} does not exist on the hub; import it first (multicloud-gitops:cluster:import)`,
          );
        }
        const conditions = conditionsOf(mc);
        const state = describeConditions(conditions);
        const waited = Math.round((Date.now() - started) / 1000);
        if (state !== last) {
          ctx.logger.info(
            `ManagedCluster ${clusterName} after ${waited}s: ${state}`,
          );
          last = state;
        }
        const available = conditions.find(c => c.type === AVAILABLE);
        if (available?.status === 'True') {
          ctx.output('available', true);
          ctx.output('waitedSeconds', waited);
          ctx.output(
            'conditions',
            conditions.map(({ type, status, reason, message }) => ({
              type,
              status,
              reason,
              message,
            })),
          );
          ctx.logger.info(`ManagedCluster ${clusterName} is available`);
          return;
        }
        if (Date.now() - started + intervalMs > timeoutMs) {
          throw new Error(
            `ManagedCluster ${clusterName} is not available after ${Math.round(
              timeoutMs / 1000,
            )}s: ${state}. ` +
              `Check the import on the hub (oc get managedcluster ${clusterName} -o yaml) and the klusterlet on the cluster.`,
          );
        }
        await sleep(intervalMs, ctx.signal);
      }
    },
  });
}
