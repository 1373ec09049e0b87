/*
 * The code of the ACM Search worker thread that `SearchDiff` (searchDiff.ts) starts.
 *
 * The thread sends the page requests itself, so the pages' bytes never reach the event
 * loop, and it parses only what changed: it walks each page's bytes to find the items (a
 * scan that builds nothing), fingerprints each item's bytes, and parses only the items
 * whose bytes it did not see in the last complete poll. Only those go back, and at the end
 * of a poll the keys that went away. An item that a server writes differently but means the
 * same is parsed and sent back; the store's own comparison then makes no change.
 *
 * `PollDiff` is that comparison, without I/O; `serveSearchDiff` answers one SearchDiff's
 * messages with it, on the channel that SearchDiff opened. Loaded on the thread, this module
 * starts serving by itself: every Search source of the process connects to the same thread.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import {
  isMainThread,
  MessagePort,
  parentPort,
  workerData,
} from 'node:worker_threads';
import { requestBytes } from '../http/httpClient';
import { InternPool } from '../store/intern';
import { isKeyedSearchItem, searchItemKey } from '../store/searchItem';

/** What the worker answers for one page. */
export interface PageDiff {
  /** Items in the page, changed or not (a short page is the last one). */
  count: number;
  /** Raw items that are new or differ from the last complete poll. */
  changed: unknown[];
  /** Items without a string `name` and `cluster`: malformed, not compared. */
  unkeyed: number;
}

/** What SearchDiff asks: `begin`, pages, then `commit` or `abort`, one poll at a time. */
export type Request =
  | { type: 'begin' }
  | { type: 'page'; id: number; body: string; timeoutMs: number }
  | { type: 'commit'; id: number }
  | { type: 'abort' };

export type Reply =
  | ({ type: 'page'; id: number } & PageDiff)
  | { type: 'commit'; id: number; removed: string[]; complete: boolean }
  /** A 200 answer that is a GraphQL error, or cannot be read. */
  | { type: 'error'; id: number; message: string }
  /** A non-2xx answer: its status and (the start of) its body. */
  | { type: 'http-error'; id: number; status: number; body: Uint8Array }
  /** No answer: unreachable, timed out, broke off. */
  | { type: 'network-error'; id: number; message: string };

/** Where the worker sends one source's requests, fixed for its channel's life. */
export interface WorkerSettings {
  url: string;
  headers: Record<string, string>;
  ca?: string;
  rejectUnauthorized: boolean;
  /** Answers longer than this are refused as they stream in. */
  maxAnswerBytes: number;
}

/** Sent to the thread by each SearchDiff: the channel it will ask on, and its settings. */
export interface Connect {
  type: 'connect';
  port: MessagePort;
  settings: WorkerSettings;
}

/** Set as `role` in the workerData of a thread that is to run this module. */
export const SEARCH_DIFF_WORKER = 'multicloud-gitops/search-diff';

/** An answer that is not a page of items: the message says what it is instead. */
export class SearchAnswerError extends Error {}

/** The answer's bytes are not the JSON they should be. */
class Unreadable extends Error {}

const couldNotRead = (e: unknown) =>
  new SearchAnswerError(
    `ACM Search answer could not be read: ${String(
      (e as Error)?.message ?? e,
    ).slice(0, 200)}`,
  );

// One call a fingerprint (Node 20.12+) costs a third of a Hash object's; one per item a poll.
const oneShotHash = (
  crypto as {
    hash?: (algorithm: string, data: Buffer, encoding: 'base64') => string;
  }
).hash;
const fingerprint: (bytes: Buffer) => string = oneShotHash
  ? bytes => oneShotHash('sha1', bytes, 'base64')
  : bytes => crypto.createHash('sha1').update(bytes).digest('base64');

/**
 * The thread's shared copies of key pieces (see searchKey): a key remembered from one poll
 * to the next is then one small string joining two shared pieces, instead of its own text
 * or, as concatenation builds it, a tree of pieces that keeps the parsed item's strings
 * alive.
 */
const pieces = new InternPool();
const piece = (s: string) => pieces.string(s);

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

/** An item of the last complete poll: its key, and the last poll that returned its bytes. */
interface Known {
  key: string;
  poll: number;
}

/**
 * Compares the pages of a poll with the last complete poll. Keeps, from that poll, each
 * item's key (`cluster/namespace/name`, as the store keys Search applications) by the
 * fingerprint of the item's bytes, and marks each as the next poll returns it: a poll that
 * changes little builds little, instead of a new table of the whole fleet every time.
 */
export class PollDiff {
  /** The items of the last complete poll by fingerprint, marked as the poll goes. */
  readonly #known = new Map<string, Known>();
  /** Items new or changed in the poll under way, by fingerprint, and their keys. */
  readonly #added = new Map<string, string>();
  readonly #addedKeys = new Set<string>();
  #poll = 0;

  /** Starts a poll: the pages until commit() or abort() belong to it. */
  begin() {
    this.#reset();
  }

  /** Drops a poll that failed part way: the next is compared with the last complete one. */
  abort() {
    this.#reset();
  }

  // A new poll number leaves every mark of the one before behind: nothing to undo.
  #reset() {
    this.#poll++;
    this.#added.clear();
    this.#addedKeys.clear();
  }

  /**
   * The items of one page (a Search answer's bytes) that are new or changed. Throws a
   * SearchAnswerError when the answer is a GraphQL error, has no items, or is not JSON.
   */
  page(b: Buffer): PageDiff {
    try {
      return this.#page(b);
    } catch (e) {
      throw e instanceof SearchAnswerError ? e : couldNotRead(e);
    }
  }

  #page(b: Buffer): PageDiff {
    const { items, errors } = locateItems(b);
    if (errors) {
      const answer = JSON.parse(b.toString('utf8'));
      const text = String(answer?.errors?.[0]?.message ?? 'GraphQL error');
      throw new SearchAnswerError(
        `ACM Search answered an error: ${text.slice(0, 200)}`,
      );
    }
    if (!items) {
      throw new SearchAnswerError(
        'ACM Search answered without data.searchResult[0].items',
      );
    }
    const changed: unknown[] = [];
    let unkeyed = 0;
    for (let i = 0; i < items.length; i += 2) {
      const bytes = b.subarray(items[i], items[i + 1]);
      const print = fingerprint(bytes);
      const known = this.#known.get(print);
      // Unchanged, unless this poll already had these bytes or this key changed in it.
      if (
        known !== undefined &&
        known.poll !== this.#poll &&
        !this.#addedKeys.has(known.key)
      ) {
        known.poll = this.#poll;
        continue;
      }
      const item: unknown = JSON.parse(bytes.toString('utf8'));
      changed.push(item);
      if (!isKeyedSearchItem(item)) {
        // Never remembered: malformed items come back every poll, to be counted.
        unkeyed++;
        continue;
      }
      const key = searchItemKey(item, piece);
      this.#added.set(print, key);
      this.#addedKeys.add(key);
    }
    return { count: items.length / 2, changed, unkeyed };
  }

  /**
   * Ends the poll: it becomes the one the next is compared with. Says which keys went away,
   * and `complete` when there was no poll to compare with (every item came back as changed).
   */
  commit(): { removed: string[]; complete: boolean } {
    const poll = this.#poll;
    const complete = this.#known.size === 0;
    // Bytes this poll did not return are forgotten (an item that changes back to them is a
    // change again); their keys went away unless the poll returned them in other bytes.
    const gone = new Set<string>();
    for (const [print, known] of this.#known) {
      if (known.poll === poll) continue;
      this.#known.delete(print);
      if (!this.#addedKeys.has(known.key)) gone.add(known.key);
    }
    if (gone.size) {
      for (const known of this.#known.values())
        if (known.poll === poll) gone.delete(known.key);
    }
    for (const [print, key] of this.#added)
      this.#known.set(print, { key, poll });
    this.#reset();
    return { removed: [...gone], complete };
  }
}

/**
 * Answers SearchDiff's requests on `port`: fetches each page and diffs it, until the port
 * closes (from either side); then forgets the last poll and closes its connections.
 */
export function serveSearchDiff(port: MessagePort, settings: WorkerSettings) {
  const target = new URL(settings.url);
  const agent =
    target.protocol === 'https:'
      ? new https.Agent({
          keepAlive: true,
          ca: settings.ca,
          rejectUnauthorized: settings.rejectUnauthorized,
        })
      : new http.Agent({ keepAlive: true });
  const diff = new PollDiff();
  const reply = (r: Reply) => port.postMessage(r);

  async function fetchPage(msg: Extract<Request, { type: 'page' }>) {
    let answer: { status: number; bytes: Buffer };
    try {
      answer = await requestBytes(target, agent, {
        method: 'POST',
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          ...settings.headers,
        },
        body: Buffer.from(msg.body),
        timeoutMs: msg.timeoutMs,
        maxBytes: settings.maxAnswerBytes,
      });
    } catch (e) {
      reply({
        type: 'network-error',
        id: msg.id,
        message: String((e as Error)?.message ?? e),
      });
      return;
    }
    if (answer.status < 200 || answer.status >= 300) {
      reply({
        type: 'http-error',
        id: msg.id,
        status: answer.status,
        body: answer.bytes.subarray(0, 65536),
      });
      return;
    }
    reply({ type: 'page', id: msg.id, ...diff.page(answer.bytes) });
  }

  port.once('close', () => agent.destroy());
  port.on('message', async (msg: Request) => {
    try {
      if (msg.type === 'begin') diff.begin();
      else if (msg.type === 'page') await fetchPage(msg);
      else if (msg.type === 'commit')
        reply({ type: 'commit', id: msg.id, ...diff.commit() });
      else if (msg.type === 'abort') diff.abort();
    } catch (e) {
      reply({
        type: 'error',
        id: (msg as { id?: number }).id ?? 0,
        message: (e instanceof SearchAnswerError ? e : couldNotRead(e)).message,
      });
    }
  });
}

if (!isMainThread && workerData?.role === SEARCH_DIFF_WORKER && parentPort) {
  // Diffing is background work: where the OS lets one thread yield (Linux: the nice value
  // is per thread), let requests on the event loop go first when the CPU is short.
  if (process.platform === 'linux') {
    try {
      os.setPriority(0, 10);
    } catch {
      // not allowed here: run at the process's priority
    }
  }
  parentPort.on('message', (msg: Connect) => {
    if (msg?.type === 'connect') serveSearchDiff(msg.port, msg.settings);
  });
}
