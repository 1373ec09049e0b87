import type { IncomingMessage, ServerResponse } from 'http';
import { OpenStream, SimContext } from '../context';
import { sendJson } from '../http/util';
import { KObject, StoreEvent } from '../store/types';
import { compareStrings } from '../util/compare';
import { AppFilter, APP, appsOf, matchApp, parseFilter, strip } from './apps';
import { GRPC, sendArgoError } from './errors';
import {
  ARGOCD_VERSIONS,
  parseFields,
  projectApp,
  Projection,
} from './projection';

/** GET /api/v1/applications and the SSE stream /api/v1/stream/applications. */

export function listApps(
  ctx: SimContext,
  res: ServerResponse,
  q: URLSearchParams,
  instance: string,
) {
  let f: AppFilter;
  try {
    f = parseFilter(q);
  } catch (e) {
    return sendArgoError(
      res,
      GRPC.InvalidArgument,
      `error parsing the selector: ${(e as Error).message}`,
    );
  }
  const apps = appsOf(ctx, instance)
    .filter(a => matchApp(a, f))
    .sort((a, b) => compareStrings(a.metadata.name!, b.metadata.name!));
  const metadata = { resourceVersion: String(ctx.store.resourceVersion) };
  const proj = parseFields(q.get('fields'));
  if (proj) {
    const items = apps.length
      ? apps.map(a =>
          projectApp(
            a,
            proj,
            'items.',
            ARGOCD_VERSIONS[ctx.options.argocdVersion].fields,
          ),
        )
      : null;
    return sendJson(res, 200, { items, metadata });
  }
  return sendJson(res, 200, { metadata, items: apps.map(strip) });
}

export function streamApps(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  q: URLSearchParams,
  instance: string,
) {
  let f: AppFilter;
  try {
    f = parseFilter(q);
  } catch (e) {
    sendArgoError(
      res,
      GRPC.InvalidArgument,
      `error parsing the selector: ${(e as Error).message}`,
    );
    return;
  }
  const proj: Projection | undefined = parseFields(q.get('fields'));
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  let closed = false;
  const send = (type: string, app: KObject) => {
    if (closed || res.destroyed) return;
    const application = proj
      ? projectApp(
          app,
          proj,
          'result.application.',
          ARGOCD_VERSIONS[ctx.options.argocdVersion].fields,
        )
      : strip(app);
    res.write(`data: ${JSON.stringify({ result: { type, application } })}\n\n`);
  };
  // the server first replays the current state as ADDED events
  for (const a of appsOf(ctx, instance)) if (matchApp(a, f)) send('ADDED', a);
  const listener = (ev: StoreEvent) => {
    if (ev.cluster !== instance || ev.typeKey !== APP) return;
    const now = matchApp(ev.object, f);
    const before = ev.previous ? matchApp(ev.previous, f) : false;
    if (ev.type === 'DELETED') {
      if (before) send('DELETED', ev.object);
    } else if (now)
      send(before || ev.type === 'MODIFIED' ? ev.type : 'ADDED', ev.object);
    else if (before) send('DELETED', ev.object);
  };
  const unsubscribe = ctx.store.subscribe(listener);
  const s: OpenStream = {
    kind: 'argocd-stream',
    expire: () => finish(),
    close: () => finish(),
  };
  ctx.streams.add(s);
  function finish() {
    if (closed) return;
    closed = true;
    unsubscribe();
    ctx.streams.delete(s);
    if (!res.destroyed) res.end();
  }
  res.on('close', finish);
  req.on('close', finish);
}
