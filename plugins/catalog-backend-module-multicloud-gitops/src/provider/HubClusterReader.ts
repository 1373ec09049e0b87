/*
 * The three reads the provider makes on a hub's Kubernetes API: a paged list of the
 * ManagedClusters, the Pattern CRs, and one short watch of the ManagedClusters from a
 * resourceVersion. The watch ends on the server's timeout, so a run of the scheduled task
 * is bounded and holds no connection between runs.
 */
import { CustomObjectsApi, KubeConfig, Watch } from '@kubernetes/client-node';
import {
  describeKubernetesError,
  HubSettings,
  hubKubeConfig,
  kubernetesErrorStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

const MC = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
};
const PATTERNS = {
  group: 'gitops.hybrid-cloud-patterns.io',
  version: 'v1alpha1',
  plural: 'patterns',
};
const PAGE_SIZE = 500;

/** A change the watch reported. @public */
export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: unknown;
}

/** What one watch saw, or that its resourceVersion expired (410). @public */
export type WatchResult =
  | { expired: true }
  | { expired: false; events: WatchEvent[]; resourceVersion: string };

/** The hub answered with an HTTP status (or a watch ERROR event carrying one). */
export class HubApiError extends Error {
  constructor(message: string, readonly status?: number) {
    super(message);
    this.name = 'HubApiError';
  }
}

/** Reads ManagedClusters and Patterns from one hub. @public */
export interface HubClusterReader {
  listManagedClusters(): Promise<{ items: unknown[]; resourceVersion: string }>;
  /** Pattern CR names across namespaces; undefined when the CRD is not installed. */
  listPatterns(): Promise<string[] | undefined>;
  watchManagedClusters(
    resourceVersion: string,
    timeoutSeconds: number,
  ): Promise<WatchResult>;
}

/**
 * One line saying why a read failed, naming the hub's URL but never its token. The watch's
 * own errors are already worded; the client's are worded by the rule the backend plugin uses.
 */
export function describeHubError(err: unknown, url: string): string {
  if (err instanceof HubApiError) return err.message;
  return describeKubernetesError(err, {
    url,
    resource: 'managedclusters',
    credential: 'service account token',
  });
}

/** The reader over the Kubernetes client (`@kubernetes/client-node`). @public */
export class KubernetesHubClusterReader implements HubClusterReader {
  readonly #api: CustomObjectsApi;
  readonly #watch: Watch;

  constructor(kc: KubeConfig) {
    this.#api = kc.makeApiClient(CustomObjectsApi);
    this.#watch = new Watch(kc);
  }

  static fromHub(hub: HubSettings): KubernetesHubClusterReader {
    return new KubernetesHubClusterReader(hubKubeConfig(hub));
  }

  async listManagedClusters() {
    // A continue token can expire between pages (410); the list then starts over once.
    for (let attempt = 0; ; attempt++) {
      try {
        const items: unknown[] = [];
        let cont: string | undefined;
        let resourceVersion = '';
        do {
          const page = await this.#api.listClusterCustomObject({
            ...MC,
            limit: PAGE_SIZE,
            _continue: cont,
          });
          items.push(...((page as any).items ?? []));
          resourceVersion = (page as any).metadata?.resourceVersion ?? '';
          cont = (page as any).metadata?.continue || undefined;
        } while (cont);
        return { items, resourceVersion };
      } catch (e) {
        if (kubernetesErrorStatus(e) !== 410 || attempt > 0) throw e;
      }
    }
  }

  async listPatterns() {
    try {
      const names: string[] = [];
      let cont: string | undefined;
      do {
        const page: any = await this.#api.listClusterCustomObject({
          ...PATTERNS,
          limit: PAGE_SIZE,
          _continue: cont,
        });
        for (const p of page.items ?? []) {
          if (typeof p?.metadata?.name === 'string')
            names.push(p.metadata.name);
        }
        cont = page.metadata?.continue || undefined;
      } while (cont);
      return names;
    } catch (e) {
      if (kubernetesErrorStatus(e) === 404) return undefined;
      throw e;
    }
  }

  watchManagedClusters(
    resourceVersion: string,
    timeoutSeconds: number,
  ): Promise<WatchResult> {
    const path = `/apis/${MC.group}/${MC.version}/${MC.plural}`;
    return new Promise((resolve, reject) => {
      const events: WatchEvent[] = [];
      let latest = resourceVersion;
      let outcome: WatchResult | Error | undefined;
      let settled = false;
      let abortWatch: (() => void) | undefined;
      const settle = () => {
        if (settled) return;
        settled = true;
        // eslint-disable-next-line @typescript-eslint/no-use-before-define
        clearTimeout(guard);
        if (outcome instanceof Error) reject(outcome);
        else
          resolve(
            outcome ?? { expired: false, events, resourceVersion: latest },
          );
      };
      // Stops a watch the server does not end; normally it ends after timeoutSeconds.
      const guard = setTimeout(() => {
        outcome ??= new HubApiError(
          `the watch of managedclusters did not end within ${
            timeoutSeconds + 10
          } s`,
        );
        abortWatch?.();
        settle();
      }, (timeoutSeconds + 10) * 1000);
      this.#watch
        .watch(
          path,
          { resourceVersion, allowWatchBookmarks: true, timeoutSeconds },
          (type: string, object: any) => {
            if (outcome) return;
            if (type === 'ERROR') {
              const code = object?.code;
              outcome =
                code === 410
                  ? { expired: true }
                  : new HubApiError(
                      `the watch of managedclusters failed${
                        code ? ` (${code})` : ''
                      }: ${String(object?.message ?? 'no message').slice(
                        0,
                        200,
                      )}`,
                      code,
                    );
              return;
            }
            const rv = object?.metadata?.resourceVersion;
            if (typeof rv === 'string' && rv) latest = rv;
            if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED')
              events.push({ type, object });
          },
          (err: unknown) => {
            if (err && !outcome) {
              outcome =
                kubernetesErrorStatus(err) === 410
                  ? { expired: true }
                  : (err as Error);
            }
            settle();
          },
        )
        .then(controller => {
          abortWatch = () => controller.abort();
        })
        .catch((err: unknown) => {
          outcome ??= err as Error;
          settle();
        });
    });
  }
}
