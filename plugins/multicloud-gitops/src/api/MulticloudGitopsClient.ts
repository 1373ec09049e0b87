import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  ApplicationActionResponse,
  ApplicationDiff,
  ApplicationHistory,
  ClusterDetails,
  FleetResponse,
  HubsResponse,
  RevisionSpread,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ChangeStream, ChangeStreamOptions } from './ChangeStream';
import {
  ApplicationActionRequest,
  ApplicationRef,
  FleetRequest,
  MulticloudGitopsApi,
  RequestOptions,
  RevisionSpreadRequest,
  RollbackRequest,
  TopologyChangeListener,
  TopologyRequest,
} from './types';

/** How many revalidatable answers to keep: a tab's topology, or the pages of a fleet on screen. */
const ETAG_CACHE_SIZE = 64;

/** @public */
export interface MulticloudGitopsClientOptions {
  discoveryApi: DiscoveryApi;
  fetchApi: FetchApi;
  /** Reconnect and fallback tuning of the push channel (tests shorten it). */
  changeStream?: ChangeStreamOptions;
}

/**
 * Talks to the backend through fetchApi, so the user's Backstage token is attached to
 * every request, including the event stream.
 * @public
 */
export class MulticloudGitopsClient implements MulticloudGitopsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;
  readonly #etags = new Map<string, { etag: string; body: unknown }>();
  readonly #stream: ChangeStream;

  constructor(options: MulticloudGitopsClientOptions) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
    this.#stream = new ChangeStream(
      async ({ signal }) =>
        this.#fetchApi.fetch(await this.#url('/events'), {
          signal,
          headers: { Accept: 'text/event-stream' },
        }),
      options.changeStream,
    );
  }

  async #url(path: string, query?: Record<string, string | undefined>) {
    const base = await this.#discoveryApi.getBaseUrl('multicloud-gitops');
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== '') params.set(k, v);
    }
    const qs = params.toString();
    return `${base}/v1${path}${qs ? `?${qs}` : ''}`;
  }

  async #json<T>(url: string, init?: RequestInit): Promise<T> {
    const response = await this.#fetchApi.fetch(url, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  /**
   * GET with If-None-Match. On 304 the cached object itself is returned, so callers can
   * compare by identity and skip re-rendering an unchanged fleet.
   */
  async #revalidate<T>(url: string, options?: RequestOptions): Promise<T> {
    const cached = this.#etags.get(url);
    const response = await this.#fetchApi.fetch(url, {
      signal: options?.signal,
      headers: cached ? { 'If-None-Match': cached.etag } : undefined,
    });
    if (response.status === 304 && cached) {
      // Refresh the LRU position.
      this.#etags.delete(url);
      this.#etags.set(url, cached);
      return cached.body as T;
    }
    if (!response.ok) throw await ResponseError.fromResponse(response);
    const body = (await response.json()) as T;
    const etag = response.headers.get('ETag');
    this.#etags.delete(url);
    if (etag) {
      this.#etags.set(url, { etag, body });
      if (this.#etags.size > ETAG_CACHE_SIZE) {
        const oldest = this.#etags.keys().next().value;
        if (oldest !== undefined) this.#etags.delete(oldest);
      }
    }
    return body;
  }

  async getHubs(options?: RequestOptions): Promise<HubsResponse> {
    return this.#json(await this.#url('/hubs'), { signal: options?.signal });
  }

  async getTopology(
    request: TopologyRequest,
    options?: RequestOptions,
  ): Promise<TopologyResponse> {
    const url = await this.#url('/topology', {
      pattern: request.pattern,
      hub: request.hub,
      group: request.group,
    });
    return this.#revalidate(url, options);
  }

  async getEntityTopology(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<TopologyResponse> {
    return this.#revalidate(
      await this.#url('/entity-topology', { entityRef }),
      options,
    );
  }

  async getFleet(
    request: FleetRequest,
    options?: RequestOptions,
  ): Promise<FleetResponse> {
    const base = await this.#url('/fleet');
    const params = new URLSearchParams();
    const lists = {
      hub: request.hubs,
      group: request.groups,
      status: request.statuses,
      sync: request.syncs,
      health: request.healths,
    };
    for (const [k, values] of Object.entries(lists))
      for (const v of values ?? []) params.append(k, v);
    const single = {
      entityRef: request.entityRef,
      pattern: request.pattern,
      q: request.text?.trim(),
      sort: request.sort,
      offset: request.offset,
      limit: request.limit,
      appOffset: request.appOffset,
      appLimit: request.appLimit,
    };
    for (const [k, v] of Object.entries(single))
      if (v !== undefined && v !== '') params.set(k, String(v));
    const qs = params.toString();
    return this.#revalidate(`${base}${qs ? `?${qs}` : ''}`, options);
  }

  async getClusterDetails(
    hub: string,
    cluster: string,
    options?: RequestOptions,
  ): Promise<ClusterDetails> {
    const path = `/hubs/${encodeURIComponent(
      hub,
    )}/clusters/${encodeURIComponent(cluster)}`;
    return this.#json(await this.#url(path), { signal: options?.signal });
  }

  async #action(
    action: 'sync' | 'refresh',
    request: ApplicationActionRequest,
  ): Promise<ApplicationActionResponse> {
    const [kind, target] = request.instance
      ? ['argocd', request.instance]
      : ['clusters', request.cluster];
    if (!target)
      throw new Error(
        `To ${action} ${request.name}, name its Argo CD instance or its cluster`,
      );
    const path = [
      'hubs',
      request.hub,
      kind,
      target,
      'applications',
      request.name,
      action,
    ]
      .map((p, i) => (i % 2 === 1 ? encodeURIComponent(p) : p))
      .join('/');
    return this.#json(await this.#url(`/${path}`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: request.entityRef,
        ...(request.namespace ? { appNamespace: request.namespace } : {}),
      }),
    });
  }

  syncApplication(request: ApplicationActionRequest) {
    return this.#action('sync', request);
  }

  refreshApplication(request: ApplicationActionRequest) {
    return this.#action('refresh', request);
  }

  async getRevisionSpread(
    request: RevisionSpreadRequest,
    options?: RequestOptions,
  ): Promise<RevisionSpread> {
    const url = await this.#url('/applications/spread', {
      name: request.name,
      entityRef: request.entityRef,
      hub: request.entityRef ? undefined : request.hub,
    });
    return this.#revalidate(url, options);
  }

  async #applicationUrl(app: ApplicationRef, what: string) {
    const path = `/hubs/${encodeURIComponent(
      app.hub,
    )}/clusters/${encodeURIComponent(
      app.cluster,
    )}/applications/${encodeURIComponent(app.name)}/${what}`;
    return this.#url(
      path,
      what === 'rollback' ? undefined : { appNamespace: app.namespace },
    );
  }

  async getApplicationHistory(
    app: ApplicationRef,
    options?: RequestOptions,
  ): Promise<ApplicationHistory> {
    return this.#json(await this.#applicationUrl(app, 'history'), {
      signal: options?.signal,
    });
  }

  async getApplicationDiff(
    app: ApplicationRef,
    options?: RequestOptions,
  ): Promise<ApplicationDiff> {
    return this.#json(await this.#applicationUrl(app, 'diff'), {
      signal: options?.signal,
    });
  }

  async rollbackApplication(
    request: RollbackRequest,
  ): Promise<ApplicationActionResponse> {
    return this.#json(await this.#applicationUrl(request, 'rollback'), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        entityRef: request.entityRef,
        id: request.id,
        ...(request.namespace ? { appNamespace: request.namespace } : {}),
      }),
    });
  }

  subscribe(listener: TopologyChangeListener): () => void {
    return this.#stream.subscribe(listener);
  }
}
