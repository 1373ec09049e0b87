import fs from 'node:fs';
import { GitSource, GitSourceError, redactUrl } from './gitSource';
import { startTestRepo, TestRepo } from './testGitServer';

describe('GitSource', () => {
  let repo: TestRepo;
  let source: GitSource;
  beforeEach(async () => {
    repo = await startTestRepo();
    source = new GitSource();
  });
  afterEach(async () => {
    source.dispose();
    await repo.close();
  });

  it('fetches a branch over smart HTTP and reads its values files at that commit', async () => {
    const first = repo.commit(
      {
        'values-global.yaml': 'global: {pattern: p}\n',
        'values-hub.yaml': 'clusterGroup: {name: hub}\n',
        'charts/all/app/Chart.yaml': 'name: app\n',
        'README.md': 'not a values file\n',
      },
      'first',
    );
    const snap = await source.fetch(repo.url, 'main');
    expect(snap.commit).toBe(first);
    expect([...snap.valuesFiles.keys()]).toEqual([
      'values-global.yaml',
      'values-hub.yaml',
    ]);
    expect(snap.valuesFiles.get('values-hub.yaml')).toBe(
      'clusterGroup: {name: hub}\n',
    );
    const chartTree = await snap.treeId('charts/all/app');
    expect(chartTree).toMatch(/^[0-9a-f]{40}$/);
    expect(await snap.treeId('charts/none')).toBeUndefined();

    const second = repo.commit({
      'values-hub.yaml': 'clusterGroup: {name: x}\n',
    });
    const next = await source.fetch(repo.url, 'main');
    expect(next.commit).toBe(second);
    expect(next.valuesFiles.get('values-hub.yaml')).toBe(
      'clusterGroup: {name: x}\n',
    );
    // the chart folder did not change: same tree id; the older snapshot still reads its commit
    expect(await next.treeId('charts/all/app')).toBe(chartTree);
    expect(snap.valuesFiles.get('values-hub.yaml')).toBe(
      'clusterGroup: {name: hub}\n',
    );
  });

  it('fetches from a static file server (dumb HTTP): a branch, a tag, HEAD, new commits, and says when objects are packed', async () => {
    const first = repo.commit(
      {
        'values-global.yaml': 'global: {pattern: p}\n',
        'values-hub.yaml': 'clusterGroup: {name: hub}\n',
        'charts/all/app/Chart.yaml': 'name: app\n',
      },
      'first',
    );
    repo.tag('v1', true);
    const snap = await source.fetch(repo.dumbUrl, 'main');
    expect(snap.commit).toBe(first);
    expect(snap.valuesFiles.get('values-hub.yaml')).toBe(
      'clusterGroup: {name: hub}\n',
    );
    expect(await snap.treeId('charts/all/app')).toMatch(/^[0-9a-f]{40}$/);
    expect((await source.fetch(repo.dumbUrl, 'v1')).commit).toBe(first);
    expect((await source.fetch(repo.dumbUrl, 'HEAD')).commit).toBe(first);
    expect(await source.revisionMetadata(repo.dumbUrl, first)).toMatchObject({
      message: 'first',
      tags: ['v1'],
    });

    const second = repo.commit({
      'values-hub.yaml': 'clusterGroup: {name: x}\n',
    });
    const next = await source.fetch(repo.dumbUrl, 'main');
    expect(next.commit).toBe(second);
    expect(next.valuesFiles.get('values-hub.yaml')).toBe(
      'clusterGroup: {name: x}\n',
    );
    await expect(source.fetch(repo.dumbUrl, 'nope')).rejects.toThrow(
      'revision nope not found',
    );

    repo.pack();
    const third = repo.commit({
      'values-hub.yaml': 'clusterGroup: {name: y}\n',
    });
    repo.pack();
    await expect(source.fetch(repo.dumbUrl, third)).rejects.toThrow(
      /packed repository needs git's smart HTTP protocol/,
    );
  });

  it('can be stopped while a fetch runs, and removes its folder once the fetch settled', async () => {
    repo.commit({ 'values-hub.yaml': 'a: 1\n' });
    await source.fetch(repo.url, 'main');
    const root = (source as unknown as { root: string }).root;
    expect(fs.existsSync(root)).toBe(true);
    repo.commit({ 'values-hub.yaml': 'a: 2\n' });
    const inFlight = source.fetch(repo.url, 'main');
    expect(() => source.dispose()).not.toThrow();
    await inFlight.catch(() => undefined);
    await new Promise(r => setImmediate(r));
    expect(fs.existsSync(root)).toBe(false);
    await expect(source.fetch(repo.url, 'main')).rejects.toThrow(
      'the git source was stopped',
    );
  });

  it('resolves HEAD, annotated tags and full commit ids', async () => {
    const first = repo.commit({ 'values-hub.yaml': 'a: 1\n' }, 'first');
    repo.tag('v1.0', true);
    const second = repo.commit({ 'values-hub.yaml': 'a: 2\n' }, 'second');
    expect((await source.fetch(repo.url, 'HEAD')).commit).toBe(second);
    expect((await source.fetch(repo.url, 'v1.0')).commit).toBe(first);
    const bySha = await source.fetch(repo.url, first);
    expect(bySha.valuesFiles.get('values-hub.yaml')).toBe('a: 1\n');
  });

  it('answers revision metadata of fetched commits, by commit or by branch', async () => {
    const at = new Date('2026-11-30T08:15:00Z');
    const c = repo.commit(
      { 'values-hub.yaml': 'a: 1\n' },
      'Add the hub group',
      at,
    );
    repo.tag('release-1');
    expect(await source.revisionMetadata(repo.url, c)).toBeUndefined();
    await source.fetch(repo.url, 'main');
    const meta = {
      author: 'Pat Tern <pat@example.com>',
      date: '2026-11-30T08:15:00Z',
      message: 'Add the hub group',
      tags: ['release-1'],
    };
    expect(await source.revisionMetadata(repo.url, c)).toEqual(meta);
    expect(await source.revisionMetadata(repo.url, c.slice(0, 7))).toEqual(
      meta,
    );
    expect(await source.revisionMetadata(repo.url, 'main')).toEqual(meta);
    expect(
      await source.revisionMetadata('https://other.example.com/x.git', c),
    ).toBeUndefined();
  });

  it('fails with a clear error for a missing branch or an unreachable repo', async () => {
    repo.commit({ 'values-hub.yaml': 'a: 1\n' });
    await expect(source.fetch(repo.url, 'nope')).rejects.toThrow(
      GitSourceError,
    );
    await expect(source.fetch(repo.url, 'nope')).rejects.toThrow(
      `failed to fetch ${repo.url}`,
    );
    await expect(
      source.fetch(`${repo.url.replace('pattern.git', 'missing.git')}`, 'main'),
    ).rejects.toThrow(GitSourceError);
  });

  it('never repeats credentials of a URL', () => {
    expect(redactUrl('https://user:s3cret@git.example.com/a.git')).toBe(
      'https://git.example.com/a.git',
    );
  });
});
