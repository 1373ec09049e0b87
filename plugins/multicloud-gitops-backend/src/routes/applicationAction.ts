/*
 * Sync, refresh and rollback of one application, for the HTTP routes and the actions registry alike:
 * one place decides who may act (the sync permission on the entity, else on the cluster the
 * application runs on), checks the application belongs to the entity, audits, and carries
 * the action to a configured Argo CD instance or through the hub.
 */
import {
  AuditorService,
  BackstageCredentials,
  BackstageUserPrincipal,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApplicationAction,
  ApplicationActionResponse,
  applicationSyncPermission,
  clusterEntityRef,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { Request } from 'express';
import { UpstreamError } from '../http/httpClient';
import { toArgoApplication } from '../store/records';
import { entityFleetScope } from '../topology/entityScope';
import { TopologyService } from '../topology/TopologyService';
import { loadEntity } from './entityRef';

/** What Argo CD reports of an application right after the call. */
export type AppState = Pick<
  ApplicationActionResponse,
  'sync' | 'health' | 'operationPhase'
>;

/** Sync and refresh of the applications of one Argo CD instance. */
export interface ArgoActions {
  sync(name: string, appNamespace?: string): Promise<AppState>;
  refresh(name: string, appNamespace?: string): Promise<AppState>;
  /** Any call of the instance's REST API (history, diff, rollback); absent: not offered. */
  call?<T>(
    path: string,
    options?: { method?: string; body?: unknown },
  ): Promise<T>;
}

/**
 * Sync and refresh through a hub, for the applications of a managed cluster that no
 * configured Argo CD instance serves (ACM ManagedClusterAction, with the hub's credential).
 */
export interface HubApplicationActions {
  sync(
    cluster: string,
    name: string,
    namespace: string,
    initiatedBy: string,
  ): Promise<AppState>;
  refresh(cluster: string, name: string, namespace: string): Promise<AppState>;
  /** Roll back to history entry `id`; absent: not offered. */
  rollback?(
    cluster: string,
    name: string,
    namespace: string,
    id: number,
    initiatedBy: string,
  ): Promise<AppState>;
  /** The Application as the cluster has it (ManagedClusterView); absent: not offered. */
  application?(cluster: string, name: string, namespace: string): Promise<any>;
}

/** Where an action goes: a configured Argo CD instance, or a managed cluster. */
export type ActionTarget = { instance: string } | { cluster: string };

export interface ApplicationActionOptions {
  service: TopologyService;
  /** The Argo CD instance of a hub, by name; throws NotFoundError when there is none. */
  argoInstance(hub: string, instance: string): ArgoActions;
  /** A hub's way to sync and refresh through ACM; throws NotFoundError for an unknown hub. */
  hubActions(hub: string): HubApplicationActions;
  permissions: PermissionsService;
  catalog: CatalogService;
  auditor: AuditorService;
  logger: LoggerService;
}

/** One sync or refresh, its names already checked. */
export interface ApplicationActionRequest {
  action: ApplicationAction;
  /** The history entry a rollback goes back to. */
  historyId?: number;
  credentials: BackstageCredentials<BackstageUserPrincipal>;
  hub: string;
  target: ActionTarget;
  application: string;
  /** A parsed, normalised entity reference (see `parseEntityRefParam`). */
  entityRef: string;
  appNamespace?: string;
  /** The HTTP request that asked, for the audit event; absent for a registry action. */
  request?: Request;
}

export type ApplicationActionRunner = (
  r: ApplicationActionRequest,
) => Promise<ApplicationActionResponse>;

const verb = (action: ApplicationAction) =>
  action === 'rollback' ? 'roll back' : action;

export function createApplicationActionRunner(
  options: ApplicationActionOptions,
): ApplicationActionRunner {
  const { service, permissions, catalog, auditor, logger } = options;

  async function throughArgo(
    action: ApplicationAction,
    hub: string,
    instance: string,
    appName: string,
    appNamespace: string,
    historyId?: number,
  ): Promise<AppState> {
    const argo = options.argoInstance(hub, instance);
    try {
      if (action === 'rollback') {
        if (!argo.call)
          throw new ServiceUnavailableError(
            `Argo CD ${instance} offers no rollback here`,
          );
        const app = await argo.call<unknown>(
          `api/v1/applications/${encodeURIComponent(appName)}/rollback`,
          {
            method: 'POST',
            body: { id: historyId, prune: false, appNamespace },
          },
        );
        const record = toArgoApplication(app, '', instance);
        return {
          sync: record.sync,
          health: record.health,
          operationPhase: record.operationPhase,
        };
      }
      return action === 'sync'
        ? await argo.sync(appName, appNamespace)
        : await argo.refresh(appName, appNamespace);
    } catch (e) {
      if (e instanceof UpstreamError && e.status === 400) {
        throw new ConflictError(
          `Argo CD ${instance} refused to ${verb(
            action,
          )} ${appName}: ${e.message.replace(/^HTTP 400 from \S+: /, '')}`,
        );
      }
      if (e instanceof UpstreamError)
        throw new ServiceUnavailableError(`Argo CD ${instance}: ${e.message}`);
      throw e;
    }
  }

  return async ({
    action,
    credentials,
    hub,
    target,
    application: appName,
    entityRef,
    appNamespace: askedNamespace,
    request,
    historyId,
  }) => {
    if (
      action === 'rollback' &&
      (historyId === undefined || !Number.isInteger(historyId) || historyId < 0)
    )
      throw new InputError('A rollback needs the id of a history entry');
    const where =
      'instance' in target
        ? `on Argo CD instance ${target.instance}`
        : `on cluster ${target.cluster}`;

    const audit = await auditor.createEvent({
      eventId: `application-${action}`,
      severityLevel: 'medium',
      request,
      meta: {
        hub,
        ...target,
        application: appName,
        entityRef,
        ...(action === 'rollback' ? { historyId } : {}),
      },
    });
    try {
      const denied = () =>
        new NotAllowedError(
          `You may not ${verb(
            action,
          )} applications of ${entityRef} (multicloud-gitops.application.sync), nor is the cluster the application runs on yours`,
        );
      const [decision] = await permissions.authorize(
        [{ permission: applicationSyncPermission, resourceRef: entityRef }],
        { credentials },
      );
      const byEntity = decision.result === AuthorizeResult.ALLOW;
      const entity = await loadEntity(catalog, entityRef, credentials);
      const resolved = entityFleetScope(entity, service);
      if (!resolved.hubs.includes(hub)) {
        if (!byEntity) throw denied();
        throw new InputError(
          `${entityRef} belongs to hub ${resolved.hubs.join(', ')}, not ${hub}`,
        );
      }
      // The application must belong to the entity: owning one app grants no power over another.
      const view = service.scoped(hub, resolved.scope);
      const app = view.applications.find(
        a =>
          a.name === appName &&
          ('instance' in target
            ? a.instance === target.instance
            : a.cluster === target.cluster) &&
          (!askedNamespace || a.namespace === askedNamespace),
      );
      if (!app) {
        if (!byEntity) throw denied();
        throw new NotFoundError(
          `Application ${appName} ${where} is not part of ${entityRef}`,
        );
      }
      // Otherwise a cluster's catalog entity decides: the same permission on it, so a
      // policy's "is owner" rule lets a cluster's owners act on what runs there.
      let grantedBy = entityRef;
      if (!byEntity) {
        const clusterRef = clusterEntityRef(hub, app.cluster);
        const [onCluster] = await permissions.authorize(
          [
            {
              permission: applicationSyncPermission,
              resourceRef: clusterRef,
            },
          ],
          { credentials },
        );
        if (onCluster.result !== AuthorizeResult.ALLOW) throw denied();
        grantedBy = clusterRef;
      }
      const appNamespace = askedNamespace ?? app.namespace;
      // A configured Argo CD instance that serves the application wins over the hub.
      const instance = app.instance;
      let after: AppState;
      if (instance) {
        after = await throughArgo(
          action,
          hub,
          instance,
          appName,
          appNamespace,
          historyId,
        );
      } else {
        if (!service.clusterDetails(hub, app.cluster).hubActions)
          throw new ServiceUnavailableError(
            `Cluster ${app.cluster} is not available: the hub cannot carry the ${action} of ${appName} to it now`,
          );
        const through = options.hubActions(hub);
        const user = credentials.principal.userEntityRef;
        if (action === 'rollback') {
          if (!through.rollback)
            throw new ServiceUnavailableError(
              `Hub ${hub} offers no rollback of applications on its clusters`,
            );
          after = await through.rollback(
            app.cluster,
            appName,
            appNamespace,
            historyId!,
            user,
          );
        } else {
          after =
            action === 'sync'
              ? await through.sync(app.cluster, appName, appNamespace, user)
              : await through.refresh(app.cluster, appName, appNamespace);
        }
      }
      const response: ApplicationActionResponse = {
        hub,
        ...(instance ? { instance } : {}),
        application: appName,
        action,
        sync: after.sync,
        health: after.health,
        operationPhase: after.operationPhase,
        message: {
          sync: `Sync of ${appName} started`,
          refresh: `Refresh of ${appName} requested`,
          rollback: `Rollback of ${appName} to history entry ${historyId} started`,
        }[action],
      };
      await audit.success({
        meta: {
          operationPhase: after.operationPhase ?? null,
          grantedBy,
          through: instance ? `argocd:${instance}` : 'hub',
        },
      });
      logger.info(
        `${action} of ${hub}/${instance ?? app.cluster}/${appName} ${
          instance ? '' : 'through the hub '
        }for ${entityRef}${
          grantedBy === entityRef ? '' : ` (allowed on ${grantedBy})`
        }`,
      );
      return response;
    } catch (e) {
      await audit.fail({ error: e as Error });
      throw e;
    }
  };
}
