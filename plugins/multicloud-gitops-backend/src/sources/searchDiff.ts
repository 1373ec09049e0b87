/*
 * Takes ACM Search pages and tells what changed since the last poll, on a worker thread.
 *
 * Why: a poll of a 40,000-application fleet is 8 pages of about 4 MB of JSON every 15 s.
 * Parsing them on the event loop, and the garbage they leave, held views for up to 190 ms
 * per poll (measured: the backend's event-loop delay while idle, 2,000 clusters x 20 apps).
 * Parsing them on a worker still cost the machine about half a second of CPU a poll, most
 * of it garbage collection, taken from the views on a small host; and the pages' bytes,
 * received on the event loop, made its heap collect (marking for 200 to 330 ms a poll, in
 * steps of up to 20 ms) because of the memory they held outside it.
 *
 * So the worker sends the page requests itself (the same request code as HttpClient), and
 * the bytes never reach the event loop. Nor does it parse what has not changed: it walks
 * each page's bytes to find the items (a scan that builds nothing), fingerprints each
 * item's bytes, and parses only the items whose bytes it did not see in the last complete
 * poll. Only those come back,
 * and at the end the keys that went away. An item that a server writes differently but
 * means the same is parsed and sent back; the store's own comparison then makes no change.
 *
 * The worker's code is the function `diffWorker` below, run as source (`eval: true`), so it
 * ships inside the plugin's one bundle: it must use nothing but Node built-ins.
 */
import { Worker } from 'node:worker_threads';
import { TlsSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import {
  decodeCa,
  requestBytes,
  UpstreamError,
  upstreamErrorOf,
} from '../http/httpClient';

/** What the worker answers for one page. */
export interface PageDiff {
  /** Items in the page, changed or not (a short page is the last one). */
  count: number;
  /** Raw items that are new or differ from the last complete poll. */
  changed: unknown[];
  /** Items without a string `name` and `cluster`: malformed, not compared. */
  unkeyed: number;
}

type Reply =
  | ({ type: 'page'; id: number } & PageDiff)
  | { type: 'commit'; id: number; removed: string[]; complete: boolean }
  /** A 200 answer that is a GraphQL error, or cannot be read. */
  | { type: 'error'; id: number; message: string }
  /** A non-2xx answer: its status and (the start of) its body. */
  | { type: 'http-error'; id: number; status: number; body: Uint8Array }
  /** No answer: unreachable, timed out, broke off. */
  | { type: 'network-error'; id: number; message: string };

/** Where the worker sends its requests, fixed for its life. */
interface WorkerSettings {
  url: string;
  headers: Record<string, string>;
  ca?: string;
  rejectUnauthorized: boolean;
}

/**
 * The worker. Keeps, from the last complete poll, each item's key (`cluster/namespace/name`,
 * as the store keys Search applications) by the fingerprint of the item's bytes.
 */
function diffWorker(send: typeof requestBytes) {
  /* eslint-disable @typescript-eslint/no-var-requires */
  const { parentPort, workerData } = require('node:worker_threads');
  const crypto = require('node:crypto');
  const os = require('node:os');
  const http = require('node:http');
  const https = require('node:https');
  /* eslint-enable @typescript-eslint/no-var-requires */
  const settings: WorkerSettings = workerData;
  const target = new URL(settings.url);
  const agent =
    target.protocol === 'https:'
      ? new https.Agent({
          keepAlive: true,
          ca: settings.ca,
          rejectUnauthorized: settings.rejectUnauthorized,
        })
      : new http.Agent({ keepAlive: true });

  // Diffing is background work: where the OS lets one thread yield (Linux: the nice value
  // is per thread), let requests on the event loop go first when the CPU is short.
  if (process.platform === 'linux') {
    try {
      os.setPriority(0, 10);
    } catch {
      // not allowed here: run at the process's priority
    }
  }

  // One call a fingerprint (Node 20.12+) costs a third of a Hash object's; 40,000 a poll.
  const fingerprint: (bytes: Buffer) => string = crypto.hash
    ? bytes => crypto.hash('sha1', bytes, 'base64')
    : bytes => crypto.createHash('sha1').update(bytes).digest('base64');

  class Unreadable extends Error {}
  const QUOTE = 0x22;
  const BACKSLASH = 0x5c;

  /** Past the white space at `i`. */
  function ws(b: Uint8Array, at: number): number {
    let i = at;
    let c = b[i];
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = b[++i];
    return i;
  }
  /** Past the string that starts at `i` (its opening quote). */
  function endOfString(b: Buffer, at: number): number {
    let i = at;
    for (;;) {
      const q = b.indexOf(QUOTE, i + 1);
      if (q < 0) throw new Unreadable('unterminated string');
      let escapes = 0;
      for (let k = q - 1; b[k] === BACKSLASH; k--) escapes++;
      if (escapes % 2 === 0) return q + 1;
      i = q;
    }
  }
  /** Past the value that starts at `i` (the value is not checked, only delimited). */
  function endOfValue(b: Buffer, i: number): number {
    const c = b[i];
    if (c === QUOTE) return endOfString(b, i);
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      for (let j = i; j < b.length; ) {
        const d = b[j];
        if (d === QUOTE) {
          j = endOfString(b, j);
          continue;
        }
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          depth--;
          if (depth === 0) return j + 1;
        }
        j++;
      }
      throw new Unreadable('unexpected end of the answer');
    }
    let j = i;
    for (let d = b[j]; j < b.length; d = b[++j]) {
      if (d === 0x2c || d === 0x7d || d === 0x5d || d <= 0x20) break;
    }
    if (j === i) throw new Unreadable(`unexpected character at ${i}`);
    return j;
  }
  /** Calls `onMember(key, valueStart)`, which returns where the value ends, for each member. */
  function eachMember(
    b: Buffer,
    at: number,
    onMember: (key: string, valueAt: number) => number,
  ): number {
    let i = at;
    if (b[i] !== 0x7b) throw new Unreadable(`expected an object at ${i}`);
    i = ws(b, i + 1);
    if (b[i] === 0x7d) return i + 1;
    for (;;) {
      if (b[i] !== QUOTE) throw new Unreadable(`expected a key at ${i}`);
      const end = endOfString(b, i);
      const raw = b.toString('utf8', i, end);
      const key = raw.includes('\\') ? JSON.parse(raw) : raw.slice(1, -1);
      i = ws(b, end);
      if (b[i] !== 0x3a) throw new Unreadable(`expected : at ${i}`);
      i = ws(b, onMember(key, ws(b, i + 1)));
      if (b[i] === 0x7d) return i + 1;
      if (b[i] !== 0x2c) throw new Unreadable(`expected , or } at ${i}`);
      i = ws(b, i + 1);
    }
  }
  /** Calls `onElement(start)`, which returns where the element ends, for each element. */
  function eachElement(
    b: Buffer,
    at: number,
    onElement: (elementAt: number, index: number) => number,
  ): number {
    let i = at;
    if (b[i] !== 0x5b) throw new Unreadable(`expected an array at ${i}`);
    i = ws(b, i + 1);
    if (b[i] === 0x5d) return i + 1;
    for (let index = 0; ; index++) {
      i = ws(b, onElement(i, index));
      if (b[i] === 0x5d) return i + 1;
      if (b[i] !== 0x2c) throw new Unreadable(`expected , or ] at ${i}`);
      i = ws(b, i + 1);
    }
  }
  /**
   * Where the items of `data.searchResult[0].items` are (start and end of each, in pairs),
   * and whether the answer has errors. Only this path is followed; other values are skipped.
   */
  function locateItems(b: Buffer): { items?: number[]; errors: boolean } {
    let items: number[] | undefined;
    let errors = false;
    const asObject = (at: number, f: (k: string, v: number) => number) =>
      b[at] === 0x7b ? eachMember(b, at, f) : endOfValue(b, at);
    const end = eachMember(b, ws(b, 0), (key, at) => {
      if (key === 'errors') {
        const after = endOfValue(b, at);
        errors = b[at] === 0x5b && b[ws(b, at + 1)] !== 0x5d;
        return after;
      }
      if (key !== 'data') return endOfValue(b, at);
      return asObject(at, (dataKey, dataAt) => {
        if (dataKey !== 'searchResult' || b[dataAt] !== 0x5b)
          return endOfValue(b, dataAt);
        return eachElement(b, dataAt, (resultAt, index) =>
          index !== 0
            ? endOfValue(b, resultAt)
            : asObject(resultAt, (resultKey, itemsAt) => {
                if (resultKey !== 'items' || b[itemsAt] !== 0x5b)
                  return endOfValue(b, itemsAt);
                const found: number[] = [];
                const after = eachElement(b, itemsAt, itemAt => {
                  const itemEnd = endOfValue(b, itemAt);
                  found.push(itemAt, itemEnd);
                  return itemEnd;
                });
                items = found;
                return after;
              }),
        );
      });
    });
    if (ws(b, end) !== b.length) throw new Unreadable('text after the answer');
    return { items, errors };
  }

  let last = new Map<string, string>();
  let next = new Map<string, string>();
  let nextKeys = new Set<string>();
  const reset = () => {
    next = new Map();
    nextKeys = new Set();
  };

  async function fetchPage(msg: any) {
    let answer: { status: number; bytes: Buffer };
    try {
      answer = await send({ http, https }, target, agent, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...settings.headers,
        },
        body: Buffer.from(msg.body),
        timeoutMs: msg.timeoutMs,
      });
    } catch (e: any) {
      parentPort.postMessage({
        type: 'network-error',
        id: msg.id,
        message: String(e?.message ?? e),
      });
      return;
    }
    if (answer.status < 200 || answer.status >= 300) {
      parentPort.postMessage({
        type: 'http-error',
        id: msg.id,
        status: answer.status,
        body: answer.bytes.subarray(0, 65536),
      });
      return;
    }
    readPage(msg.id, answer.bytes);
  }

  function readPage(id: number, b: Buffer) {
    const { items, errors } = locateItems(b);
    if (errors) {
      const answer = JSON.parse(b.toString('utf8'));
      const text = String(answer?.errors?.[0]?.message ?? 'GraphQL error');
      parentPort.postMessage({
        type: 'error',
        id,
        message: `ACM Search answered an error: ${text.slice(0, 200)}`,
      });
      return;
    }
    if (!items) {
      parentPort.postMessage({
        type: 'error',
        id,
        message: 'ACM Search answered without data.searchResult[0].items',
      });
      return;
    }
    const changed: unknown[] = [];
    let unkeyed = 0;
    for (let i = 0; i < items.length; i += 2) {
      const bytes = b.subarray(items[i], items[i + 1]);
      const print = fingerprint(bytes);
      const seen = last.get(print);
      if (seen !== undefined && !nextKeys.has(seen)) {
        next.set(print, seen);
        nextKeys.add(seen);
        continue;
      }
      const item = JSON.parse(bytes.toString('utf8'));
      if (
        !item ||
        typeof item !== 'object' ||
        typeof item.name !== 'string' ||
        typeof item.cluster !== 'string' ||
        !item.name ||
        !item.cluster
      ) {
        // Never remembered: malformed items come back every poll, to be counted.
        unkeyed++;
        changed.push(item);
        continue;
      }
      const ns = typeof item.namespace === 'string' ? item.namespace : '';
      const key = `${item.cluster}/${ns}/${item.name}`;
      changed.push(item);
      next.set(print, key);
      nextKeys.add(key);
    }
    parentPort.postMessage({
      type: 'page',
      id,
      count: items.length / 2,
      changed,
      unkeyed,
    });
  }

  parentPort.on('message', async (msg: any) => {
    try {
      if (msg.type === 'begin') {
        reset();
      } else if (msg.type === 'page') {
        await fetchPage(msg);
      } else if (msg.type === 'commit') {
        const removed: string[] = [];
        for (const key of new Set(last.values()))
          if (!nextKeys.has(key)) removed.push(key);
        // Nothing to compare with (a new worker): every item came back as changed.
        const complete = last.size === 0;
        last = next;
        reset();
        parentPort.postMessage({
          type: 'commit',
          id: msg.id,
          removed,
          complete,
        });
      } else if (msg.type === 'abort') {
        reset();
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
    const worker = new Worker(
      `(${diffWorker.toString()})(${requestBytes.toString()})`,
      { eval: true, workerData: this.#settings },
    );
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

  #ask(message: Record<string, unknown>) {
    const id = ++this.#seq;
    const worker = this.#ensure();
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ ...message, id });
    });
  }

  /** Starts a poll: pages until commit() or abort() belong to it. */
  begin() {
    this.#ensure().postMessage({ type: 'begin' });
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
    this.#worker?.postMessage({ type: 'abort' });
  }

  async close() {
    const worker = this.#worker;
    this.#worker = undefined;
    if (worker) await worker.terminate();
  }
}
