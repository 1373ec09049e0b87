/*
 * Polls ACM Search v2 for the Argo CD Applications of every managed cluster. Search is the
 * only place that knows the apps of spokes whose own Argo CD we are not configured to read;
 * it reports sync and health but no revision (see upstream-apis.md §C).
 *
 * Pages with limit+offset where the Search API supports it, and falls back to one
 * unlimited query on older ACM that rejects `offset`.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { SearchSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { backoffMs, UpstreamError } from '../http/httpClient';
import { HubStore } from '../store/HubStore';
import {
  ApplicationRecord,
  MalformedObjectError,
  toSearchApplication,
} from '../store/records';
import { PageDiff, SearchDiff } from './searchDiff';

const QUERY = `query searchResult($input: [SearchInput]) {
  searchResult: search(input: $input) {
    items
  }
}`;
/**
 * Items a page. Every page makes ACM Search filter and sort the whole set on the hub (limit +
 * offset), so fewer pages are kinder to it; pages are fetched and diffed on a worker
 * thread (searchDiff.ts), so their size does not hold our event loop.
 */
const PAGE = 5000;
/** Changed items turned into records between two turns of the event loop. */
const SLICE = 1000;
const yieldToEventLoop = () => new Promise(resolve => setImmediate(resolve));

export class SearchSource {
  readonly #store: HubStore;
  readonly #settings: SearchSettings;
  readonly #diff: SearchDiff;
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
    /** Answers longer than this are refused (default MAX_ANSWER_BYTES). */
    maxAnswerBytes?: number;
  }) {
    this.#store = opts.store;
    this.#settings = opts.settings;
    this.#logger = opts.logger;
    this.#credential = opts.credential;
    this.#diff = new SearchDiff({
      url: opts.settings.url,
      headers: { authorization: `Bearer ${opts.settings.token}` },
      tls: opts.settings,
      maxAnswerBytes: opts.maxAnswerBytes,
    });
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

  /** One page (or, without offset, everything), diffed against the last poll off-thread. */
  async #query(offset: number | undefined): Promise<PageDiff> {
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
    const body = JSON.stringify({
      operationName: 'searchResult',
      variables: { input: [input] },
      query: QUERY,
    });
    return this.#diff.page(body, 30000);
  }

  /**
   * Reads every Application, page by page. The worker parses each page and hands back only
   * the items that differ from the last complete poll; those become records here, a slice
   * at a time. After the first poll a large fleet's raw items no longer reach the event
   * loop, and an unchanged poll costs it next to nothing: the worker even receives the bytes.
   */
  async #readAll(): Promise<{
    upserts: ApplicationRecord[];
    removedKeys: string[];
    complete: boolean;
    skipped: number;
  }> {
    const upserts: ApplicationRecord[] = [];
    let skipped = 0;
    const take = async (page: PageDiff) => {
      for (let i = 0; i < page.changed.length; i++) {
        if (i > 0 && i % SLICE === 0) await yieldToEventLoop();
        try {
          upserts.push(toSearchApplication(page.changed[i]));
        } catch (e) {
          if (!(e instanceof MalformedObjectError)) throw e;
          skipped++;
        }
      }
      return page.count;
    };
    this.#diff.begin();
    try {
      if (!this.#offsetSupported) {
        await take(await this.#query(undefined));
      } else {
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
              break;
            }
            throw e;
          }
          if (count < PAGE) break;
        }
      }
      const { removed, complete } = await this.#diff.commit();
      return { upserts, removedKeys: removed, complete, skipped };
    } catch (e) {
      this.#diff.abort();
      throw e;
    }
  }

  async #poll() {
    try {
      const { skipped, ...changes } = await this.#readAll();
      if (skipped)
        this.#logger.warn(
          `Skipped ${skipped} malformed ACM Search item(s) from hub ${
            this.#store.hub
          }`,
        );
      // Search returns the whole set each time; only a real difference is a change.
      this.#store.applySearchPoll(changes);
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
      // Backs off from a struggling Search, but never past the poll interval: a healed
      // Search is read again within one interval, as promptly as a healthy one.
      this.#schedule(
        Math.min(
          backoffMs(this.#attempt++, 60000),
          this.#settings.pollIntervalMs,
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
    await this.#diff.close();
  }
}
