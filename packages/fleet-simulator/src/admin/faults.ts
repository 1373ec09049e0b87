import type { ServerResponse } from 'http';
import { Prng } from '../util/prng';

export type FaultFamily = 'k8s' | 'cluster-proxy' | 'search' | 'argocd' | 'all';

/** families whose faults can target one instance: an Argo CD instance, a proxied cluster */
const BY_INSTANCE: ReadonlySet<string> = new Set(['argocd', 'cluster-proxy']);

export interface Fault {
  family: FaultFamily;
  status?: number;
  rate: number;
  latencyMs?: number;
  dropConnections?: boolean;
  /** the answer is cut off mid-body and the connection closed */
  truncate?: boolean;
  /** bytes of the body sent before the cut (default: half of the answer) */
  truncateBytes?: number;
  /** the answer is replaced by a valid JSON list of this many bytes, streamed */
  oversizeBytes?: number;
  instance?: string;
}

export type FaultDecision = {
  latencyMs: number;
  status?: number;
  drop?: boolean;
  truncate?: boolean;
  truncateBytes?: number;
  oversizeBytes?: number;
};

/** Bounds of an oversized answer: big enough for its JSON frame, small enough to stay a test. */
const OVERSIZE_MIN = 1024;
const OVERSIZE_MAX = 1024 * 1024 * 1024;

/**
 * Fault injection per route family (and per Argo CD instance). Faults are drawn from a
 * seeded PRNG so a given seed and request sequence fails the same way every time.
 */
export class Faults {
  private faults: Fault[] = [];
  private prng: Prng;

  constructor(seed: number | string) {
    this.prng = new Prng(`${seed}:faults`);
  }

  static parse(body: any): Fault {
    if (!body || typeof body !== 'object')
      throw new Error('body must be a JSON object');
    const family = body.family;
    if (!['k8s', 'cluster-proxy', 'search', 'argocd', 'all'].includes(family))
      throw new Error(
        'family must be one of k8s, cluster-proxy, search, argocd, all',
      );
    const rate = body.rate === undefined ? 1 : Number(body.rate);
    if (!(rate >= 0 && rate <= 1))
      throw new Error('rate must be a number from 0 to 1');
    if (
      body.status !== undefined &&
      !(
        Number.isInteger(body.status) &&
        body.status >= 400 &&
        body.status <= 599
      )
    ) {
      throw new Error('status must be an HTTP error status (400-599)');
    }
    if (body.latencyMs !== undefined && !(Number(body.latencyMs) >= 0))
      throw new Error('latencyMs must be >= 0');
    if (
      body.truncateBytes !== undefined &&
      !(Number.isInteger(body.truncateBytes) && body.truncateBytes >= 0)
    )
      throw new Error('truncateBytes must be an integer >= 0');
    if (
      body.oversizeBytes !== undefined &&
      !(
        Number.isInteger(body.oversizeBytes) &&
        body.oversizeBytes >= OVERSIZE_MIN &&
        body.oversizeBytes <= OVERSIZE_MAX
      )
    )
      throw new Error(
        `oversizeBytes must be an integer from ${OVERSIZE_MIN} to ${OVERSIZE_MAX}`,
      );
    const truncate = !!body.truncate || body.truncateBytes !== undefined;
    const shapes = [
      body.status !== undefined || body.dropConnections,
      truncate,
      body.oversizeBytes !== undefined,
    ].filter(Boolean).length;
    if (shapes > 1)
      throw new Error(
        'a fault is one of: an error (status or dropConnections), a truncated answer, an oversized answer',
      );
    if (shapes === 0 && body.latencyMs === undefined) {
      throw new Error(
        'a fault needs status, latencyMs, dropConnections, truncate, truncateBytes or oversizeBytes',
      );
    }
    return {
      family,
      rate,
      status: body.status,
      latencyMs:
        body.latencyMs === undefined ? undefined : Number(body.latencyMs),
      dropConnections: !!body.dropConnections,
      ...(truncate ? { truncate, truncateBytes: body.truncateBytes } : {}),
      ...(body.oversizeBytes !== undefined
        ? { oversizeBytes: body.oversizeBytes }
        : {}),
      instance: typeof body.instance === 'string' ? body.instance : undefined,
    };
  }

  add(f: Fault) {
    this.faults.push(f);
  }

  clear() {
    this.faults = [];
  }

  list(): Fault[] {
    return [...this.faults];
  }

  decide(
    family: Exclude<FaultFamily, 'all'>,
    instance?: string,
  ): FaultDecision | undefined {
    if (this.faults.length === 0) return undefined;
    let latencyMs = 0;
    let status: number | undefined;
    let drop = false;
    let body: Pick<
      FaultDecision,
      'truncate' | 'truncateBytes' | 'oversizeBytes'
    > = {};
    for (const f of this.faults) {
      if (f.family !== 'all' && f.family !== family) continue;
      if (f.instance && BY_INSTANCE.has(family) && f.instance !== instance)
        continue;
      if (f.instance && !BY_INSTANCE.has(family) && f.family !== 'all')
        continue;
      // one draw per fault: with probability `rate` it applies in full (latency and error)
      if (f.rate < 1 && this.prng.next() >= f.rate) continue;
      latencyMs += f.latencyMs ?? 0;
      if (f.dropConnections) drop = true;
      else if (f.truncate || f.oversizeBytes) {
        // the first fault that shapes the body wins, as with statuses
        if (!body.truncate && !body.oversizeBytes)
          body = f.truncate
            ? { truncate: true, truncateBytes: f.truncateBytes }
            : { oversizeBytes: f.oversizeBytes };
      } else if (status === undefined) status = f.status;
    }
    if (
      !latencyMs &&
      status === undefined &&
      !drop &&
      !body.truncate &&
      !body.oversizeBytes
    )
      return undefined;
    return { latencyMs, status, drop, ...body };
  }
}

/**
 * Cuts the answer off mid-body: the status line and headers (with the full Content-Length,
 * when the handler set one) go out, then `keep` bytes of the body, then the connection closes,
 * as when an upstream or a proxy dies mid-answer. Without `keep`, half of the answer's last
 * write goes out (half of the answer, for one written at once); with it, an answer that ends
 * before `keep` bytes loses half of its last write, so an answer is always cut. Streamed
 * answers (watches) pass through until the cut.
 */
export function truncateAnswer(res: ServerResponse, keep?: number) {
  let sent = 0;
  let cut = false;
  const write = res.write.bind(res) as (chunk: any) => boolean;
  const close = () => {
    cut = true;
    // closes once what was written is flushed, without the terminating chunk
    write('');
    res.socket?.end(() => res.socket?.destroy());
    if (!res.socket) res.destroy();
  };
  const take = (chunk: any, isEnd: boolean) => {
    if (cut) return;
    const raw = chunk ?? '';
    const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    let limit = keep === undefined ? Infinity : keep - sent;
    if (isEnd && (keep === undefined || buf.length <= limit))
      limit = Math.floor(buf.length / 2);
    if (!isEnd && buf.length <= limit) {
      sent += buf.length;
      write(buf);
      return;
    }
    if (limit > 0) write(buf.subarray(0, limit));
    sent += Math.max(limit, 0);
    close();
  };
  (res as any).write = (chunk: any, ...rest: any[]) => {
    take(chunk, false);
    const cb = rest.find(a => typeof a === 'function');
    if (cb) process.nextTick(cb);
    return true;
  };
  (res as any).end = (chunk?: any) => {
    take(typeof chunk === 'function' ? undefined : chunk, true);
    return res;
  };
}

/** The opening and closing of a list, as each upstream frames one. */
const LIST_FRAMES: Record<string, [string, string]> = {
  search: [
    '{"data":{"searchResult":[{"count":0,"items":[',
    '],"related":[]}]}}',
  ],
  argocd: ['{"metadata":{"resourceVersion":"1"},"items":[', ']}'],
  k8s: [
    '{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[',
    ']}',
  ],
};

/**
 * Answers with a valid JSON list of exactly `bytes` bytes, framed as the family's upstream
 * frames one, written in chunks as the socket drains (never built in memory at once), chunked
 * without a Content-Length, as a Kubernetes API server streams a large list.
 */
export async function sendOversized(
  res: ServerResponse,
  family: string,
  bytes: number,
): Promise<void> {
  const [open, close] = LIST_FRAMES[family] ?? LIST_FRAMES.k8s;
  const item = (i: number) =>
    `{"kind":"Padding","metadata":{"name":"padding-${String(i).padStart(
      8,
      '0',
    )}"},"pad":"${'x'.repeat(900)}"}`;
  const itemBytes = Buffer.byteLength(item(0));
  let left = bytes - open.length - close.length;
  res.writeHead(200, { 'Content-Type': 'application/json' });
  const chunks = function* chunked() {
    yield open;
    let i = 0;
    let batch: string[] = [];
    let batchBytes = 0;
    while (left >= itemBytes + (i > 0 ? 1 : 0)) {
      const text = (i > 0 ? ',' : '') + item(i);
      batch.push(text);
      batchBytes += text.length;
      left -= text.length;
      i++;
      if (batchBytes >= 64 * 1024) {
        yield batch.join('');
        batch = [];
        batchBytes = 0;
      }
    }
    // JSON allows whitespace between tokens: it makes the size exact
    batch.push(' '.repeat(left));
    batch.push(close);
    yield batch.join('');
  };
  for (const chunk of chunks()) {
    if (res.destroyed) return;
    if (!res.write(chunk))
      await new Promise<void>(resolve => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
  }
  res.end();
}
