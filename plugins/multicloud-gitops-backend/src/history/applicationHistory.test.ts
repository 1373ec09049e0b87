import {
  historyEntries,
  normalizedYaml,
  resourceDiffs,
  rollbackRefusal,
  withCommits,
} from './applicationHistory';

const deployment = (replicas: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'app', ...extra },
    spec: { replicas, template: { spec: { containers: [{ name: 'web' }] } } },
  });

describe('application history and diff', () => {
  it('lists history newest first, marks the current entry and names who started it', () => {
    const entries = historyEntries({
      status: {
        history: [
          { id: 1, revision: 'a'.repeat(40), initiatedBy: { automated: true } },
          {
            id: 2,
            revisions: ['b'.repeat(40), '0.9.1'],
            deployedAt: '2026-12-01T00:00:00Z',
            initiatedBy: { username: 'alice' },
          },
          { revision: 'no id' },
        ],
      },
    });
    expect(entries).toEqual([
      {
        id: 2,
        revision: 'b'.repeat(40),
        deployedAt: '2026-12-01T00:00:00Z',
        initiatedBy: 'alice',
        current: true,
      },
      {
        id: 1,
        revision: 'a'.repeat(40),
        initiatedBy: 'automated',
        current: false,
      },
    ]);
  });

  it('adds commits, and says why one could not be read', async () => {
    const h = await withCommits(
      {
        spec: { syncPolicy: {} },
        status: {
          history: [
            { id: 1, revision: 'a'.repeat(40) },
            { id: 2, revision: '0.9.1' },
            { id: 3, revision: 'c'.repeat(40) },
          ],
        },
      },
      { hub: 'hub', cluster: 'east', application: 'web', through: 'argocd:x' },
      async revision => {
        if (revision.startsWith('c'))
          throw new Error('HTTP 500: checkout failed\nmore');
        return { author: 'Ana', date: '2026-12-01T00:00:00Z', message: 'm' };
      },
    );
    expect(h.rollbackAllowed).toBe(true);
    expect(h.entries.map(e => [e.id, e.commit?.author, e.commitError])).toEqual(
      [
        [3, undefined, 'HTTP 500: checkout failed'],
        [2, undefined, '0.9.1 is a chart version, not a commit'],
        [1, 'Ana', undefined],
      ],
    );
    const unread = await withCommits(
      { status: { history: [{ id: 1, revision: 'a'.repeat(40) }] } },
      { hub: 'hub', cluster: 'east', application: 'web', through: 'hub' },
      undefined,
      'no instance reads the repository',
    );
    expect(unread.entries[0].commitError).toBe(
      'no instance reads the repository',
    );
    expect(
      rollbackRefusal({ spec: { syncPolicy: { automated: {} } } }),
    ).toMatch(/auto-sync/);
    expect(
      rollbackRefusal({ status: { operationState: { phase: 'Running' } } }),
    ).toBe('Another operation is in progress');
  });

  it('diffs normalised YAML of desired against live, ignoring what the cluster writes', () => {
    const [changed, same, missing] = resourceDiffs([
      {
        kind: 'Deployment',
        name: 'web',
        namespace: 'app',
        predictedLiveState: deployment(2),
        normalizedLiveState: deployment(4, {
          uid: 'u',
          resourceVersion: '9',
          managedFields: [{}],
        }),
        modified: true,
      },
      {
        kind: 'Deployment',
        name: 'same',
        targetState: deployment(1),
        liveState: deployment(1, { creationTimestamp: '2026-01-01T00:00:00Z' }),
        modified: false,
      },
      {
        kind: 'ConfigMap',
        name: 'gone',
        targetState: deployment(1),
        liveState: 'null',
      },
    ]);
    expect(changed.diff).toContain('-  replicas: 2\n+  replicas: 4\n');
    expect(changed.diff).not.toContain('uid');
    expect(same).toMatchObject({
      modified: false,
      diff: '',
      group: '',
      namespace: '',
    });
    expect(missing.modified).toBe(true);
    expect(missing.diff).toMatch(/^@@ -1,\d+ \+0,0 @@$/m);
    // fields the client library's models do not know are kept
    expect(
      normalizedYaml({ apiVersion: 'v1', kind: 'X', spec: { custom: 1 } }),
    ).toBe('apiVersion: v1\nkind: X\nspec:\n  custom: 1\n');
  });
});
