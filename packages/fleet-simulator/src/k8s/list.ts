import type { IncomingMessage, ServerResponse } from 'http';
import { HUB, OpenStream, SimContext } from '../context';
import { objectKey } from '../store/store';
import { KObject, StoreEvent } from '../store/types';
import { apiVersionOf, ResourceType, typeKey } from './registry';
import {
  FieldRequirement,
  LabelSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors';
import { sendStatus, status } from './status';
import { sendJson } from '../http/util';

/**
 * LIST and WATCH for one resource type, with the paging, selector and resourceVersion
 * semantics described in upstream-apis.md §A.
 */

export interface ListTarget {
  rt: ResourceType;
  version: string;
  namespace?: string;
  cluster?: string;
}

interface ContinueToken {
  v: string;
  rv: number;
  start: string;
}

const TOO_OLD_CONTINUE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.';

function encodeContinue(t: ContinueToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64url');
}

function decodeContinue(raw: string): ContinueToken | undefined {
  try {
    const t = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      t &&
      t.v === 'fleet-simulator/v1' &&
      Number.isInteger(t.rv) &&
      typeof t.start === 'string'
    )
      return t;
  } catch {
    // fall through: an undecodable token is a 400, as upstream
  }
  return undefined;
}

/** Serve an object at the requested version (autoscaling v1/v2 share one stored object). */
export function asVersion(
  o: KObject,
  rt: ResourceType,
  version: string,
): KObject {
  return version === rt.versions[0]
    ? o
    : { ...o, apiVersion: apiVersionOf(rt, version) };
}

interface Filters {
  labels: LabelSelector;
  fields: FieldRequirement[];
}

function parseFilters(q: URLSearchParams, rt: ResourceType): Filters {
  return {
    labels: parseLabelSelector(q.get('labelSelector')),
    fields: parseFieldSelector(q.get('fieldSelector'), rt.plural),
  };
}

function matches(o: KObject, f: Filters, namespace?: string): boolean {
  if (namespace !== undefined && (o.metadata.namespace ?? '') !== namespace)
    return false;
  return (
    matchesLabels(f.labels, o.metadata.labels) &&
    matchesFields(f.fields, o.metadata)
  );
}

export function handleList(
  ctx: SimContext,
  _req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
  target: ListTarget,
) {
  const { rt, version, namespace } = target;
  const cluster = target.cluster ?? HUB;
  let filters: Filters;
  try {
    filters = parseFilters(q, rt);
  } catch (e) {
    sendStatus(res, status(400, (e as SelectorError).message, 'BadRequest'));
    return;
  }
  const limitRaw = q.get('limit');
  const limit = limitRaw ? Number(limitRaw) : 0;
  if (limitRaw && (!Number.isInteger(limit) || limit < 0)) {
    sendStatus(
      res,
      status(400, `invalid value for limit: "${limitRaw}"`, 'BadRequest'),
    );
    return;
  }
  let snapshotRv = ctx.store.resourceVersion;
  let startAfter: string | undefined;
  const cont = q.get('continue');
  if (cont) {
    const t = decodeContinue(cont);
    if (!t) {
      sendStatus(
        res,
        status(
          400,
          'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)',
          'BadRequest',
        ),
      );
      return;
    }
    if (t.rv < ctx.store.compactedResourceVersion) {
      // as upstream: 410 with a fresh token for an inconsistent continuation
      const fresh = encodeContinue({
        v: 'fleet-simulator/v1',
        rv: ctx.store.resourceVersion,
        start: t.start,
      });
      sendStatus(
        res,
        status(410, TOO_OLD_CONTINUE, 'Expired', undefined, {
          continue: fresh,
        }),
      );
      return;
    }
    snapshotRv = t.rv;
    startAfter = t.start;
  }

  const bucket = ctx.store.bucket(cluster, typeKey(rt));
  const keys = bucket ? bucket.keys() : [];
  let i = 0;
  if (startAfter !== undefined) {
    // binary search: first key strictly after the last one returned
    let lo = 0;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] <= startAfter) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  } else if (namespace !== undefined) {
    let lo = 0;
    let hi = keys.length;
    const prefix = objectKey(namespace, '');
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (keys[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    i = lo;
  }
  const items: KObject[] = [];
  let lastKey: string | undefined;
  const filtered = filters.labels.length > 0 || filters.fields.length > 0;
  for (; i < keys.length; i++) {
    if (limit > 0 && items.length >= limit) break;
    const o = bucket!.objects.get(keys[i])!;
    if (namespace !== undefined && (o.metadata.namespace ?? '') !== namespace) {
      if ((o.metadata.namespace ?? '') > namespace) {
        i = keys.length;
        break;
      }
      continue;
    }
    lastKey = keys[i];
    if (matches(o, filters)) items.push(asVersion(o, rt, version));
  }
  const metadata: Record<string, unknown> = {
    resourceVersion: String(snapshotRv),
  };
  if (limit > 0 && i < keys.length && lastKey !== undefined) {
    // more objects remain in storage: hand out a continue token
    let remaining = 0;
    for (let j = i; j < keys.length; j++) {
      const o = bucket!.objects.get(keys[j])!;
      if (matches(o, filters, namespace)) remaining++;
    }
    if (remaining > 0) {
      metadata.continue = encodeContinue({
        v: 'fleet-simulator/v1',
        rv: snapshotRv,
        start: lastKey,
      });
      // upstream omits remainingItemCount when a selector is used
      if (!filtered) metadata.remainingItemCount = remaining;
    }
  }
  sendJson(res, 200, {
    apiVersion: apiVersionOf(rt, version),
    kind: rt.listKind,
    metadata,
    items,
  });
}

export function handleWatch(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
  target: ListTarget,
) {
  const { rt, version, namespace } = target;
  const cluster = target.cluster ?? HUB;
  const tk = typeKey(rt);
  let filters: Filters;
  try {
    filters = parseFilters(q, rt);
  } catch (e) {
    sendStatus(res, status(400, (e as SelectorError).message, 'BadRequest'));
    return;
  }
  const rvRaw = q.get('resourceVersion');
  const fromRv = rvRaw && rvRaw !== '0' ? Number(rvRaw) : undefined;
  if (rvRaw && (!Number.isInteger(Number(rvRaw)) || Number(rvRaw) < 0)) {
    sendStatus(
      res,
      status(400, `invalid resource version: ${rvRaw}`, 'BadRequest'),
    );
    return;
  }
  const bookmarks = q.get('allowWatchBookmarks') === 'true';
  const timeoutRaw = Number(q.get('timeoutSeconds'));
  // upstream picks a random 30-60 min server timeout when the client sets none
  const timeoutMs =
    timeoutRaw > 0
      ? timeoutRaw * 1000
      : 1800000 + Math.floor(Math.random() * 1800000); // not the seeded PRNG: client traffic must not shift the tick

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();
  let lastRv = fromRv ?? ctx.store.resourceVersion;
  let closed = false;

  const write = (type: string, object: unknown) => {
    if (closed || res.destroyed) return;
    res.write(`${JSON.stringify({ type, object })}\n`);
  };

  const send = (ev: StoreEvent) => {
    if (ev.cluster !== cluster || ev.typeKey !== tk) return;
    const now = matches(ev.object, filters, namespace);
    const before = ev.previous
      ? matches(ev.previous, filters, namespace)
      : false;
    let type: string | undefined;
    if (ev.type === 'ADDED') type = now ? 'ADDED' : undefined;
    else if (ev.type === 'DELETED')
      type = before || now ? 'DELETED' : undefined;
    // a filtered watch sees objects enter/leave the selection as ADDED/DELETED, as upstream
    else if (now && before) type = 'MODIFIED';
    else if (now) type = 'ADDED';
    else if (before) type = 'DELETED';
    lastRv = ev.rv;
    if (type) write(type, asVersion(ev.object, rt, version));
  };

  const tooOld = (rv: number) => {
    write(
      'ERROR',
      status(
        410,
        `too old resource version: ${rv} (${ctx.store.compactedResourceVersion})`,
        'Expired',
      ),
    );
    finish();
  };

  let unsubscribe: () => void = () => undefined;
  const timers: NodeJS.Timeout[] = [];
  const stream: OpenStream = {
    kind: 'k8s-watch',
    expire: () => tooOld(lastRv),
    close: () => finish(),
  };
  function finish() {
    if (closed) return;
    closed = true;
    unsubscribe();
    timers.forEach(clearTimeout);
    timers.forEach(clearInterval);
    ctx.streams.delete(stream);
    if (!res.destroyed) res.end();
  }
  res.on('close', finish);
  req.on('close', finish);

  if (fromRv !== undefined) {
    const events = ctx.store.eventsSince(fromRv);
    if (!events) {
      tooOld(fromRv);
      return;
    }
    for (const ev of events) send(ev);
  } else {
    // no resourceVersion: synthetic ADDED events for the current state, then changes
    const b = ctx.store.bucket(cluster, tk);
    if (b)
      for (const k of b.keys()) {
        const o = b.objects.get(k)!;
        if (matches(o, filters, namespace))
          write('ADDED', asVersion(o, rt, version));
      }
  }
  unsubscribe = ctx.store.subscribe(send);
  ctx.streams.add(stream);
  if (bookmarks) {
    const bookmark = () =>
      write('BOOKMARK', {
        kind: rt.kind,
        apiVersion: apiVersionOf(rt, version),
        metadata: {
          resourceVersion: String(Math.max(lastRv, ctx.store.resourceVersion)),
        },
      });
    // a first bookmark soon after the start, then periodically (the server may send them any time)
    timers.push(
      setTimeout(bookmark, Math.min(1000, ctx.options.bookmarkIntervalMs)),
    );
    timers.push(setInterval(bookmark, ctx.options.bookmarkIntervalMs));
  }
  timers.push(setTimeout(finish, timeoutMs));
}
