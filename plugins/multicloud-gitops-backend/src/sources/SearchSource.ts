/*
 * Polls ACM Search v2 for the Argo CD Applications of every managed cluster. Search is the
 * only place that knows the apps of spokes whose own Argo CD we are not configured to read;
 * it reports sync and health but no revision (see upstream-apis.md §C).
 *
 * Pages with limit+offset where the Search API supports it, and falls back to one
 * unlimited query on older ACM that rejects `offset`.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { SearchSettings } from '@internal/plugin-multicloud-gitops-node';
import { backoffMs, HttpClient, UpstreamError } from '../http/httpClient';
import { HubStore, SearchPoll } from '../store/HubStore';
import { MalformedObjectError, toSearchApplication } from '../store/records';

const QUERY = `query searchResult($input: [SearchInput]) {
  searchResult: search(input: $input) {
    items
  }
}`;
/**
 * Items a page. Every page makes ACM Search filter and sort the whole set on the hub (limit +
 * offset), so fewer pages are kinder to it; a page's JSON is parsed in one go, so smaller
 * pages hold our event loop less. 5,000 keeps that hold near 40 ms (bench/search-poll.bench.js).
 */
const PAGE = 5000;
/** Items turned into records and compared between two turns of the event loop. */
const SLICE = 1000;
const yieldToEventLoop = () => new Promise(resolve => setImmediate(resolve));

export class SearchSource {
  readonly #store: HubStore;
  readonly #settings: SearchSettings;
  readonly #client: HttpClient;
  readonly #logger: LoggerService;
  readonly #credential: string;
  #timer?: NodeJS.Timeout;
  #stopped = false;
  #attempt = 0;
  #offsetSupported = true;

  constructor(opts: {
    store: HubStore;
    settings: SearchSettings;
    logger: LoggerService;
    credential: string;
  }) {
    this.#store = opts.store;
    this.#settings = opts.settings;
    this.#logger = opts.logger;
    this.#credential = opts.credential;
    this.#client = new HttpClient(opts.settings.url, opts.settings, 2);
    this.#store.registerSource('search', 'search');
  }

  start() {
    this.#schedule(0);
  }

  #schedule(ms: number) {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => this.#poll(), ms);
    this.#timer.unref?.();
  }

  async #query(offset: number | undefined): Promise<unknown[]> {
    const input: Record<string, unknown> = {
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'apigroup', values: ['argoproj.io'] },
      ],
      limit: offset === undefined ? -1 : PAGE,
    };
    if (offset !== undefined) {
      input.offset = offset;
      input.orderBy = 'name asc';
    }
    const res = await this.#client.json<any>('', {
      method: 'POST',
      headers: { authorization: `Bearer ${this.#settings.token}` },
      body: {
        operationName: 'searchResult',
        variables: { input: [input] },
        query: QUERY,
      },
      timeoutMs: 30000,
    });
    if (res?.errors?.length) {
      const msg = String(res.errors[0]?.message ?? 'GraphQL error');
      throw new UpstreamError(
        `ACM Search answered an error: ${msg.slice(0, 200)}`,
        200,
        res,
      );
    }
    const items = res?.data?.searchResult?.[0]?.items;
    if (!Array.isArray(items))
      throw new UpstreamError(
        'ACM Search answered without data.searchResult[0].items',
      );
    return items;
  }

  /**
   * Reads every Application, page by page, turning each page into records and comparing
   * them with the store's as it arrives: a large fleet's raw items (tens of MB) never all
   * live at once, and no step holds the event loop for the whole fleet.
   */
  async #readAll(poll: SearchPoll): Promise<{ skipped: number }> {
    let skipped = 0;
    const take = async (items: unknown[]) => {
      for (let i = 0; i < items.length; i++) {
        // Views are served between slices of a page, not after the whole page.
        if (i > 0 && i % SLICE === 0) await yieldToEventLoop();
        try {
          poll.add(toSearchApplication(items[i]));
        } catch (e) {
          if (!(e instanceof MalformedObjectError)) throw e;
          skipped++;
        }
      }
      return items.length;
    };
    if (!this.#offsetSupported) {
      await take(await this.#query(undefined));
      return { skipped };
    }
    for (let offset = 0; ; offset += PAGE) {
      let count: number;
      try {
        count = await take(await this.#query(offset));
      } catch (e) {
        if (
          offset === 0 &&
          e instanceof UpstreamError &&
          /offset|orderBy|Unknown argument|unknown field/i.test(e.message)
        ) {
          this.#offsetSupported = false;
          await take(await this.#query(undefined));
          return { skipped };
        }
        throw e;
      }
      if (count < PAGE) return { skipped };
    }
  }

  async #poll() {
    try {
      const poll = this.#store.searchPoll();
      const { skipped } = await this.#readAll(poll);
      if (skipped)
        this.#logger.warn(
          `Skipped ${skipped} malformed ACM Search item(s) from hub ${
            this.#store.hub
          }`,
        );
      // Search returns the whole set each time; only a real difference is a change.
      if (poll.commit()) this.#store.changed();
      this.#attempt = 0;
      this.#store.setSource(
        'search',
        'ok',
        skipped ? `${skipped} malformed item(s) skipped` : undefined,
        { skipped },
      );
      this.#schedule(this.#settings.pollIntervalMs);
    } catch (e) {
      const message = this.#describe(e);
      if (this.#store.source('search')?.message !== message)
        this.#logger.warn(message);
      // Views keep the last applications read, and say since when Search is failing.
      this.#store.setSource('search', 'error', message);
      this.#schedule(
        Math.min(
          backoffMs(this.#attempt++, 60000),
          this.#settings.pollIntervalMs * 4,
        ),
      );
    }
  }

  #describe(e: unknown): string {
    if (e instanceof UpstreamError && (e.status === 401 || e.status === 403)) {
      return `ACM Search at ${this.#settings.url} rejected the ${
        this.#credential
      } (${e.status}): renew it or grant it access to Search`;
    }
    return `ACM Search: ${(e as Error).message}`;
  }

  async stop() {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#client.close();
  }
}
