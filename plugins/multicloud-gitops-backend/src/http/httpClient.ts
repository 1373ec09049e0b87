/*
 * A small HTTP client for the JSON upstreams that are not Kubernetes (Argo CD, ACM Search):
 * per-upstream TLS settings (CA, skip verify), a timeout on every request, bounded
 * concurrency, and errors that carry the status and upstream message but never a header,
 * so a token cannot leak into a log line or a source message.
 */
import http from 'node:http';
import https from 'node:https';
import { TlsSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';

export class UpstreamError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly body?: unknown,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  timeoutMs?: number;
  /** the answer is refused past this many bytes (see requestBytes) */
  maxBytes?: number;
}

/** Accepts a PEM or a base64-encoded PEM, as Kubernetes plugin config does. */
export function decodeCa(caData?: string): string | undefined {
  if (!caData) return undefined;
  if (caData.includes('-----BEGIN')) return caData;
  return Buffer.from(caData, 'base64').toString('utf8');
}

export class HttpClient {
  readonly #agent: http.Agent | https.Agent;
  readonly #base: URL;
  readonly #maxConcurrent: number;
  #active = 0;
  readonly #queue: Array<() => void> = [];

  constructor(baseUrl: string, tls: TlsSettings, maxConcurrent = 4) {
    this.#base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
    this.#maxConcurrent = maxConcurrent;
    this.#agent =
      this.#base.protocol === 'https:'
        ? new https.Agent({
            keepAlive: true,
            ca: decodeCa(tls.caData),
            rejectUnauthorized: !tls.skipTLSVerify,
          })
        : new http.Agent({ keepAlive: true });
  }

  url(path: string): URL {
    return new URL(path.replace(/^\//, ''), this.#base);
  }

  async #slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active >= this.#maxConcurrent) {
      await new Promise<void>(resolve => this.#queue.push(resolve));
    }
    this.#active++;
    try {
      return await fn();
    } finally {
      this.#active--;
      this.#queue.shift()?.();
    }
  }

  /** Sends a request and parses a JSON answer; non-2xx becomes an UpstreamError. */
  json<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.#slot(async () => {
      const target = this.url(path);
      const body =
        options.body === undefined
          ? undefined
          : Buffer.from(JSON.stringify(options.body));
      const { status, bytes } = await requestBytes(target, this.#agent, {
        method: options.method ?? 'GET',
        headers: {
          accept: 'application/json',
          ...(body ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        body,
        timeoutMs: options.timeoutMs ?? 15000,
        maxBytes: options.maxBytes,
      }).catch(e => {
        throw new UpstreamError((e as Error).message);
      });
      if (status < 200 || status >= 300)
        throw upstreamErrorOf(target, status, bytes);
      const text = bytes.toString('utf8');
      try {
        return text ? JSON.parse(text) : undefined;
      } catch {
        throw new UpstreamError(
          `HTTP ${status} from ${target.origin}${target.pathname} is not JSON`,
          status,
        );
      }
    });
  }

  /**
   * Opens a long-lived Server-Sent Events stream and calls onData for each `data:` payload.
   * Resolves when the stream ends; rejects on a non-2xx answer or a network error, or when
   * one event grows past `maxEventBytes` (the stream is then closed, not buffered on).
   */
  stream(
    path: string,
    headers: Record<string, string>,
    onData: (data: string) => void,
    signal: AbortSignal,
    maxEventBytes = Infinity,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const target = this.url(path);
      const req = (target.protocol === 'https:' ? https : http).request(
        target,
        {
          method: 'GET',
          agent: this.#agent,
          headers: { accept: 'text/event-stream', ...headers },
          signal,
        },
      );
      req.on('response', res => {
        if ((res.statusCode ?? 0) >= 300) {
          res.resume();
          reject(
            new UpstreamError(
              `HTTP ${res.statusCode} from ${target.origin}${target.pathname}`,
              res.statusCode,
            ),
          );
          return;
        }
        res.setEncoding('utf8');
        // The event being read, as its chunks: joined once when it ends, so a long event
        // costs its length, not a copy per chunk.
        let pending: string[] = [];
        let pendingLength = 0;
        const emit = (tail: string) => {
          const event = pending.join('') + tail;
          pending = [];
          pendingLength = 0;
          const data = event
            .split('\n')
            .filter(l => l.startsWith('data:'))
            .map(l => l.slice(5).trimStart())
            .join('\n');
          if (data) onData(data);
        };
        res.on('data', (chunk: string) => {
          let text = chunk;
          // an event whose blank line straddles two chunks
          if (pending.at(-1)?.endsWith('\n') && text.startsWith('\n')) {
            pending[pending.length - 1] = pending.at(-1)!.slice(0, -1);
            emit('');
            text = text.slice(1);
          }
          for (
            let idx = text.indexOf('\n\n');
            idx >= 0;
            idx = text.indexOf('\n\n')
          ) {
            emit(text.slice(0, idx));
            text = text.slice(idx + 2);
          }
          if (text) {
            pending.push(text);
            pendingLength += text.length;
          }
          if (pendingLength > maxEventBytes) {
            pending = [];
            reject(
              new UpstreamError(
                `event from ${target.origin}${target.pathname} is larger than ${
                  maxEventBytes / 1024 / 1024
                } MiB: refused`,
              ),
            );
            req.destroy();
          }
        });
        res.on('end', () => resolve());
        res.on('error', reject);
      });
      req.on('error', err => {
        if (signal.aborted) resolve();
        else
          reject(
            new UpstreamError(
              `cannot reach ${target.origin}: ${
                (err as any).code ?? err.message
              }`,
            ),
          );
      });
      req.end();
    });
  }

  close() {
    this.#agent.destroy();
  }
}

/**
 * Sends one request and resolves with the answer's status and bytes, or rejects with an
 * Error that says what failed (never a header). The ACM Search worker thread sends its
 * page requests with it too (searchDiffWorker.ts). An answer longer than `maxBytes` (by its
 * Content-Length, or as it streams in) is refused and its connection closed, so an
 * oversized answer costs at most `maxBytes` of memory.
 */
export function requestBytes(
  target: URL,
  agent: http.Agent | https.Agent,
  options: {
    method: string;
    headers: Record<string, string>;
    body?: Buffer;
    timeoutMs: number;
    maxBytes?: number;
  },
): Promise<{ status: number; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const max = options.maxBytes ?? Infinity;
    const tooLarge = (res: http.IncomingMessage) => {
      reject(
        new Error(
          `answer from ${target.origin} is larger than ${
            max / 1024 / 1024
          } MiB: refused`,
        ),
      );
      res.destroy();
    };
    const req = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: options.method,
        agent,
        headers: options.headers,
        timeout: options.timeoutMs,
      },
      res => {
        if (Number(res.headers['content-length']) > max) {
          tooLarge(res);
          return;
        }
        const chunks: Buffer[] = [];
        let received = 0;
        res.on('data', c => {
          received += c.length;
          if (received > max) {
            chunks.length = 0;
            tooLarge(res);
          } else chunks.push(c);
        });
        res.on('error', err =>
          reject(
            new Error(
              `answer from ${target.origin} broke off: ${
                (err as any).code ?? err.message
              }`,
            ),
          ),
        );
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            bytes: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('timeout', () => {
      timedOut = true;
      req.destroy();
    });
    req.on('error', err =>
      reject(
        new Error(
          timedOut
            ? `no answer from ${target.origin} within ${
                options.timeoutMs / 1000
              } s`
            : `cannot reach ${target.origin}: ${
                (err as any).code ?? err.message
              }`,
        ),
      ),
    );
    if (options.body) req.write(options.body);
    req.end();
  });
}

/** A non-2xx answer as an error: the status and the upstream's own message, no header. */
export function upstreamErrorOf(
  target: URL,
  status: number,
  bytes: Buffer,
): UpstreamError {
  const text = bytes.toString('utf8');
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // plain-text error bodies (ACM Search uses http.Error) stay strings
  }
  const upstreamMessage =
    typeof parsed === 'object' && parsed !== null
      ? String((parsed as any).message ?? (parsed as any).error ?? '')
      : String(parsed ?? '').trim();
  return new UpstreamError(
    `HTTP ${status} from ${target.origin}${target.pathname}${
      upstreamMessage ? `: ${upstreamMessage.slice(0, 300)}` : ''
    }`,
    status,
    parsed,
  );
}

/** Exponential backoff with jitter, capped: 1 s, 2 s, 4 s ... 60 s. */
export function backoffMs(attempt: number, capMs = 60000): number {
  const base = Math.min(capMs, 1000 * 2 ** Math.min(attempt, 10));
  return Math.round(base * (0.75 + Math.random() * 0.5));
}
