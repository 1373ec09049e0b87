import nodeFs from 'node:fs';
import fs from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import git from 'isomorphic-git';
import { REPO_NAME } from './localRepo';
import { checkRepoRelativePath } from '../pattern/safePath';

/**
 * Only these files of a bare repository are served: what a dumb-HTTP
 * `git clone` needs. Config, hooks, locks and anything else stay private.
 */
const SERVED = [
  /^HEAD$/,
  /^info\/refs$/,
  /^objects\/info\/packs$/,
  /^objects\/[0-9a-f]{2}\/[0-9a-f]{38}$/,
  /^objects\/pack\/pack-[0-9a-f]{40}\.(pack|idx)$/,
];

function send(
  res: ServerResponse,
  status: number,
  body: string | Buffer,
  type = 'text/plain; charset=utf-8',
) {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-cache' });
  res.end(body);
}

/**
 * A read-only HTTP handler for the repositories publish:local writes, for the
 * backend to mount (e.g. under /api/<plugin>/git). Serves
 *
 * - `/<repo>.git/...`: the files of a dumb-HTTP clone (`git clone <baseUrl>/<repo>.git`);
 * - `/<repo>.git/raw/<branch>/<path>`: one file of a branch, so the catalog
 *   can read a pattern's catalog-info.yaml (publish:local's catalogInfoUrl).
 *
 * Every name is checked before it touches the disk; the handler never writes.
 *
 * @public
 */
export function createLocalGitHttpHandler(options: { rootDir: string }) {
  const root = path.resolve(options.rootDir);
  return async (
    req: Pick<IncomingMessage, 'method' | 'url'>,
    res: ServerResponse,
  ): Promise<void> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'read-only\n');
      return;
    }
    const pathname = decodeURIComponent(
      new URL(req.url ?? '/', 'http://x').pathname,
    );
    const m = /^\/([^/]+)\.git\/(.+)$/.exec(pathname);
    if (!m || !REPO_NAME.test(m[1]) || m[1].includes('..')) {
      send(res, 404, 'not found\n');
      return;
    }
    const repoDir = path.join(root, `${m[1]}.git`);
    const rest = m[2];
    try {
      const raw = /^raw\/([A-Za-z0-9][-A-Za-z0-9_.]*)\/(.+)$/.exec(rest);
      if (raw) {
        if (checkRepoRelativePath(raw[2]) || raw[1].includes('..')) {
          send(res, 404, 'not found\n');
          return;
        }
        const oid = await git.resolveRef({
          fs: nodeFs,
          gitdir: repoDir,
          ref: `refs/heads/${raw[1]}`,
        });
        const { blob } = await git.readBlob({
          fs: nodeFs,
          gitdir: repoDir,
          oid,
          filepath: raw[2],
        });
        send(res, 200, Buffer.from(blob));
        return;
      }
      if (!SERVED.some(re => re.test(rest))) {
        send(res, 404, 'not found\n');
        return;
      }
      // `info/refs?service=git-upload-pack` is the smart-protocol probe; the
      // plain file answer makes git fall back to the dumb protocol.
      const body = await fs.readFile(path.join(repoDir, rest));
      send(
        res,
        200,
        body,
        rest.startsWith('objects/')
          ? 'application/x-git-loose-object'
          : 'text/plain; charset=utf-8',
      );
    } catch {
      send(res, 404, 'not found\n');
    }
  };
}
