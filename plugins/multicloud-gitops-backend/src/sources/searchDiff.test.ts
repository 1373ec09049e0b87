import { SearchAnswerError, SearchDiff } from './searchDiff';

const item = (cluster: string, name: string, extra: object = {}) => ({
  kind: 'Application',
  apigroup: 'argoproj.io',
  cluster,
  namespace: 'openshift-gitops',
  name,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  ...extra,
});
const page = (items: unknown[]) =>
  Buffer.from(JSON.stringify({ data: { searchResult: [{ items }] } }));
const names = (xs: unknown[]) =>
  xs.map(x => `${(x as any).cluster}/${(x as any).name}`).sort();

describe('SearchDiff (the worker that parses Search pages)', () => {
  let diff: SearchDiff;
  beforeEach(() => {
    diff = new SearchDiff();
  });
  afterEach(() => diff.close());

  it('hands back every item of the first poll, then only what changed and the keys gone', async () => {
    diff.begin();
    const first = await diff.page(
      page([item('c1', 'a'), item('c1', 'b'), { name: 'no-cluster' }]),
    );
    expect(first.count).toBe(3);
    expect(first.unkeyed).toBe(1);
    expect(first.changed).toHaveLength(3);
    const second = await diff.page(page([item('c2', 'a')]));
    expect(names(second.changed)).toEqual(['c2/a']);
    expect(await diff.commit()).toEqual({ removed: [], complete: true });

    diff.begin();
    const again = await diff.page(
      page([
        item('c1', 'a'),
        item('c1', 'b', { syncStatus: 'OutOfSync' }),
        item('c3', 'new'),
        { name: 'no-cluster' },
      ]),
    );
    // Malformed items always come back, so the caller can count them every poll.
    expect(names(again.changed)).toEqual([
      'c1/b',
      'c3/new',
      'undefined/no-cluster',
    ]);
    expect(await diff.commit()).toEqual({
      removed: ['c2/openshift-gitops/a'],
      complete: false,
    });

    diff.begin();
    const unchanged = await diff.page(
      page([
        item('c1', 'a'),
        item('c1', 'b', { syncStatus: 'OutOfSync' }),
        item('c3', 'new'),
      ]),
    );
    expect(unchanged.changed).toEqual([]);
    expect(await diff.commit()).toEqual({ removed: [], complete: false });
  });

  it('reports a GraphQL error or an unreadable answer, and compares the next poll with the last complete one', async () => {
    diff.begin();
    await diff.page(page([item('c1', 'a')]));
    await diff.commit();

    diff.begin();
    await diff.page(page([item('c1', 'a', { healthStatus: 'Degraded' })]));
    await expect(
      diff.page(
        Buffer.from(JSON.stringify({ errors: [{ message: 'search down' }] })),
      ),
    ).rejects.toThrow(
      new SearchAnswerError('ACM Search answered an error: search down'),
    );
    diff.abort();

    diff.begin();
    await expect(diff.page(Buffer.from('{"data": [1, 2'))).rejects.toThrow(
      /ACM Search answer could not be read/,
    );
    await expect(diff.page(Buffer.from('{"data": {}}'))).rejects.toThrow(
      'ACM Search answered without data.searchResult[0].items',
    );
    diff.abort();

    // The failed poll's Degraded item was never committed: the same item is a change still.
    diff.begin();
    const next = await diff.page(
      page([item('c1', 'a', { healthStatus: 'Degraded' })]),
    );
    expect(names(next.changed)).toEqual(['c1/a']);
  });

  it('starts a new worker after one stopped, comparing the next poll with nothing', async () => {
    diff.begin();
    await diff.page(page([item('c1', 'a')]));
    await diff.commit();
    await diff.close();
    diff.begin();
    const fresh = await diff.page(page([item('c1', 'a')]));
    expect(fresh.changed).toHaveLength(1);
    expect((await diff.commit()).complete).toBe(true);
  });
});
