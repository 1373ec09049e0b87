/*
 * Sync and Refresh of an application on a managed cluster that no configured Argo CD instance
 * serves, carried through the hub with the hub's own credential, as the ACM console does it:
 * a ManagedClusterView reads the Application on the cluster, then a ManagedClusterAction of
 * type Update writes it back with the change. Upstream's Update replaces the object with the
 * action's template (fields the template leaves out are removed), so the template is always
 * the whole Application as viewed, plus the sync operation or the refresh annotation.
 */
import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import {
  ConflictError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { kubernetesErrorStatus } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { toArgoApplication } from '../store/records';
import { isObject } from '../store/plainData';

const ACTION = {
  group: 'action.open-cluster-management.io',
  version: 'v1beta1',
  plural: 'managedclusteractions',
};
const VIEW = {
  group: 'view.open-cluster-management.io',
  version: 'v1beta1',
  plural: 'managedclusterviews',
};
type Kind = typeof ACTION;

const REFRESH_ANNOTATION = 'argocd.argoproj.io/refresh';
const MANAGED_BY = {
  'app.kubernetes.io/managed-by': 'backstage-multicloud-gitops',
};

/** The hub API calls this needs: create, get and delete of namespaced custom objects. */
export interface HubObjectsApi {
  create(kind: Kind, namespace: string, body: object): Promise<any>;
  get(kind: Kind, namespace: string, name: string): Promise<any>;
  remove(kind: Kind, namespace: string, name: string): Promise<void>;
}

export function hubObjectsApi(kubeConfig: KubeConfig): HubObjectsApi {
  const api = kubeConfig.makeApiClient(CustomObjectsApi);
  return {
    create: (kind, namespace, body) =>
      api.createNamespacedCustomObject({ ...kind, namespace, body }),
    get: (kind, namespace, name) =>
      api.getNamespacedCustomObject({ ...kind, namespace, name }),
    remove: async (kind, namespace, name) => {
      await api.deleteNamespacedCustomObject({ ...kind, namespace, name });
    },
  };
}

/** What the application looked like as the action went through. */
export interface HubActionResult {
  sync: ReturnType<typeof toArgoApplication>['sync'];
  health: ReturnType<typeof toArgoApplication>['health'];
  operationPhase?: string;
}

export interface HubActionsOptions {
  api: HubObjectsApi;
  /** The hub API's URL and the config key of its credential, for messages. */
  url: string;
  credential: string;
  /** How long the cluster has to carry out a view or an action (default 30 s). */
  timeoutMs?: number;
  /** How often the hub is asked whether it has (default 500 ms). */
  pollMs?: number;
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

function operationRunning(app: any): boolean {
  const phase = app?.status?.operationState?.phase;
  return !!app?.operation || phase === 'Running' || phase === 'Terminating';
}

function condition(obj: any, type: string) {
  const list = obj?.status?.conditions;
  return Array.isArray(list)
    ? list.find((c: any) => isObject(c) && c.type === type)
    : undefined;
}

export class HubActions {
  readonly #api: HubObjectsApi;
  readonly #url: string;
  readonly #credential: string;
  readonly #timeoutMs: number;
  readonly #pollMs: number;

  constructor(opts: HubActionsOptions) {
    this.#api = opts.api;
    this.#url = opts.url;
    this.#credential = opts.credential;
    this.#timeoutMs = opts.timeoutMs ?? 30_000;
    this.#pollMs = opts.pollMs ?? 500;
  }

  /** Start a sync of the application, as `initiatedBy` (the Backstage user). */
  sync(
    cluster: string,
    name: string,
    namespace: string,
    initiatedBy: string,
  ): Promise<HubActionResult> {
    return this.#run('sync', cluster, name, namespace, initiatedBy);
  }

  /**
   * Roll the application back to its history entry `id`, as Argo CD's rollback does: a sync
   * operation to that entry's revision and source, refused while auto-sync is on.
   */
  rollback(
    cluster: string,
    name: string,
    namespace: string,
    id: number,
    initiatedBy: string,
  ): Promise<HubActionResult> {
    return this.#run('rollback', cluster, name, namespace, initiatedBy, id);
  }

  /** The Application as the cluster has it now (through a ManagedClusterView). */
  application(cluster: string, name: string, namespace: string): Promise<any> {
    return this.#view(cluster, name, namespace);
  }

  /** Ask the cluster's Argo CD to refresh the application. */
  refresh(
    cluster: string,
    name: string,
    namespace: string,
  ): Promise<HubActionResult> {
    return this.#run('refresh', cluster, name, namespace);
  }

  async #run(
    action: 'sync' | 'refresh' | 'rollback',
    cluster: string,
    name: string,
    namespace: string,
    initiatedBy?: string,
    historyId?: number,
  ): Promise<HubActionResult> {
    const app = await this.#view(cluster, name, namespace);
    if (action !== 'refresh' && operationRunning(app))
      throw new ConflictError(
        `Cannot ${action} ${name} on ${cluster}: another operation is already in progress`,
      );
    // Argo CD's own rollback refuses these; the hub writes the operation, so it checks first
    let rollbackTo: any;
    if (action === 'rollback') {
      if (app.spec?.syncPolicy?.automated)
        throw new ConflictError(
          `Cannot roll back ${name} on ${cluster}: rollback cannot be initiated when auto-sync is enabled`,
        );
      rollbackTo = (app.status?.history ?? []).find(
        (h: any) => isObject(h) && h.id === historyId,
      );
      if (!rollbackTo)
        throw new NotFoundError(
          `Application ${name} on ${cluster} does not have deployment with id ${historyId}`,
        );
    }
    const template = JSON.parse(JSON.stringify(app));
    // no resourceVersion: the view is up to a few seconds old, and an old one is a conflict
    delete template.metadata.resourceVersion;
    delete template.metadata.managedFields;
    if (action !== 'refresh') {
      const syncOptions = app.spec?.syncPolicy?.syncOptions;
      const to = rollbackTo;
      template.operation = {
        sync: {
          ...(to && Array.isArray(to.revisions)
            ? { revisions: to.revisions, sources: to.sources }
            : {}),
          ...(to && !Array.isArray(to.revisions)
            ? { revision: to.revision, source: to.source }
            : {}),
          prune: false,
          ...(Array.isArray(syncOptions) ? { syncOptions } : {}),
        },
        initiatedBy: { username: initiatedBy },
      };
    } else {
      template.metadata.annotations = {
        ...(template.metadata.annotations ?? {}),
        [REFRESH_ANNOTATION]: 'normal',
      };
    }
    await this.#await(ACTION, cluster, `mcg-${action}-`, {
      actionType: 'Update',
      kube: { resource: 'applications.argoproj.io', namespace, template },
    });
    const record = toArgoApplication(app, cluster, '');
    return {
      sync: record.sync,
      health: record.health,
      operationPhase: action === 'refresh' ? record.operationPhase : 'Running',
    };
  }

  /** The Application as the cluster has it now. */
  async #view(cluster: string, name: string, namespace: string) {
    const view = await this.#await(VIEW, cluster, 'mcg-view-', {
      scope: {
        apiGroup: 'argoproj.io',
        version: 'v1alpha1',
        kind: 'Application',
        name,
        namespace,
      },
    });
    const result = view.status?.result;
    if (!isObject(result) || !isObject((result as any).metadata))
      throw new ServiceUnavailableError(
        `The hub's view of ${name} on ${cluster} has no object`,
      );
    return result as any;
  }

  /**
   * Create the object in the cluster's namespace, wait until the cluster reports on it
   * (Completed for an action, Processing for a view), delete it, and return it; a report of
   * failure is an error that says why.
   */
  async #await(kind: Kind, cluster: string, prefix: string, spec: object) {
    const what =
      kind === ACTION ? 'ManagedClusterAction' : 'ManagedClusterView';
    let created: any;
    try {
      created = await this.#api.create(kind, cluster, {
        apiVersion: `${kind.group}/${kind.version}`,
        kind: what,
        metadata: { generateName: prefix, labels: MANAGED_BY },
        spec,
      });
    } catch (e) {
      throw this.#hubError(e, `create ${kind.plural} in namespace ${cluster}`);
    }
    const objName: string = created?.metadata?.name;
    try {
      const deadline = Date.now() + this.#timeoutMs;
      const type = kind === ACTION ? 'Completed' : 'Processing';
      for (;;) {
        await sleep(this.#pollMs);
        let now: any;
        try {
          now = await this.#api.get(kind, cluster, objName);
        } catch (e) {
          throw this.#hubError(e, `get ${kind.plural} in namespace ${cluster}`);
        }
        const c = condition(now, type);
        if (c?.status === 'True') return now;
        if (c?.status === 'False') {
          const message = String(c.message ?? c.reason ?? '');
          if (kind === VIEW && c.reason === 'GetResourceFailed')
            throw new NotFoundError(
              `Cluster ${cluster}: ${message.replace(
                /^failed to get resource with err: /,
                '',
              )}`,
            );
          throw new ConflictError(`Cluster ${cluster} refused: ${message}`);
        }
        if (Date.now() >= deadline)
          throw new ServiceUnavailableError(
            `Cluster ${cluster} did not carry out the hub's ${what} within ${Math.round(
              this.#timeoutMs / 1000,
            )} s: is the cluster available and its klusterlet running?`,
          );
      }
    } finally {
      // a late cluster must not act on an answer nobody waits for any more
      if (objName)
        await this.#api.remove(kind, cluster, objName).catch(() => undefined);
    }
  }

  #hubError(e: unknown, doing: string): Error {
    const status = kubernetesErrorStatus(e);
    if (status === 401)
      return new ServiceUnavailableError(
        `Hub API at ${this.#url} rejected the ${
          this.#credential
        } (401 Unauthorized): renew or replace that token`,
      );
    if (status === 403)
      return new ServiceUnavailableError(
        `The ${this.#credential} may not ${doing} on ${
          this.#url
        } (403 Forbidden): grant create, get and delete on managedclusteractions and managedclusterviews to that service account`,
      );
    if (status === 404)
      return new ServiceUnavailableError(
        `Hub API at ${
          this.#url
        } cannot ${doing} (404): is ACM installed, and is the cluster managed by this hub?`,
      );
    return new ServiceUnavailableError(
      status
        ? `Hub API at ${this.#url} answered ${status} to ${doing}`
        : `Cannot reach the hub API at ${this.#url} to ${doing}`,
    );
  }
}
