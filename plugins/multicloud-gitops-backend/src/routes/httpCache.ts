/*
 * Topology answers as HTTP responses, made once per store version and scope: serialised
 * JSON with a weak ETag, compressed on first demand per encoding, and answered 304 when the
 * client already has it. A warm request is then a map lookup and a write.
 */
import { ApplicationDetails } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { Request, Response } from 'express';
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { Scope, scopeKey } from '../topology/scope';
import { toApplicationSummary } from '../topology/summaries';
import { ScopedTopology, TopologyService } from '../topology/TopologyService';

export type ContentEncoding = 'br' | 'gzip';

export interface CachedView {
  etag: string;
  /** The answer, serialised once per store version and scope. */
  json: Buffer;
  /**
   * The answer compressed, made once per encoding on first demand (a fleet answer is
   * megabytes of JSON), off the event loop.
   */
  encoded(encoding: ContentEncoding): Promise<Buffer>;
}

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Compresses once per view and version, so both can use levels a per-request middleware
 * could not afford: megabytes of fleet JSON shrink about fiftyfold, on the libuv thread pool.
 */
function compress(json: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(json, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length,
        },
      })
    : gzipAsync(json, { level: 6 });
}

/**
 * Each application's JSON in an answer, by its summary object. Summaries of unchanged
 * applications survive a rebuild (see buildTopology), so after a change an answer is
 * written from the strings it had, and only the changed applications are serialised.
 */
const applicationJson = new WeakMap<ApplicationDetails, string>();
function jsonOf(a: ApplicationDetails): string {
  let json = applicationJson.get(a);
  if (json === undefined) {
    json = JSON.stringify(toApplicationSummary(a));
    applicationJson.set(a, json);
  }
  return json;
}
/** Stands in for the applications while the rest of an answer is serialised. */
const APPLICATIONS_SLOT = `"applications-${randomUUID()}"`;

/** The same JSON as `JSON.stringify` of the answer, from each application's cached JSON. */
export function serialise(answer: ScopedTopology): string {
  const json = JSON.stringify({
    ...answer,
    applications: APPLICATIONS_SLOT.slice(1, -1),
  });
  const at = json.indexOf(APPLICATIONS_SLOT);
  return `${json.slice(0, at)}[${answer.applications
    .map(jsonOf)
    .join(',')}]${json.slice(at + APPLICATIONS_SLOT.length)}`;
}

/** Views of each hub, kept until its store announces a change. */
export class ViewCache {
  readonly #service: TopologyService;
  readonly #maxViews: number;
  readonly #hubs = new Map<
    string,
    { version: number; views: Map<string, CachedView> }
  >();

  constructor(service: TopologyService, maxViews = 500) {
    this.#service = service;
    this.#maxViews = maxViews;
  }

  /** The scoped view as JSON with an ETag. `key` is `scopeKey(scope)`, for callers that keep it. */
  view(hub: string, scope: Scope, key = scopeKey(scope)): CachedView {
    const store = this.#service.store(hub);
    const version = store.publishedVersion;
    let cache = this.#hubs.get(hub);
    if (cache?.version !== version) {
      cache = { version, views: new Map() };
      this.#hubs.set(hub, cache);
    }
    let cached = cache.views.get(key);
    if (!cached) {
      cached = cachedView(
        `${hub}-${store.id}-${version}`,
        key,
        Buffer.from(serialise(this.#service.scope(hub, scope))),
      );
      // Bounds memory under many distinct scopes.
      if (cache.views.size > this.#maxViews) cache.views.clear();
      cache.views.set(key, cached);
    }
    return cached;
  }
}

/** An answer with its weak ETag (from `tag` and a hash of `key`) and lazy encodings. */
function cachedView(tag: string, key: string, json: Buffer): CachedView {
  const hash = createHash('sha1').update(key).digest('base64url').slice(0, 10);
  const encodings = new Map<ContentEncoding, Promise<Buffer>>();
  return {
    etag: `W/"${tag}-${hash}"`,
    json,
    encoded: encoding => {
      let body = encodings.get(encoding);
      if (!body) {
        body = compress(json, encoding);
        encodings.set(encoding, body);
      }
      return body;
    },
  };
}

/**
 * Answers by a key that names everything they depend on (store versions included), the
 * most recently used kept: repeated pages of a view are a lookup, and a store change makes
 * new keys while the old ones age out.
 */
export class AnswerCache {
  readonly #tag: string;
  readonly #max: number;
  readonly #answers = new Map<string, CachedView>();

  /** `tag` starts each answer's ETag, so answers of different routes never share one. */
  constructor(tag: string, max = 128) {
    this.#tag = tag;
    this.#max = max;
  }

  view(key: string, make: () => unknown): CachedView {
    let cached = this.#answers.get(key);
    if (cached) {
      this.#answers.delete(key);
    } else {
      cached = cachedView(this.#tag, key, Buffer.from(JSON.stringify(make())));
      if (this.#answers.size >= this.#max)
        this.#answers.delete(this.#answers.keys().next().value as string);
    }
    this.#answers.set(key, cached);
    return cached;
  }
}

/** Brotli where the client takes it (browsers do), else gzip, else identity. */
export function parseAcceptEncoding(
  header: string,
): ContentEncoding | undefined {
  const accepted = header
    .split(',')
    .map(part => part.trim().split(';'))
    .filter(([, q]) => !q || !/^q=0(\.0*)?$/.test(q.trim()))
    .map(([coding]) => coding.trim().toLowerCase());
  if (accepted.includes('br')) return 'br';
  if (accepted.includes('gzip')) return 'gzip';
  return undefined;
}

// A browser sends the same Accept-Encoding on every request: parse it once.
let lastAcceptEncoding: {
  header: string;
  encoding: ContentEncoding | undefined;
} = { header: '', encoding: undefined };

function preferredEncoding(req: Request): ContentEncoding | undefined {
  const header = String(req.headers['accept-encoding'] ?? '');
  if (header !== lastAcceptEncoding.header)
    lastAcceptEncoding = { header, encoding: parseAcceptEncoding(header) };
  return lastAcceptEncoding.encoding;
}

/** Sends a view: 304 when the client has it, else its JSON, compressed if accepted. */
export async function sendView(req: Request, res: Response, view: CachedView) {
  res.setHeader('ETag', view.etag);
  res.setHeader('Cache-Control', 'private, no-cache');
  res.setHeader('Vary', 'Accept-Encoding');
  if (req.headers['if-none-match'] === view.etag) {
    res.status(304).end();
    return;
  }
  // What res.type('application/json') sets, without its MIME lookup on every request.
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  // Compressed once per view, not per request (the root router would compress each time).
  const encoding = preferredEncoding(req);
  if (encoding) {
    res.setHeader('Content-Encoding', encoding);
    res.end(await view.encoded(encoding));
    return;
  }
  res.end(view.json);
}
