/*
 * Parses ACM Search pages and tells what changed since the last poll, on a worker thread.
 *
 * Why: a poll of a 40,000-application fleet is 8 pages of about 5 MB of JSON every 15 s.
 * Parsing them on the event loop, and the garbage they leave, held views for up to 190 ms
 * per poll (measured: the backend's event-loop delay while idle, 2,000 clusters x 20 apps).
 * Here the worker parses each page and fingerprints every item; only the items that are new
 * or differ from the last complete poll come back, and at the end the keys that went away.
 * An unchanged poll costs the event loop the page bytes and nothing else.
 *
 * The worker's code is the function `diffWorker` below, run as source (`eval: true`), so it
 * ships inside the plugin's one bundle: it must use nothing but Node built-ins.
 */
import { Worker } from 'node:worker_threads';

/** What the worker answers for one page. */
export interface PageDiff {
  /** Items in the page, changed or not (a short page is the last one). */
  count: number;
  /** Raw items that are new or differ from the last complete poll. */
  changed: unknown[];
  /** Items without a string `name` and `cluster`: malformed, not compared. */
  unkeyed: number;
}

/** A GraphQL error in a 200 answer, or an answer without `data.searchResult[0].items`. */
export class SearchAnswerError extends Error {}

type Reply =
  | ({ type: 'page'; id: number } & PageDiff)
  | { type: 'commit'; id: number; removed: string[]; complete: boolean }
  | { type: 'error'; id: number; message: string };

/**
 * The worker. Keeps, per item key (`cluster/namespace/name`, as the store keys Search
 * applications), a fingerprint of the item from the last complete poll.
 */
function diffWorker() {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { parentPort } = require('node:worker_threads');
  const { createHash } = require('node:crypto');
  /* eslint-enable @typescript-eslint/no-var-requires */
  let last = new Map<string, string>();
  let next = new Map<string, string>();
  parentPort.on('message', (msg: any) => {
    try {
      if (msg.type === 'begin') {
        next = new Map();
      } else if (msg.type === 'page') {
        const answer = JSON.parse(Buffer.from(msg.body).toString('utf8'));
        if (answer?.errors?.length) {
          const text = String(answer.errors[0]?.message ?? 'GraphQL error');
          parentPort.postMessage({
            type: 'error',
            id: msg.id,
            message: `ACM Search answered an error: ${text.slice(0, 200)}`,
          });
          return;
        }
        const items = answer?.data?.searchResult?.[0]?.items;
        if (!Array.isArray(items)) {
          parentPort.postMessage({
            type: 'error',
            id: msg.id,
            message: 'ACM Search answered without data.searchResult[0].items',
          });
          return;
        }
        const changed: unknown[] = [];
        let unkeyed = 0;
        for (const item of items) {
          if (
            !item ||
            typeof item !== 'object' ||
            typeof item.name !== 'string' ||
            typeof item.cluster !== 'string' ||
            !item.name ||
            !item.cluster
          ) {
            unkeyed++;
            changed.push(item);
            continue;
          }
          const ns = typeof item.namespace === 'string' ? item.namespace : '';
          const key = `${item.cluster}/${ns}/${item.name}`;
          const print = createHash('sha1')
            .update(JSON.stringify(item))
            .digest('base64');
          if (last.get(key) !== print || next.has(key)) changed.push(item);
          next.set(key, print);
        }
        parentPort.postMessage({
          type: 'page',
          id: msg.id,
          count: items.length,
          changed,
          unkeyed,
        });
      } else if (msg.type === 'commit') {
        const removed: string[] = [];
        for (const key of last.keys()) if (!next.has(key)) removed.push(key);
        // Nothing to compare with (a new worker): every item came back as changed.
        const complete = last.size === 0;
        last = next;
        next = new Map();
        parentPort.postMessage({
          type: 'commit',
          id: msg.id,
          removed,
          complete,
        });
      } else if (msg.type === 'abort') {
        next = new Map();
      }
    } catch (e: any) {
      parentPort.postMessage({
        type: 'error',
        id: msg.id,
        message: `ACM Search answer could not be read: ${String(
          e?.message ?? e,
        ).slice(0, 200)}`,
      });
    }
  });
}

/** The main-thread side: one worker per Search source, started on first use. */
export class SearchDiff {
  #worker?: Worker;
  #seq = 0;
  readonly #pending = new Map<
    number,
    { resolve: (r: Reply) => void; reject: (e: Error) => void }
  >();

  #ensure(): Worker {
    if (this.#worker) return this.#worker;
    const worker = new Worker(`(${diffWorker.toString()})()`, { eval: true });
    worker.unref();
    worker.on('message', (reply: Reply) => {
      const waiting = this.#pending.get(reply.id);
      if (!waiting) return;
      this.#pending.delete(reply.id);
      if (reply.type === 'error')
        waiting.reject(new SearchAnswerError(reply.message));
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

  #ask(message: Record<string, unknown>, transfer?: ArrayBuffer[]) {
    const id = ++this.#seq;
    const worker = this.#ensure();
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id }, transfer);
    });
  }

  /** Starts a poll: pages until commit() or abort() belong to it. */
  begin() {
    this.#ensure().postMessage({ type: 'begin' });
  }

  /** Hands a page's bytes to the worker (moved, not copied) and waits for its diff. */
  async page(bytes: Buffer): Promise<PageDiff> {
    // A page has its own memory (Buffer.concat of a large answer): move it. A small Buffer
    // may sit in a shared pool: move a copy of exactly its bytes.
    const body =
      bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
        ? (bytes.buffer as ArrayBuffer)
        : new Uint8Array(bytes).buffer;
    const reply = await this.#ask({ type: 'page', body }, [body]);
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
    this.#worker?.postMessage({ type: 'abort' });
  }

  async close() {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
