import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { GitSource } from '../patterns/gitSource';
import { seededPatternFiles } from './patternRepo';
import { groupAppDefs } from './generate';
import { writeSeededPatternRepo } from './patternRepoWrite';

/** The folder's files over HTTP, as the example portal serves its local repositories. */
async function serveStatic(root: string) {
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(req.url!.split('?')[0]));
    if (
      !file.startsWith(root) ||
      !fs.existsSync(file) ||
      fs.statSync(file).isDirectory()
    ) {
      res.writeHead(404).end();
      return;
    }
    res
      .writeHead(200, { 'content-type': 'text/plain' })
      .end(fs.readFileSync(file));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise(r => server.close(r)),
  };
}

describe('writeSeededPatternRepo', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seeded-repo-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the seeded values files and a chart per path app, which a Pattern can fetch over dumb HTTP; an existing repo is kept', async () => {
    const repoDir = path.join(dir, 'multicloud-gitops.git');
    const o = { pattern: 'multicloud-gitops', groups: 3, appsPerCluster: 5 };
    const written = await writeSeededPatternRepo(repoDir, o);
    expect(written.created).toBe(true);
    const server = await serveStatic(dir);
    const source = new GitSource();
    try {
      const snap = await source.fetch(
        `${server.url}/multicloud-gitops.git`,
        'main',
      );
      expect(snap.commit).toBe(written.commit);
      const want = seededPatternFiles({
        pattern: 'multicloud-gitops',
        groups: ['group-one', 'group-two', 'group-three'],
        groupApps: groupAppDefs(5),
      });
      expect(Object.fromEntries(snap.valuesFiles)).toEqual(want);
      expect(await snap.treeId('charts/all/hello-world')).toMatch(
        /^[0-9a-f]{40}$/,
      );
      // the extra team app the fifth app slot adds is a path app too
      expect(await snap.treeId('charts/apps/catalog')).toMatch(
        /^[0-9a-f]{40}$/,
      );
    } finally {
      source.dispose();
      await server.close();
    }
    expect(await writeSeededPatternRepo(repoDir, o)).toEqual({
      created: false,
      commit: written.commit,
    });
  });

  it('refuses a folder that holds something else', async () => {
    const repoDir = path.join(dir, 'x.git');
    fs.mkdirSync(repoDir);
    fs.writeFileSync(path.join(repoDir, 'notes.txt'), 'mine');
    await expect(writeSeededPatternRepo(repoDir)).rejects.toThrow(
      'exists and is not a git repository',
    );
    expect(fs.readdirSync(repoDir)).toEqual(['notes.txt']);
  });
});
