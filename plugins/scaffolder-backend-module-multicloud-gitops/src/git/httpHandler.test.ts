import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createLocalGitHttpHandler } from './httpHandler';
import { publishToBareRepo } from './localRepo';
import { copyReferencePattern, snapshotDir } from '../__testUtils__/fixtures';

describe('createLocalGitHttpHandler', () => {
  let root: string;
  let server: http.Server;
  let base: string;
  let workspace: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-serve-'));
    workspace = copyReferencePattern();
    fs.writeFileSync(
      path.join(workspace, 'catalog-info.yaml'),
      'apiVersion: backstage.io/v1alpha1\nkind: System\nmetadata: {name: p}\n',
    );
    await publishToBareRepo({
      sourceDir: workspace,
      repoDir: path.join(root, 'p.git'),
      branch: 'main',
      message: 'init',
      author: { name: 't', email: 't@t' },
    });
    const handler = createLocalGitHttpHandler({ rootDir: root });
    server = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('serves a repository git can clone over HTTP', async () => {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-http-clone-'));
    // Async: the server answering git runs in this very process.
    await promisify(execFile)(
      'git',
      ['clone', '--quiet', `${base}/p.git`, clone],
      { timeout: 30_000 },
    );
    const files = snapshotDir(clone);
    expect(files['values-hub.yaml']).toBe(
      fs.readFileSync(path.join(workspace, 'values-hub.yaml'), 'utf8'),
    );
    expect(files['catalog-info.yaml']).toContain('kind: System');
  });

  it('serves one file of a branch for the catalog', async () => {
    const res = await fetch(`${base}/p.git/raw/main/catalog-info.yaml`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('kind: System');
    expect((await fetch(`${base}/p.git/raw/main/missing.yaml`)).status).toBe(
      404,
    );
  });

  it.each([
    '/p.git/config',
    '/p.git/hooks/pre-receive',
    '/p.git/multicloud-gitops-publish.lock',
    '/..%2F..%2Fetc/passwd.git/HEAD',
    '/p.git/raw/main/..%2F..%2Fconfig',
    '/other.git/HEAD',
  ])('refuses %s', async p => {
    const res = await fetch(`${base}${p}`);
    expect(res.status).toBe(404);
  });

  it('is read-only', async () => {
    expect(
      (await fetch(`${base}/p.git/info/refs`, { method: 'POST' })).status,
    ).toBe(405);
  });
});
