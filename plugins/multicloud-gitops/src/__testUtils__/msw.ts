import { http, HttpResponse } from 'msw';
import {
  TopologyChangedEvent,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import type { FleetRequest } from '../api';
import { TOPOLOGY, fleetAnswer } from './fleet';

/** What `mockApis.discovery()` resolves for our plugin id. */
export const BASE = 'http://example.com/api/multicloud-gitops/v1';

/**
 * A controllable `GET /v1/events` endpoint: each connection gets its own stream, and the
 * test pushes events to every open one, or closes them to exercise reconnects.
 */
export function createEventChannel() {
  const encoder = new TextEncoder();
  const open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  let connections = 0;
  const write = (
    c: ReadableStreamDefaultController<Uint8Array>,
    text: string,
  ) => {
    try {
      c.enqueue(encoder.encode(text));
    } catch {
      open.delete(c); // the client went away
    }
  };
  const respond = () => {
    connections++;
    let self: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        self = c;
        open.add(c);
        write(c, 'retry: 50\n\n: hello\n\n');
      },
      cancel() {
        open.delete(self);
      },
    });
    return new HttpResponse(stream, {
      headers: { 'Content-Type': 'text/event-stream' },
    });
  };
  return {
    handler: http.get(`${BASE}/events`, respond),
    /** Opens a stream; for handlers that decide per request whether to fail. */
    respond,
    send(event: Omit<TopologyChangedEvent, 'type'>) {
      const data = JSON.stringify({ type: 'topology-changed', ...event });
      for (const c of open)
        write(c, `event: topology-changed\ndata: ${data}\n\n`);
    },
    closeAll() {
      for (const c of open) {
        try {
          c.close();
        } catch {
          // already closed
        }
      }
      open.clear();
    },
    get connections() {
      return connections;
    },
  };
}

/** The query of a `GET /fleet` request, as the client sent it. */
export function fleetRequestOf(url: string): FleetRequest {
  const q = new URL(url).searchParams;
  const list = <T extends string>(k: string) =>
    q.getAll(k).flatMap(v => v.split(',')) as T[];
  const num = (k: string) => (q.has(k) ? Number(q.get(k)) : undefined);
  return {
    entityRef: q.get('entityRef') ?? undefined,
    hubs: list('hub'),
    groups: list('group'),
    statuses: list('status'),
    syncs: list('sync'),
    healths: list('health'),
    text: q.get('q') ?? undefined,
    sort: (q.get('sort') as FleetRequest['sort']) ?? undefined,
    offset: num('offset'),
    limit: num('limit'),
    appOffset: num('appOffset'),
    appLimit: num('appLimit'),
  };
}

/**
 * `GET /fleet` over the topologies `current()` returns (one per hub), with the backend's
 * filter semantics (see fleetAnswer); `seen` records each request's query.
 */
export function fleetHandler(
  current: () => TopologyResponse[] = () => [TOPOLOGY],
  seen: FleetRequest[] = [],
) {
  return http.get(`${BASE}/fleet`, ({ request }) => {
    const r = fleetRequestOf(request.url);
    seen.push(r);
    return HttpResponse.json(fleetAnswer(r, current()));
  });
}
