/*
 * A stand-in upstream on a local port, and a wait for what a background loop does.
 */
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';

export interface StandIn {
  /** `http://127.0.0.1:<port>` */
  url: string;
  close(): Promise<void>;
}

/** Serves `handler` until closed; the handler gets the request body read. */
export async function standIn(
  handler: (
    req: http.IncomingMessage,
    body: string,
    res: http.ServerResponse,
  ) => void,
): Promise<StandIn> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => {
      body += c;
    });
    req.on('end', () => handler(req, body, res));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/** Resolves with the first truthy value of `fn`, checked every 10 ms. */
export async function until<T>(
  fn: () => T | undefined | false,
  timeoutMs = 5000,
): Promise<T> {
  const t0 = Date.now();
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() - t0 > timeoutMs) throw new Error('timed out');
    await new Promise(r => setTimeout(r, 10));
  }
}
