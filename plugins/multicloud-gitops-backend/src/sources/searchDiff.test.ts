import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { AddressInfo } from 'node:net';
import { UpstreamError } from '../http/httpClient';
import { item, names, page } from '../__testUtils__/searchItems';
import { SearchDiff } from './searchDiff';

describe('SearchDiff (the worker that takes Search pages)', () => {
  // A stand-in Search endpoint: answers each POST with `served`, and records the request.
  let served: { status: number; body: Buffer | string; delayMs?: number };
  let received: { authorization?: string; body: string }[];
  const delayed = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', c => (body += c));
    req.on('end', () => {
      received.push({ authorization: req.headers.authorization, body });
      const answer = () => {
        res.writeHead(served.status, { 'content-type': 'application/json' });
        res.end(served.body);
      };
      if (!served.delayMs) answer();
      else delayed.add(setTimeout(answer, served.delayMs));
    });
  });
  let url: string;
  beforeAll(async () => {
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${
      (server.address() as AddressInfo).port
    }/searchapi/graphql`;
  });
  afterAll(async () => {
    for (const t of delayed) clearTimeout(t);
    server.closeAllConnections();
    await new Promise(r => server.close(r));
  });

  let diff: SearchDiff;
  beforeEach(() => {
    received = [];
    diff = new SearchDiff({
      url,
      headers: { authorization: 'Bearer search-secret' },
      tls: {},
    });
  });
  afterEach(() => diff.close());
  /** The worker asks the stand-in, which answers `bytes`. */
  const answer = (bytes: Buffer, timeoutMs?: number) => {
    served = { status: 200, body: bytes };
    return diff.page('{"query":"q"}', timeoutMs);
  };

  it('reports a GraphQL error or an unreadable answer, and compares the next poll with the last complete one', async () => {
    diff.begin();
    await answer(page([item('c1', 'a')]));
    await diff.commit();

    diff.begin();
    await answer(page([item('c1', 'a', { healthStatus: 'Degraded' })]));
    await expect(
      answer(
        Buffer.from(JSON.stringify({ errors: [{ message: 'search down' }] })),
      ),
    ).rejects.toThrow(
      new UpstreamError('ACM Search answered an error: search down'),
    );
    diff.abort();

    diff.begin();
    await expect(answer(Buffer.from('{"data": [1, 2'))).rejects.toThrow(
      /ACM Search answer could not be read/,
    );
    await expect(answer(Buffer.from('{"data": {}}'))).rejects.toThrow(
      'ACM Search answered without data.searchResult[0].items',
    );
    diff.abort();

    // The failed poll's Degraded item was never committed: the same item is a change still.
    diff.begin();
    const next = await answer(
      page([item('c1', 'a', { healthStatus: 'Degraded' })]),
    );
    expect(names(next.changed)).toEqual(['c1/a']);
  });

  it('sends the request with its headers, and says what failed when no page comes', async () => {
    diff.begin();
    await answer(page([item('c1', 'a')]));
    expect(received).toEqual([
      { authorization: 'Bearer search-secret', body: '{"query":"q"}' },
    ]);

    served = { status: 401, body: 'token expired\n' };
    const rejected = await diff.page('{}').catch(e => e);
    expect(rejected).toBeInstanceOf(UpstreamError);
    expect(rejected.status).toBe(401);
    expect(rejected.message).toBe(`HTTP 401 from ${url}: token expired`);

    served = { status: 200, body: page([]), delayMs: 2000 };
    await expect(diff.page('{}', 200)).rejects.toThrow(
      new UpstreamError(`no answer from ${new URL(url).origin} within 0.2 s`),
    );
    diff.abort();

    const nowhere = new SearchDiff({
      url: 'http://127.0.0.1:1/searchapi/graphql',
      headers: { authorization: 'Bearer search-secret' },
      tls: {},
    });
    try {
      const refused = await nowhere.page('{}').catch(e => e);
      expect(refused).toBeInstanceOf(UpstreamError);
      expect(refused.message).toBe(
        'cannot reach http://127.0.0.1:1: ECONNREFUSED',
      );
    } finally {
      await nowhere.close();
    }
    // The error carries the status and the upstream's words, never the token.
    expect(
      JSON.stringify({ ...rejected, message: rejected.message }),
    ).not.toContain('search-secret');
  });

  // Where the whole test run is already niced, there is nothing to tell apart.
  (process.platform === 'linux' && os.getPriority() === 0
    ? describe
    : describe.skip)('on Linux', () => {
    const niceOfThreads = () =>
      fs
        .readdirSync('/proc/self/task')
        .map(t =>
          Number(
            fs
              .readFileSync(`/proc/self/task/${t}/stat`, 'utf8')
              .split(') ')[1]
              .split(' ')[16],
          ),
        );

    it('runs its thread at a lower priority than the event loop', async () => {
      const before = niceOfThreads().filter(n => n === 10).length;
      diff.begin();
      await answer(page([item('c1', 'a')]));
      expect(niceOfThreads().filter(n => n === 10).length).toBe(before + 1);
      expect(os.getPriority()).toBe(0);
    });

    it('runs one thread for every source of the process', async () => {
      const other = new SearchDiff({
        url,
        headers: { authorization: 'Bearer other-secret' },
        tls: {},
      });
      try {
        const before = niceOfThreads().filter(n => n === 10).length;
        diff.begin();
        await answer(page([item('c1', 'a')]));
        other.begin();
        served = { status: 200, body: page([item('c2', 'b')]) };
        await other.page('{}');
        expect(niceOfThreads().filter(n => n === 10).length).toBe(before + 1);
      } finally {
        await other.close();
      }
    });
  });

  it('starts a new worker after one stopped, comparing the next poll with nothing', async () => {
    diff.begin();
    await answer(page([item('c1', 'a')]));
    await diff.commit();
    await diff.close();
    diff.begin();
    const fresh = await answer(page([item('c1', 'a')]));
    expect(fresh.changed).toHaveLength(1);
    expect((await diff.commit()).complete).toBe(true);
  });

  it("keeps each source's last poll apart on the shared thread, and its headers", async () => {
    const other = new SearchDiff({
      url,
      headers: { authorization: 'Bearer other-secret' },
      tls: {},
    });
    try {
      diff.begin();
      await answer(page([item('c1', 'a')]));
      await diff.commit();
      other.begin();
      served = { status: 200, body: page([item('c1', 'a')]) };
      // The other source has no last poll: everything is new to it.
      expect((await other.page('{}')).changed).toHaveLength(1);
      expect((await other.commit()).complete).toBe(true);
      expect(received.map(r => r.authorization)).toEqual([
        'Bearer search-secret',
        'Bearer other-secret',
      ]);
      // Closing one source leaves the other's last poll on the thread.
      await other.close();
      diff.begin();
      expect((await answer(page([item('c1', 'a')]))).changed).toEqual([]);
      expect(await diff.commit()).toEqual({ removed: [], complete: false });
    } finally {
      await other.close();
    }
  });
});
