/*
 * Takes ACM Search pages and tells what changed since the last poll, on a worker thread.
 *
 * Why a thread: a large fleet's poll is tens of megabytes of JSON. Parsed on the event loop,
 * the pages and the garbage they leave would hold every view waiting on it; even received
 * there, their bytes make its heap collect. So the thread sends the page requests itself
 * and hands back only the items that changed (searchDiffWorker.ts says how it finds them).
 *
 * One thread serves every hub's Search source in the process, each over a channel of its
 * own: a thread is a JavaScript heap of its own, with its own fixed cost and its own room to
 * grow, and one per hub would multiply both by the number of hubs for no gain (the work is
 * a background task that waits on the network most of the time).
 */
import { MessageChannel, MessagePort, Worker } from 'node:worker_threads';
import { TlsSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { decodeCa, UpstreamError, upstreamErrorOf } from '../http/httpClient';
import {
  Connect,
  PageDiff,
  Reply,
  Request,
  SEARCH_DIFF_WORKER,
  WorkerSettings,
} from './searchDiffWorker';
import { MAX_ANSWER_BYTES } from './limits';

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
 * The young generation of the thread's heap, in MB. Each page's garbage is short-lived and
 * a page at a time is little, so a small one is enough; V8's default (tens of MB) would
 * stay committed for the thread's life.
 */
const YOUNG_GENERATION_MB = 8;

/** The thread every SearchDiff of the process shares, and who uses it. */
interface SharedWorker {
  worker: Worker;
  /** Each user's reaction to the thread's end. */
  users: Map<SearchDiff, (e: Error) => void>;
}
let shared: SharedWorker | undefined;

function startSharedWorker(): SharedWorker {
  const worker = new Worker(BOOTSTRAP, {
    eval: true,
    workerData: { ...workerModule(), role: SEARCH_DIFF_WORKER },
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  worker.unref();
  const started: SharedWorker = { worker, users: new Map() };
  const fail = (e: Error) => {
    if (shared === started) shared = undefined;
    for (const onEnd of [...started.users.values()]) onEnd(e);
    started.users.clear();
  };
  worker.on('error', fail);
  worker.on('exit', code => fail(new Error(`exit code ${code}`)));
  return started;
}

/**
 * The main-thread side of one Search source: a channel to the shared thread, opened on
 * first use. The thread sends the page requests with the source's URL, headers and TLS
 * settings, and keeps the source's last poll until the channel closes.
 */
export class SearchDiff {
  readonly #settings: WorkerSettings;
  readonly #target: URL;
  #port?: MessagePort;
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
    /** Answers longer than this are refused (default MAX_ANSWER_BYTES). */
    maxAnswerBytes?: number;
  }) {
    this.#target = new URL(opts.url);
    this.#settings = {
      url: opts.url,
      headers: opts.headers,
      ca: decodeCa(opts.tls.caData),
      rejectUnauthorized: !opts.tls.skipTLSVerify,
      maxAnswerBytes: opts.maxAnswerBytes ?? MAX_ANSWER_BYTES,
    };
  }

  #ensure(): MessagePort {
    if (this.#port) return this.#port;
    shared ??= startSharedWorker();
    const { port1: port, port2: theirs } = new MessageChannel();
    const connect: Connect = {
      type: 'connect',
      port: theirs,
      settings: this.#settings,
    };
    shared.worker.postMessage(connect, [theirs]);
    port.on('message', (reply: Reply) => {
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
    port.unref();
    shared.users.set(this, e => {
      // A thread that died forgets the last poll: the next one compares everything again.
      if (this.#port === port) this.#port = undefined;
      port.close();
      for (const w of this.#pending.values())
        w.reject(new Error(`Search worker stopped: ${e.message}`));
      this.#pending.clear();
    });
    this.#port = port;
    return port;
  }

  #ask(
    message:
      | { type: 'page'; body: string; timeoutMs: number }
      | { type: 'commit' },
  ) {
    const id = ++this.#seq;
    const port = this.#ensure();
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const request: Request = { ...message, id };
      port.postMessage(request);
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
    if (this.#port) this.#post({ type: 'abort' });
  }

  /**
   * Closes the channel: the thread forgets this source's last poll, and ends when no source
   * uses it any more. A later call opens a new channel, which compares with nothing.
   */
  async close() {
    const port = this.#port;
    this.#port = undefined;
    if (!port) return;
    port.close();
    for (const w of this.#pending.values())
      w.reject(new Error('Search worker channel closed'));
    this.#pending.clear();
    const current = shared;
    if (!current) return;
    current.users.delete(this);
    if (current.users.size === 0) {
      shared = undefined;
      await current.worker.terminate();
    }
  }
}
