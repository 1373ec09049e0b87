/*
 * The sync action for assistants: the routes' own sync (see routes/applicationAction.ts),
 * so the same permission, ownership rule and audit apply, whoever asks.
 */
import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError, NotAllowedError } from '@backstage/errors';
import { topologyReadPermission } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  ActionTarget,
  ApplicationActionRunner,
} from '../routes/applicationAction';
import { parseEntityRefParam } from '../routes/entityRef';
import { entityRefIn, hubIn, nameIn } from './schemas';

export interface SyncActionOptions {
  actionsRegistry: ActionsRegistryService;
  applicationAction: ApplicationActionRunner;
}

const isUser = (
  c: BackstageCredentials,
): c is BackstageCredentials<BackstageUserPrincipal> =>
  (c.principal as { type?: string }).type === 'user';

export function registerSyncAction(options: SyncActionOptions) {
  options.actionsRegistry.register({
    name: 'sync-application',
    title: 'Sync an Argo CD application of the Multicloud GitOps fleet',
    description: `Starts an Argo CD sync of one application on one managed cluster (or of a configured Argo CD instance), on behalf of the user, who must be allowed to sync the catalog entity's applications (multicloud-gitops.application.sync, usually its owners) or own the cluster. Audited. The answer is what Argo CD reports right after the call; the sync goes on in the background.

## When to use
Only when the user asks to sync. Find the hub, cluster and application with get-entity-fleet-problems or find-application-placements first; give exactly one of cluster or instance.`,
    attributes: { readOnly: false, destructive: false, idempotent: true },
    visibilityPermission: topologyReadPermission,
    schema: {
      input: z =>
        z.object({
          entityRef: entityRefIn(z).describe(
            'The catalog entity the application belongs to, e.g. component:default/hello-world',
          ),
          hub: hubIn(z),
          application: nameIn(z, 'application'),
          cluster: nameIn(z, 'cluster')
            .optional()
            .describe('The managed cluster the application runs on'),
          instance: nameIn(z, 'instance')
            .optional()
            .describe('A configured Argo CD instance, instead of a cluster'),
          appNamespace: nameIn(z, 'appNamespace')
            .optional()
            .describe("The Application object's namespace, when ambiguous"),
        }),
      output: z =>
        z.object({
          hub: z.string(),
          instance: z.string().optional(),
          application: z.string(),
          sync: z.string(),
          health: z.string(),
          operationPhase: z.string().optional(),
          message: z.string(),
        }),
    },
    action: async ({ input, credentials }) => {
      if (!isUser(credentials))
        throw new NotAllowedError('Only a user may sync an application');
      if (!input.cluster === !input.instance)
        throw new InputError('Give exactly one of cluster or instance');
      const target: ActionTarget = input.cluster
        ? { cluster: input.cluster }
        : { instance: input.instance! };
      const r = await options.applicationAction({
        action: 'sync',
        credentials,
        hub: input.hub,
        target,
        application: input.application,
        entityRef: parseEntityRefParam(input.entityRef),
        appNamespace: input.appNamespace,
      });
      return {
        output: {
          hub: r.hub,
          ...(r.instance ? { instance: r.instance } : {}),
          application: r.application,
          sync: r.sync,
          health: r.health,
          ...(r.operationPhase ? { operationPhase: r.operationPhase } : {}),
          message: r.message,
        },
      };
    },
  });
}
