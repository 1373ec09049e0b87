/*
 * Takes ACM Search pages and tells what changed since the last poll, on a worker thread.
 *
 * Why a thread: a large fleet's poll is tens of megabytes of JSON. Parsed on the event loop,
 * the pages and the garbage they leave would hold every view waiting on it; even received
 * there, their bytes make its heap collect. So the thread sends the page requests itself
 * and hands back only the items that changed (searchDiffWorker.ts says how it finds them).
 */
import { Worker } from 'node:worker_threads';
import { TlsSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { decodeCa, UpstreamError, upstreamErrorOf } from '../http/httpClient';
import {
  PageDiff,
  Reply,
  Request,
  SEARCH_DIFF_WORKER,
  WorkerSettings,
} from './searchDiffWorker';

export type { PageDiff } from './searchDiffWorker';

/**
 * The worker's module: the file beside this one with the same ending, `.ts` when run from
 * source (tests, `backstage-cli package start`) and `.cjs.js` in the built package, whose
 * build writes one file per module. From source the thread needs the TypeScript transform
 * the Backstage CLI runs this process with; it is loaded there unless already present.
 */
function workerModule(): { file: string; transform?: string } {
  const file = __filename.replace(
    /searchDiff(\.[^/\\]+)$/,
    'searchDiffWorker$1',
  );
  if (file === __filename)
    throw new Error(`Search worker module not found beside ${__filename}`);
  return file.endsWith('.ts')
    ? {
        file,
        transform: require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      }
    : { file };
}

/** Runs on the new thread: loads the worker module, which starts serving by itself. */
const BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
if (workerData.transform && !require.extensions['.ts']) require(workerData.transform);
require(workerData.file);
`;

/**
 * The main-thread side: one worker per Search source, started on first use. The worker
 * sends the page requests with the source's URL, headers and TLS settings.
 */
export class SearchDiff {
  readonly #settings: WorkerSettings;
  readonly #target: URL;
  #worker?: Worker;
  #seq = 0;
  readonly #pending = new Map<
    number,
    { resolve: (r: Reply) => void; reject: (e: Error) => void }
  >();

  constructor(opts: {
    url: string;
    /** Sent with every page request (the token): kept in memory, never logged. */
    headers: Record<string, string>;
    tls: TlsSettings;
  }) {
    this.#target = new URL(opts.url);
    this.#settings = {
      url: opts.url,
      headers: opts.headers,
      ca: decodeCa(opts.tls.caData),
      rejectUnauthorized: !opts.tls.skipTLSVerify,
    };
  }

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(BOOTSTRAP, {
      eval: true,
      workerData: {
        ...workerModule(),
        role: SEARCH_DIFF_WORKER,
        settings: this.#settings,
      },
    });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (reply.type === 'error')
        waiting.reject(new UpstreamError(reply.message, 200));
      else if (reply.type === 'http-error')
        waiting.reject(
          upstreamErrorOf(this.#target, reply.status, Buffer.from(reply.body)),
        );
      else if (reply.type === 'network-error')
        waiting.reject(new UpstreamError(reply.message));
      else waiting.resolve(reply);
    });
    const fail = (e: Error) => {
      // A worker that died forgets the last poll: the next one compares everything again.
      if (this.#worker === worker) this.#worker = undefined;
      for (const w of this.#pending.values())
        w.reject(new Error(`Search worker stopped: ${e.message}`));
      this.#pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', code => fail(new Error(`exit code ${code}`)));
    this.#worker = worker;
    return worker;
  }

  #ask(
    message:
      | { type: 'page'; body: string; timeoutMs: number }
      | { type: 'commit' },
  ) {
    const id = ++this.#seq;
    const worker = this.#ensure();
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: Request = { ...message, id };
      worker.postMessage(request);
    });
  }

  #post(message: Request) {
    this.#ensure().postMessage(message);
  }

  /** Starts a poll: pages until commit() or abort() belong to it. */
  begin() {
    this.#post({ type: 'begin' });
  }

  /**
   * Has the worker POST `body` (a GraphQL request) and diff the answer. Rejects with an
   * UpstreamError when no 2xx answer came, or (status 200) when it cannot be used.
   */
  async page(body: string, timeoutMs = 30000): Promise<PageDiff> {
    const reply = await this.#ask({ type: 'page', body, timeoutMs });
    if (reply.type !== 'page')
      throw new Error('unexpected Search worker reply');
    return reply;
  }

  /**
   * Ends the poll: it becomes the one the next is compared with. Resolves with the keys
   * gone, and `complete` when the worker had no poll to compare with, so that every item
   * came back as changed (whatever else the store holds went away).
   */
  async commit(): Promise<{ removed: string[]; complete: boolean }> {
    const reply = await this.#ask({ type: 'commit' });
    if (reply.type !== 'commit')
      throw new Error('unexpected Search worker reply');
    return { removed: reply.removed, complete: reply.complete };
  }

  /** Drops a poll that failed part way: the next is compared with the last complete one. */
  abort() {
    if (this.#worker) this.#post({ type: 'abort' });
  }

  async close() {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
