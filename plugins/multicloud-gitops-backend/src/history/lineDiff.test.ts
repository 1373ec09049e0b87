import { unifiedDiff } from './lineDiff';

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'desired', 'live')).toBe('');
  });

  it('writes one hunk with context around a changed line, as diff -u does', () => {
    const from = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].join('\n');
    const to = ['a', 'b', 'c', 'd', 'E', 'f', 'g', 'h'].join('\n');
    expect(unifiedDiff(from, to, 'desired', 'live')).toBe(
      [
        '--- desired',
        '+++ live',
        '@@ -2,7 +2,7 @@',
        ' b',
        ' c',
        ' d',
        '-e',
        '+E',
        ' f',
        ' g',
        ' h',
        '',
      ].join('\n'),
    );
  });

  it('splits distant changes into hunks and numbers insertions and deletions', () => {
    const from = Array.from({ length: 20 }, (_, i) => `l${i + 1}`);
    const to = [...from];
    to.splice(1, 1); // drop l2
    to.splice(15, 0, 'new'); // insert before l17
    const diff = unifiedDiff(from.join('\n'), to.join('\n'), 'a', 'b', 1);
    expect(diff.split('\n').filter(l => l.startsWith('@@'))).toEqual([
      '@@ -1,3 +1,2 @@',
      '@@ -16,2 +15,3 @@',
    ]);
    expect(diff).toContain('\n-l2\n');
    expect(diff).toContain('\n+new\n');
  });

  it('diffs against nothing (a resource missing on the cluster)', () => {
    expect(unifiedDiff('a\nb\n', '', 'desired', 'live')).toBe(
      '--- desired\n+++ live\n@@ -1,2 +0,0 @@\n-a\n-b\n',
    );
  });
});
