import { revisionSpread, RevisionFirstSeen } from './spread';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const on = (revision: string | undefined, ...clusters: string[]) =>
  clusters.map(cluster => ({ name: 'hello-world', cluster, revision }));

describe('revisionSpread', () => {
  it('names the revision that arrived later as leading and the others as lagging', () => {
    const seen = new RevisionFirstSeen();
    const before = revisionSpread(
      'hub',
      'hello-world',
      [...on(A, 'c1', 'c2', 'c3', 'c4'), { name: 'other', cluster: 'c1' }],
      seen,
    );
    expect(before).toEqual({
      hub: 'hub',
      application: 'hello-world',
      total: 4,
      revisions: [{ revision: A, clusters: ['c1', 'c2', 'c3', 'c4'] }],
      leading: A,
      lagging: [],
      unknown: [],
    });
    // the new commit reaches half the clusters: the other half lag, though they are as many
    const after = revisionSpread(
      'hub',
      'hello-world',
      [...on(A, 'c4', 'c2'), ...on(B, 'c3', 'c1'), ...on(undefined, 'c5')],
      seen,
    );
    expect(after.revisions).toEqual([
      { revision: B, clusters: ['c1', 'c3'] },
      { revision: A, clusters: ['c2', 'c4'] },
    ]);
    expect(after.leading).toBe(B);
    expect(after.lagging).toEqual(['c2', 'c4']);
    expect(after.unknown).toEqual(['c5']);
    expect(after.total).toBe(5);
  });

  it('leads with the revision on most clusters when all were first seen together, and names none on a tie', () => {
    const most = revisionSpread(
      'hub',
      'hello-world',
      [...on(A, 'c1'), ...on(B, 'c2', 'c3')],
      new RevisionFirstSeen(),
    );
    expect(most.leading).toBe(B);
    expect(most.lagging).toEqual(['c1']);
    const tie = revisionSpread(
      'hub',
      'hello-world',
      [...on(A, 'c1'), ...on(B, 'c2')],
      new RevisionFirstSeen(),
    );
    expect(tie.leading).toBeUndefined();
    expect(tie.lagging).toEqual([]);
  });

  it('stays bounded', () => {
    const seen = new RevisionFirstSeen(4);
    for (let i = 0; i < 10; i++) {
      seen.order('hub/app', [`r${i}`]);
      expect(seen.size).toBeLessThanOrEqual(4);
    }
    // forgotten revisions count as new when seen again; the map never outgrows its bound
    expect(seen.order('hub/app', ['r9']).get('r9')).toBe(10);
    expect(seen.order('hub/app', ['r0']).get('r0')).toBe(12);
  });
});
