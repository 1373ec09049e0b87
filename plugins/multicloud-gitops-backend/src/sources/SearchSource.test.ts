import { mockServices } from '@backstage/backend-test-utils';
import { standIn, StandIn, until } from '../__testUtils__/http';
import { item, page as searchPage } from '../__testUtils__/searchItems';
import { HubStore } from '../store/HubStore';
import { MAX_ANSWER_BYTES } from './limits';
import { SearchSource } from './SearchSource';

describe('SearchSource', () => {
  let search: StandIn;
  let answer: (input: any) => { status: number; body: unknown };
  let inputs: any[];
  let source: SearchSource | undefined;
  beforeEach(async () => {
    inputs = [];
    search = await standIn((_req, body, res) => {
      const input = JSON.parse(body).variables.input[0];
      inputs.push(input);
      const { status, body: out } = answer(input);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof out === 'string' ? out : JSON.stringify(out));
    });
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await search.close();
  });
  const start = (maxAnswerBytes?: number, pollIntervalMs = 60000) => {
    const store = new HubStore('hub', 0);
    source = new SearchSource({
      store,
      settings: {
        url: `${search.url}/searchapi/graphql`,
        token: 'search-secret',
        pollIntervalMs,
      },
      logger: mockServices.logger.mock(),
      credential: 'token multicloudGitops.hubs[0].search.token',
      maxAnswerBytes,
    });
    source.start();
    return store;
  };
  const page = (items: unknown[]) => ({
    status: 200,
    body: searchPage(items).toString(),
  });
  const polled = (store: HubStore) =>
    until(() => {
      const s = store.source('search');
      return s?.state !== 'stale' && s;
    });

  it('reads the Argo CD Applications of every cluster, counting the malformed ones', async () => {
    answer = () =>
      page([item('east', 'a'), item('west', 'a'), { name: 'no-cluster' }]);
    const store = start();
    expect(await polled(store)).toMatchObject({
      state: 'ok',
      message: '1 malformed item(s) skipped',
      skipped: 1,
    });
    expect(store.searchApps.map(a => `${a.hostCluster}/${a.name}`)).toEqual([
      'east/a',
      'west/a',
    ]);
    expect(inputs[0]).toMatchObject({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'apigroup', values: ['argoproj.io'] },
      ],
      offset: 0,
      orderBy: 'name asc',
    });
  });

  it('retries a failing Search at most one poll interval apart, so a heal shows within one', async () => {
    const at: number[] = [];
    answer = () => {
      at.push(Date.now());
      return { status: 500, body: 'search is down' };
    };
    const store = start(undefined, 200);
    await until(() => at.length >= 4);
    expect(store.source('search')).toMatchObject({ state: 'error' });
    // 200 ms apart, with room for a loaded machine; backing off from about a second (even
    // capped at four intervals) would put 750 ms or more between tries.
    const gaps = at.slice(1).map((t, i) => t - at[i]);
    expect(Math.max(...gaps)).toBeLessThan(600);
    answer = () => page([item('east', 'a')]);
    expect(
      await until(() => store.source('search')?.state === 'ok' && store),
    ).toBeTruthy();
  });

  it('asks for everything at once from a Search that takes no offset', async () => {
    answer = input =>
      input.offset === undefined
        ? page([item('east', 'a')])
        : {
            status: 200,
            body: { errors: [{ message: 'Unknown argument "offset"' }] },
          };
    const store = start();
    expect((await polled(store)).state).toBe('ok');
    expect(store.searchApps.map(a => a.name)).toEqual(['a']);
    expect(inputs.map(i => [i.offset, i.limit])).toEqual([
      [0, 5000],
      [undefined, -1],
    ]);
  });

  it('names the rejected credential by its key', async () => {
    answer = () => ({ status: 401, body: 'token expired' });
    const store = start();
    const failing = await polled(store);
    expect(failing.state).toBe('error');
    expect(failing.message).toBe(
      `ACM Search at ${search.url}/searchapi/graphql rejected the token multicloudGitops.hubs[0].search.token (401): renew it or grant it access to Search`,
    );
  });

  it('refuses a page larger than its cap with the reason, instead of buffering it', async () => {
    // a valid page padded past the cap
    const padded = searchPage([
      { ...item('east', 'a'), pad: 'x'.repeat(MAX_ANSWER_BYTES) },
    ]).toString();
    answer = () => ({ status: 200, body: padded });
    const store = start();
    const failing = await polled(store);
    expect(failing.state).toBe('error');
    expect(failing.message).toContain(
      `answer from ${search.url} is larger than 32 MiB: refused`,
    );
    expect(store.searchApps).toEqual([]);
  });

  it('refuses a page past a configured cap (multicloudGitops.maxUpstreamAnswerMiB), and reads one under it', async () => {
    const padded = (mib: number) =>
      searchPage([
        { ...item('east', 'a'), pad: 'x'.repeat(mib * 1024 * 1024) },
      ]).toString();
    answer = () => ({ status: 200, body: padded(2) });
    const store = start(1024 * 1024);
    const failing = await polled(store);
    expect(failing.message).toContain(
      `answer from ${search.url} is larger than 1 MiB: refused`,
    );
    await source?.stop();
    answer = () => ({ status: 200, body: padded(2) });
    const roomy = start(4 * 1024 * 1024);
    expect((await polled(roomy)).state).toBe('ok');
    expect(roomy.searchApps.map(a => a.name)).toEqual(['a']);
  });
});
