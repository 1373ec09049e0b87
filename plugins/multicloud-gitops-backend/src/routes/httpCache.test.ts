import express from 'express';
import request from 'supertest';
import { once } from 'node:events';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import {
  hubSettings,
  published,
  searchApp,
  storeWithClusters,
} from '../__testUtils__/fleet';
import { HubStore } from '../store/HubStore';
import { Scope } from '../topology/scope';
import { TopologyService } from '../topology/TopologyService';
import {
  AnswerCache,
  CachedView,
  parseAcceptEncoding,
  sendView,
  ViewCache,
} from './httpCache';

function fleet(store: HubStore = storeWithClusters()) {
  // Values a hand-written serialiser could get wrong: quotes, backslashes, unicode.
  store.replaceSearchApps([
    searchApp('a', 'east', { targetRevision: 'feature/"quoted"\\path' }),
    searchApp('b', 'west', { targetRevision: 'réplica ✓' }),
    searchApp('mcg-group-one', 'east'),
  ]);
  const service = new TopologyService([{ settings: hubSettings(), store }]);
  return { store, service, views: new ViewCache(service) };
}

describe('ViewCache', () => {
  it('writes each answer exactly as JSON.stringify of its scoped topology, before and after a change', async () => {
    const { store, service, views } = fleet();
    await published();

    const scopes: Scope[] = [
      {},
      { group: 'group-one' },
      { applications: ['b'], entityRef: 'component:default/b' },
      { group: 'nowhere' },
    ];
    const check = () => {
      for (const scope of scopes) {
        const view = views.view('hub', scope);
        expect(view.json.toString('utf8')).toBe(
          JSON.stringify(service.scoped('hub', scope)),
        );
      }
    };
    check();
    const before = views.view('hub', {});

    // The store keeps its own order of records: replace b by name, keep the others.
    store.replaceSearchApps([
      ...store.searchApps.filter(a => a.name !== 'b'),
      searchApp('b', 'west', { healthStatus: 'Degraded' }),
    ]);
    await published();
    check();
    const after = views.view('hub', {});
    expect(after.etag).not.toBe(before.etag);
    expect(
      JSON.parse(after.json.toString('utf8')).applications.find(
        (a: any) => a.name === 'b',
      ).health,
    ).toBe('Degraded');
  });

  it('keeps a view, with its ETag, until the store announces a change', async () => {
    const { store, views } = fleet();
    await published();
    const first = views.view('hub', { group: 'group-one' });
    expect(views.view('hub', { group: 'group-one' })).toBe(first);
    expect(views.view('hub', { group: 'group-two' }).etag).not.toBe(first.etag);

    // Written but not announced yet: a burst is one new version for views.
    store.replaceSearchApps([searchApp('c', 'east')]);
    expect(views.view('hub', { group: 'group-one' })).toBe(first);
    await published();
    const next = views.view('hub', { group: 'group-one' });
    expect(next.etag).not.toBe(first.etag);
    expect(JSON.parse(next.json.toString()).applications).toEqual([
      expect.objectContaining({ name: 'c', cluster: 'east' }),
    ]);
  });

  it("gives another store's view (another replica, or a restart) another ETag", async () => {
    const one = fleet();
    const other = fleet();
    await published();
    expect(one.store.version).toBe(other.store.version);
    expect(one.views.view('hub', {}).etag).not.toBe(
      other.views.view('hub', {}).etag,
    );
  });

  it('compresses each view once per encoding, to what decodes to its JSON', async () => {
    const { views } = fleet();
    await published();
    const view = views.view('hub', {});
    const br = await view.encoded('br');
    expect(await view.encoded('br')).toBe(br);
    expect(zlib.brotliDecompressSync(br)).toEqual(view.json);
    expect(zlib.gunzipSync(await view.encoded('gzip'))).toEqual(view.json);
  });

  it('refuses an unknown hub, naming the configured ones', () => {
    const { views } = fleet();
    expect(() => views.view('nope', {})).toThrow(
      'Unknown hub "nope"; configured hubs: hub',
    );
  });
});

describe('parseAcceptEncoding', () => {
  it('prefers Brotli, then gzip, and takes neither when refused with q=0', () => {
    expect(parseAcceptEncoding('gzip, deflate, br, zstd')).toBe('br');
    expect(parseAcceptEncoding('gzip, deflate')).toBe('gzip');
    expect(parseAcceptEncoding('br;q=0, gzip')).toBe('gzip');
    expect(parseAcceptEncoding('BR;q=0.5')).toBe('br');
    expect(parseAcceptEncoding('br;q=0.0, gzip;q=0')).toBeUndefined();
    expect(parseAcceptEncoding('identity')).toBeUndefined();
    expect(parseAcceptEncoding('')).toBeUndefined();
  });
});

describe('sendView', () => {
  const view: CachedView = {
    etag: 'W/"hub-store-3-abc"',
    json: Buffer.from('{"a":1}'),
    encoded: async encoding =>
      encoding === 'br'
        ? zlib.brotliCompressSync(Buffer.from('{"a":1}'))
        : zlib.gzipSync(Buffer.from('{"a":1}')),
  };
  const app = express().get('/', (req, res) => sendView(req, res, view));
  let server: http.Server;
  beforeAll(async () => {
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    server.close();
    await once(server, 'close');
  });
  /** Read with plain http, so that no client library decodes the body on the way. */
  const raw = (headers: Record<string, string>) =>
    new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>(
      (resolve, reject) => {
        http
          .get(
            `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
            { headers },
            res => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                resolve({ headers: res.headers, body: Buffer.concat(chunks) }),
              );
            },
          )
          .on('error', reject);
      },
    );

  it('answers 304 with no body to a client that has the view', async () => {
    const res = await request(app).get('/').set('If-None-Match', view.etag);
    expect(res.status).toBe(304);
    expect(res.headers.etag).toBe(view.etag);
    expect(res.text).toBeFalsy();
    const other = await request(app)
      .get('/')
      .set('If-None-Match', 'W/"hub-other-3-abc"');
    expect(other.status).toBe(200);
  });

  it('sends the JSON as the client accepts it, with its ETag, revalidated on every use', async () => {
    const plain = await raw({ 'accept-encoding': 'identity' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^application\/json/);
    expect(plain.headers['cache-control']).toBe('private, no-cache');
    expect(plain.headers.vary).toMatch(/Accept-Encoding/);
    expect(plain.body).toEqual(view.json);

    const br = await raw({ 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(zlib.brotliDecompressSync(br.body)).toEqual(view.json);
    expect(br.headers.etag).toBe(view.etag);

    const gzip = await raw({ 'accept-encoding': 'br;q=0, gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gzip.body)).toEqual(view.json);
  });
});

describe('AnswerCache', () => {
  it('makes an answer once per key, with an ETag per key, and forgets the least recently used', () => {
    const cache = new AnswerCache('fleet', 2);
    let made = 0;
    const make = (n: number) => () => {
      made++;
      return { n };
    };
    const a = cache.view('a', make(1));
    expect(JSON.parse(a.json.toString())).toEqual({ n: 1 });
    expect(cache.view('a', make(99))).toBe(a);
    const b = cache.view('b', make(2));
    expect(b.etag).not.toBe(a.etag);
    cache.view('a', make(99)); // a is now the most recently used
    cache.view('c', make(3)); // evicts b
    expect(made).toBe(3);
    expect(cache.view('a', make(99))).toBe(a);
    expect(cache.view('b', make(4)).json.toString()).toBe('{"n":4}');
    expect(made).toBe(4);
  });
});
