/*
 * Reads one Argo CD instance: a session token obtained once and reused (renewed on 401,
 * never per request), a list with a `fields` projection so 40,000 apps are not shipped with
 * their whole status, then the application stream for changes. A dropped stream relists
 * and resubscribes with backoff. Also carries the instance's sync and refresh calls.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { ArgoInstanceSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { backoffMs, HttpClient, UpstreamError } from '../http/httpClient';
import { HubStore } from '../store/HubStore';
import { intern } from '../store/intern';
import { MAX_ANSWER_BYTES } from './limits';
import {
  ApplicationRecord,
  MalformedObjectError,
  toArgoApplication,
} from '../store/records';

/** An application's key in its instance's table; shared, as every instance repeats them. */
const appKey = (r: ApplicationRecord) => intern(`${r.namespace}/${r.name}`);

/** Fields every Argo CD from 2.14 on can project (forwarder_overwrite.go allow-list). */
const LIST_FIELDS = [
  'metadata.resourceVersion',
  'items.metadata.name',
  'items.metadata.namespace',
  'items.metadata.labels',
  'items.spec',
  'items.status.sync.status',
  // The deployed revision: without it a listed app and a streamed one would differ, and
  // the view would show no revision until the app's first event.
  'items.status.sync.revision',
  'items.status.sync.revisions',
  'items.status.health',
  'items.status.operationState.phase',
].join(',');

export class ArgoSource {
  readonly settings: ArgoInstanceSettings;
  readonly sourceName: string;
  readonly #store: HubStore;
  readonly #client: HttpClient;
  readonly #logger: LoggerService;
  readonly #credentialKey: string;
  readonly #maxAnswerBytes: number;
  #token?: string;
  #login?: Promise<string>;
  #abort = new AbortController();
  #stopped = false;
  #attempt = 0;
  #timer?: NodeJS.Timeout;

  constructor(opts: {
    store: HubStore;
    settings: ArgoInstanceSettings;
    logger: LoggerService;
    credentialKey: string;
    /** Answers longer than this are refused (default MAX_ANSWER_BYTES). */
    maxAnswerBytes?: number;
  }) {
    this.settings = opts.settings;
    this.#store = opts.store;
    this.#logger = opts.logger;
    this.#credentialKey = opts.credentialKey;
    this.#maxAnswerBytes = opts.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.#client = new HttpClient(opts.settings.url, opts.settings, 4);
    this.sourceName = `argocd/${opts.settings.name}`;
    this.#store.registerSource(this.sourceName, 'argocd');
    this.#token = opts.settings.token;
  }

  /** Cluster whose Argo CD this is; '' stands for the hub cluster, resolved at view time. */
  get hostCluster(): string {
    return this.settings.clusters?.[0] ?? '';
  }

  async #sessionToken(): Promise<string> {
    if (this.#token) return this.#token;
    if (!this.settings.username || !this.settings.password) {
      throw new UpstreamError(
        'no token and no username/password configured',
        401,
      );
    }
    // One login at a time, shared by every caller that needs it.
    this.#login ??= this.#client
      .json<{ token: string }>('api/v1/session', {
        method: 'POST',
        maxBytes: this.#maxAnswerBytes,
        body: {
          username: this.settings.username,
          password: this.settings.password,
        },
      })
      .then(r => {
        if (!r?.token)
          throw new UpstreamError('session answer without a token');
        this.#token = r.token;
        return r.token;
      })
      .finally(() => {
        this.#login = undefined;
      });
    return this.#login;
  }

  /** Calls the API with the session token, logging in again once if it expired. */
  async call<T>(
    path: string,
    options: { method?: string; body?: unknown } = {},
  ): Promise<T> {
    const send = async () =>
      this.#client.json<T>(path, {
        ...options,
        maxBytes: this.#maxAnswerBytes,
        headers: { authorization: `Bearer ${await this.#sessionToken()}` },
      });
    try {
      return await send();
    } catch (e) {
      if (
        e instanceof UpstreamError &&
        e.status === 401 &&
        this.settings.username
      ) {
        this.#token = undefined;
        return send();
      }
      throw e;
    }
  }

  start() {
    this.#run();
  }

  #record(obj: unknown): ApplicationRecord {
    return toArgoApplication(obj, this.hostCluster, this.settings.name);
  }

  async #list(): Promise<string | undefined> {
    const res = await this.call<any>(
      `api/v1/applications?fields=${encodeURIComponent(LIST_FIELDS)}`,
    );
    const items: unknown[] = res?.items ?? []; // a projected list may say items: null
    const apps = new Map<string, ApplicationRecord>();
    let skipped = 0;
    for (const item of items) {
      try {
        const r = this.#record(item);
        apps.set(appKey(r), r);
      } catch (e) {
        if (!(e instanceof MalformedObjectError)) throw e;
        skipped++;
      }
    }
    this.#store.replaceArgoApps(this.settings.name, apps);
    this.#store.setSource(
      this.sourceName,
      'ok',
      skipped ? `${skipped} malformed application(s) skipped` : undefined,
      { skipped },
    );
    return res?.metadata?.resourceVersion;
  }

  async #run() {
    while (!this.#stopped) {
      try {
        const rv = await this.#list();
        this.#attempt = 0;
        const token = await this.#sessionToken();
        const q = rv ? `?resourceVersion=${encodeURIComponent(rv)}` : '';
        await this.#client.stream(
          `api/v1/stream/applications${q}`,
          { authorization: `Bearer ${token}` },
          data => this.#onEvent(data),
          this.#abort.signal,
          this.#maxAnswerBytes,
        );
        // The server closed the stream: relist and resubscribe after a short pause.
        await this.#sleep(1000);
      } catch (e) {
        if (this.#stopped) return;
        if (e instanceof UpstreamError && e.status === 401)
          this.#token = this.settings.token ? this.#token : undefined;
        const message = this.#describe(e);
        if (this.#store.source(this.sourceName)?.message !== message)
          this.#logger.warn(message);
        this.#store.setSource(this.sourceName, 'error', message);
        await this.#sleep(backoffMs(this.#attempt++, 30000));
      }
    }
  }

  #onEvent(data: string) {
    let event: any;
    try {
      event = JSON.parse(data);
    } catch {
      return;
    }
    const type = event?.result?.type;
    const app = event?.result?.application;
    if (!type || !app) return;
    try {
      const r = this.#record(app);
      const id = appKey(r);
      // Argo CD sends an event on every reconcile; most change nothing we keep, and the
      // store makes no new version for those.
      if (type === 'DELETED') this.#store.removeArgoApp(this.settings.name, id);
      else this.#store.upsertArgoApp(this.settings.name, id, r);
    } catch (e) {
      if (!(e instanceof MalformedObjectError)) throw e;
      this.#logger.warn(
        `Skipped a malformed application event from Argo CD ${this.settings.name}: ${e.message}`,
      );
    }
  }

  #describe(e: unknown): string {
    const err = e as UpstreamError;
    if (err.status === 401) {
      return `Argo CD ${this.settings.name} at ${
        this.settings.url
      } rejected the ${this.#credentialKey} (401): renew it`;
    }
    if (err.status === 403) {
      return `Argo CD ${this.settings.name}: the account of ${
        this.#credentialKey
      } may not list applications (403): grant it applications, get in the RBAC policy`;
    }
    return `Argo CD ${this.settings.name}: ${err.message}`;
  }

  #sleep(ms: number) {
    return new Promise<void>(resolve => {
      this.#timer = setTimeout(resolve, ms);
      this.#timer.unref?.();
    });
  }

  /** Starts a sync; Argo CD answers 400 when an operation is already running. */
  async sync(name: string, appNamespace?: string): Promise<ApplicationRecord> {
    const body: Record<string, unknown> = { prune: false, dryRun: false };
    if (appNamespace) body.appNamespace = appNamespace;
    const app = await this.call<unknown>(
      `api/v1/applications/${encodeURIComponent(name)}/sync`,
      { method: 'POST', body },
    );
    return this.#record(app);
  }

  async refresh(
    name: string,
    appNamespace?: string,
  ): Promise<ApplicationRecord> {
    const ns = appNamespace
      ? `&appNamespace=${encodeURIComponent(appNamespace)}`
      : '';
    const app = await this.call<unknown>(
      `api/v1/applications/${encodeURIComponent(name)}?refresh=normal${ns}`,
    );
    return this.#record(app);
  }

  async stop() {
    this.#stopped = true;
    this.#abort.abort();
    clearTimeout(this.#timer);
    this.#client.close();
  }
}
