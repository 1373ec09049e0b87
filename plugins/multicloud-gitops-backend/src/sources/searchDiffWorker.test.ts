import { item, names, page } from '../__testUtils__/searchItems';
import { PollDiff, SearchAnswerError } from './searchDiffWorker';

describe('PollDiff (what the Search worker hands back)', () => {
  it('hands back every item of the first poll, then only what changed and the keys gone', () => {
    const diff = new PollDiff();
    diff.begin();
    const first = diff.page(
      page([item('c1', 'a'), item('c1', 'b'), { name: 'no-cluster' }]),
    );
    expect(first.count).toBe(3);
    expect(first.unkeyed).toBe(1);
    expect(first.changed).toHaveLength(3);
    const second = diff.page(page([item('c2', 'a')]));
    expect(names(second.changed)).toEqual(['c2/a']);
    expect(diff.commit()).toEqual({ removed: [], complete: true });

    diff.begin();
    const again = diff.page(
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
    expect(diff.commit()).toEqual({
      removed: ['c2/openshift-gitops/a'],
      complete: false,
    });

    diff.begin();
    const unchanged = diff.page(
      page([
        item('c1', 'a'),
        item('c1', 'b', { syncStatus: 'OutOfSync' }),
        item('c3', 'new'),
      ]),
    );
    expect(unchanged.changed).toEqual([]);
    expect(diff.commit()).toEqual({ removed: [], complete: false });
  });

  it('finds items in any valid JSON: escapes, nested values, white space, other members', () => {
    const diff = new PollDiff();
    const tricky = item('c1', 'quote"}{]', {
      label: 'a=b; c=[d]',
      note: 'back\\slash\\',
      nested: { list: [1, { x: '}' }], empty: [] },
      unicode: 'réplica ✓',
    });
    const text = [
      ' {"extensions" : {"items": [{"cluster":"decoy","name":"x"}]},',
      '"data" : { "other": [ {"items":[]} ], "searchResult" : [ { "count": 2, "items" : [',
      `  ${JSON.stringify(tricky)} ,`,
      `  ${JSON.stringify(item('c2', 'plain'))}`,
      '] }, {"items": [{"cluster":"decoy","name":"y"}]} ] }, "errors": [] }\n',
    ].join('\n');
    diff.begin();
    const first = diff.page(Buffer.from(text));
    expect(first.count).toBe(2);
    expect(first.changed).toEqual([tricky, item('c2', 'plain')]);
    diff.commit();

    // The same bytes again: nothing changed. The same meaning written otherwise is parsed
    // again and handed back (the store's comparison makes no new version of it).
    diff.begin();
    expect(diff.page(Buffer.from(text)).changed).toEqual([]);
    diff.commit();
    diff.begin();
    const reordered = diff.page(
      Buffer.from(
        JSON.stringify(
          {
            data: { searchResult: [{ items: [tricky, item('c2', 'plain')] }] },
          },
          null,
          2,
        ),
      ),
    );
    expect(reordered.changed).toEqual([tricky, item('c2', 'plain')]);
    expect(diff.commit()).toEqual({ removed: [], complete: false });

    // An escaped member name is still that member.
    diff.begin();
    const escaped = diff.page(
      Buffer.from(
        `{"data":{"searchResult":[{"\\u0069tems":[${JSON.stringify(
          item('c3', 'escaped'),
        )}]}]}}`,
      ),
    );
    expect(names(escaped.changed)).toEqual(['c3/escaped']);
  });

  it('rejects a cut-off or broken answer, whichever part is broken, and keeps the last poll', () => {
    const diff = new PollDiff();
    const good = page([item('c1', 'a'), item('c1', 'b')]);
    diff.begin();
    diff.page(good);
    diff.commit();

    const broken = [
      good.subarray(0, good.length - 3), // cut off after the items
      good.subarray(0, good.indexOf('"c1",') + 2), // cut off inside a string
      Buffer.from(good.toString().replace('},{', '}{')), // no comma between items
      Buffer.from(good.toString().replace('"Synced"', '"Syn\\u12"')), // a bad escape
      Buffer.from(`${good.toString()} trailing`),
      Buffer.from('null'),
    ];
    for (const bytes of broken) {
      diff.begin();
      expect(() => diff.page(bytes)).toThrow(
        /ACM Search answer could not be read/,
      );
      diff.abort();
    }

    // Every failed poll was dropped: the next good one is compared with the first.
    diff.begin();
    const again = diff.page(page([item('c1', 'a')]));
    expect(again.changed).toEqual([]);
    expect(diff.commit()).toEqual({
      removed: ['c1/openshift-gitops/b'],
      complete: false,
    });
  });

  it('hands back a key that appears twice in one poll, each time it appears', () => {
    const diff = new PollDiff();
    diff.begin();
    diff.page(page([item('c1', 'a')]));
    diff.commit();
    diff.begin();
    const twice = diff.page(
      page([item('c1', 'a'), item('c1', 'a', { healthStatus: 'Degraded' })]),
    );
    expect(twice.changed).toEqual([
      item('c1', 'a', { healthStatus: 'Degraded' }),
    ]);
    const same = diff.page(page([item('c1', 'a')]));
    expect(same.changed).toEqual([item('c1', 'a')]);
    expect(diff.commit()).toEqual({ removed: [], complete: false });
  });

  it('hands back an item that changes back to bytes it had before, and never a key that only changed', () => {
    const diff = new PollDiff();
    const poll = (items: unknown[]) => {
      diff.begin();
      const { changed } = diff.page(page(items));
      return { changed: names(changed), ...diff.commit() };
    };
    const healthy = item('c1', 'a');
    const degraded = item('c1', 'a', { healthStatus: 'Degraded' });
    poll([healthy, item('c1', 'b')]);
    expect(poll([degraded, item('c1', 'b')])).toEqual({
      changed: ['c1/a'],
      removed: [],
      complete: false,
    });
    // Back to the first bytes: a change, though the poll before last had them.
    expect(poll([healthy, item('c1', 'b')])).toEqual({
      changed: ['c1/a'],
      removed: [],
      complete: false,
    });
    expect(poll([healthy, item('c1', 'b')]).changed).toEqual([]);
    // A poll that failed part way leaves the last complete one as it was.
    diff.begin();
    expect(names(diff.page(page([degraded])).changed)).toEqual(['c1/a']);
    diff.abort();
    expect(poll([healthy, item('c1', 'b')]).changed).toEqual([]);
  });

  it('keeps a key that a poll returned twice, in old and new bytes, until neither comes', () => {
    const diff = new PollDiff();
    diff.begin();
    diff.page(page([item('c1', 'a')]));
    diff.commit();
    // Paged by offset while the item changed: it came twice, in both forms.
    diff.begin();
    diff.page(page([item('c1', 'a')]));
    diff.page(page([item('c1', 'a', { healthStatus: 'Degraded' })]));
    diff.commit();
    diff.begin();
    diff.page(page([item('c1', 'a', { healthStatus: 'Degraded' })]));
    expect(diff.commit().removed).toEqual([]);
    diff.begin();
    expect(diff.commit().removed).toEqual(['c1/openshift-gitops/a']);
  });

  it('says why an answer is not a page: a GraphQL error, no items, or not JSON', () => {
    const diff = new PollDiff();
    const wrong = (text: string, message: string | RegExp) => {
      diff.begin();
      expect(() => diff.page(Buffer.from(text))).toThrow(SearchAnswerError);
      expect(() => diff.page(Buffer.from(text))).toThrow(message);
    };
    wrong(
      JSON.stringify({ errors: [{ message: 'search down' }] }),
      'ACM Search answered an error: search down',
    );
    wrong(
      '{"data": {}}',
      'ACM Search answered without data.searchResult[0].items',
    );
    wrong('{"data": [1, 2', /^ACM Search answer could not be read: /);
    // An empty errors list is no error.
    expect(
      diff.page(
        Buffer.from(
          '{"errors": [], "data": {"searchResult": [{"items": []}]}}',
        ),
      ),
    ).toEqual({ count: 0, changed: [], unkeyed: 0 });
  });
});
