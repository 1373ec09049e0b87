import { http, HttpResponse } from 'msw';
import { TopologyChangedEvent } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

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
