import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { HubConnectionResolver } from '../hub/config';
import { createHubClients } from '../hub/client';
import {
  ClusterImporter,
  StepResult,
  checkImportRequest,
  redactor,
} from '../cluster/importer';
import {
  ImportCredentials,
  conditionsOf,
  manualImportCommand,
} from '../cluster/resources';
import { examples } from './clusterImport.examples';
import { dns1123Label, stringRecord } from './util';

/**
 * Builds the portal link of a cluster; the module's default is `DEFAULT_CLUSTER_PAGE_PATH`.
 * @public
 */
export type ClusterUrlBuilder = (hub: string, cluster: string) => string;

/**
 * Options of {@link createClusterImportAction}.
 * @public
 */
export interface ClusterImportActionOptions {
  hubs: HubConnectionResolver;
  clusterUrl: ClusterUrlBuilder;
  /** Hub name used in links when the input names none. */
  defaultHubName?: string;
}

/** Reads the import credentials from the task's secrets, never from inputs. */
function credentialsFrom(
  secrets: Record<string, string> | undefined,
  names: { kubeconfig: string; token: string; server: string },
): ImportCredentials | undefined {
  const kubeconfig = secrets?.[names.kubeconfig];
  const token = secrets?.[names.token];
  const server = secrets?.[names.server];
  if (!kubeconfig && !token && !server) {
    return undefined;
  }
  return kubeconfig ? { kubeconfig } : { token, server };
}

/**
 * `multicloud-gitops:cluster:import`: registers a cluster on the ACM hub in a
 * cluster group. Creates the ManagedCluster, its namespace, the
 * KlusterletAddonConfig and (with credentials) the auto-import Secret.
 *
 * Credentials come only from scaffolder secrets (`kubeconfig`, or `token` and
 * `server`): they are sent to the hub API and nowhere else, not logged, not
 * output, not written to the workspace.
 *
 * @public
 */
export function createClusterImportAction(options: ClusterImportActionOptions) {
  return createTemplateAction({
    id: 'multicloud-gitops:cluster:import',
    description:
      'Imports a cluster into ACM on the hub with the labels clusterGroup, name, cloud/vendor auto-detect, in the default cluster set, with a KlusterletAddonConfig and, when the kubeconfig or token+server secrets are given, the auto-import secret. Idempotent.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        clusterName: z =>
          dns1123Label(z).describe(
            'Name of the ManagedCluster (DNS-1123 label)',
          ),
        clusterGroup: z =>
          dns1123Label(z).describe(
            'Cluster group; becomes the clusterGroup label',
          ),
        hub: z =>
          z
            .string()
            .optional()
            .describe(
              'Hub name from multicloudGitops.hubs (default: the only hub)',
            ),
        labels: z =>
          z
            .record(z.string(), z.string())
            .optional()
            .describe('Extra ManagedCluster labels'),
        autoImportRetry: z =>
          z
            .number()
            .int()
            .min(1)
            .max(20)
            .optional()
            .describe('Import attempts of the import controller (default 5)'),
        credentialSecrets: z =>
          z
            .object({
              kubeconfig: z.string().optional(),
              token: z.string().optional(),
              server: z.string().optional(),
            })
            .optional()
            .describe(
              'Names of the task secrets holding the credentials (default kubeconfig, token, server)',
            ),
      },
      output: {
        clusterName: z => z.string(),
        hub: z => z.string(),
        importMode: z =>
          z
            .enum(['auto', 'manual', 'existing'])
            .describe(
              'auto: secret created; manual: run importCommand; existing: already imported',
            ),
        created: z =>
          z.array(z.string()).describe('Objects created on the hub'),
        unchanged: z =>
          z
            .array(z.string())
            .describe('Objects that already existed and were left alone'),
        importCommand: z =>
          z
            .string()
            .optional()
            .describe('Commands for a manual import (no credentials given)'),
        clusterUrl: z =>
          z.string().describe("The cluster's page in the portal"),
      },
    },
    async handler(ctx) {
      const { clusterName, clusterGroup } = ctx.input;
      const names = {
        kubeconfig: ctx.input.credentialSecrets?.kubeconfig ?? 'kubeconfig',
        token: ctx.input.credentialSecrets?.token ?? 'token',
        server: ctx.input.credentialSecrets?.server ?? 'server',
      };
      const credentials = credentialsFrom(ctx.secrets, names);
      const labels = stringRecord(ctx.input.labels, 'labels');
      const retries = ctx.input.autoImportRetry ?? 5;
      const request = {
        clusterName,
        clusterGroup,
        labels,
        credentials,
        autoImportRetry: retries,
      };
      checkImportRequest(request);
      // An absent hub annotation renders as '' in templates: use the default hub.
      const hubName = ctx.input.hub || options.defaultHubName || 'hub';
      const clusterUrl = options.clusterUrl(hubName, clusterName);
      const objects = [
        `ManagedCluster ${clusterName}`,
        `Namespace ${clusterName}`,
        `KlusterletAddonConfig ${clusterName}/${clusterName}`,
        ...(credentials ? [`Secret ${clusterName}/auto-import-secret`] : []),
      ];
      ctx.output('clusterName', clusterName);
      ctx.output('hub', hubName);
      ctx.output('clusterUrl', clusterUrl);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `dry run: would ensure on hub ${hubName}: ${objects.join(', ')}`,
        );
        ctx.output('importMode', credentials ? 'auto' : 'manual');
        ctx.output('created', []);
        ctx.output('unchanged', []);
        if (!credentials) {
          ctx.output('importCommand', manualImportCommand(clusterName));
        }
        return;
      }

      const conn = await options.hubs.resolve(ctx.input.hub || undefined);
      const redact = redactor([
        credentials?.kubeconfig,
        credentials?.token,
        conn.token,
      ]);
      const importer = new ClusterImporter(createHubClients(conn), redact);
      const { exists } = await importer.preflight(request);
      const existing = exists
        ? await importer.getManagedCluster(clusterName)
        : undefined;
      const joined = conditionsOf(existing).some(
        c => c.type === 'ManagedClusterJoined' && c.status === 'True',
      );

      const created: string[] = [];
      const unchanged: string[] = [];
      const step = async (
        label: string,
        key: string,
        fn: () => Promise<StepResult>,
      ) => {
        // The checkpoint makes a resumed task skip hub writes that already
        // happened; each step is idempotent on its own as well.
        const result = await ctx.checkpoint({
          key: `multicloud-gitops.cluster-import.${hubName}.${clusterName}.${key}`,
          fn: async () => fn(),
        });
        (result === 'created' ? created : unchanged).push(label);
        ctx.logger.info(
          `${label}: ${
            result === 'created' ? 'created' : 'already exists, left unchanged'
          }`,
        );
      };

      // ManagedCluster first: ACM then owns the cluster namespace, and a
      // KlusterletAddonConfig or Secret never sits in a namespace without it.
      await step(objects[0], 'managedcluster', () =>
        importer.ensureManagedCluster(request),
      );
      await step(objects[1], 'namespace', () =>
        importer.ensureNamespace(clusterName),
      );
      await step(objects[2], 'klusterletaddonconfig', () =>
        importer.ensureKlusterletAddonConfig(clusterName),
      );

      let importMode: 'auto' | 'manual' | 'existing';
      if (joined) {
        // Already joined: a new auto-import secret would make the import
        // controller re-run the import against a healthy cluster.
        importMode = 'existing';
        ctx.logger.info(
          `ManagedCluster ${clusterName} has already joined the hub; no import secret needed`,
        );
      } else if (credentials) {
        importMode = 'auto';
        await step(objects[3], 'auto-import-secret', () =>
          importer.ensureAutoImportSecret(clusterName, credentials, retries),
        );
      } else {
        importMode = 'manual';
        const cmd = manualImportCommand(clusterName);
        ctx.output('importCommand', cmd);
        ctx.logger.info(
          `No import credentials were given; import ${clusterName} manually:\n${cmd}`,
        );
      }
      ctx.output('importMode', importMode);
      ctx.output('created', created);
      ctx.output('unchanged', unchanged);
      if (created.length === 0) {
        ctx.logger.info(
          `nothing changed on hub ${hubName}: ${clusterName} was already set up`,
        );
      }
    },
  });
}
