/* A pattern repo served over git's smart HTTP protocol, for the tests (not part of the package API). */
import { execFileSync, spawn } from 'child_process';
import fs from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';

const AUTHOR = {
  GIT_AUTHOR_NAME: 'Pat Tern',
  GIT_AUTHOR_EMAIL: 'pat@example.com',
  GIT_COMMITTER_NAME: 'Pat Tern',
  GIT_COMMITTER_EMAIL: 'pat@example.com',
};

export interface TestRepo {
  /** the clone URL (`http://127.0.0.1:<port>/pattern.git`) */
  url: string;
  /** the same repo as static files only (git's dumb HTTP protocol) */
  dumbUrl: string;
  /** pack every object (`git gc`), as a repo served by a dumb server may be */
  pack(): void;
  /** write files (undefined deletes one) and commit them; returns the commit id */
  commit(
    files: Record<string, string | undefined>,
    message?: string,
    at?: Date,
  ): string;
  tag(name: string, annotated?: boolean): void;
  close(): Promise<void>;
}

/** A git repo in a temp folder, served read-only through `git http-backend`. */
export async function startTestRepo(): Promise<TestRepo> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'pattern-repo-'));
  const dir = path.join(root, 'pattern');
  fs.mkdirSync(dir);
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync('git', args, {
      cwd: dir,
      env: { ...process.env, ...AUTHOR, ...env },
      encoding: 'utf8',
    }).trim();
  run(['init', '-q', '-b', 'main']);

  const server = http.createServer((req, res) => {
    const u = new URL(req.url!, 'http://x');
    if (u.pathname.startsWith('/dumb/pattern.git/')) {
      // a static file server: the files of .git as they are, nothing else
      const rel = decodeURIComponent(
        u.pathname.slice('/dumb/pattern.git/'.length),
      );
      const file = path.join(dir, '.git', rel);
      if (
        rel.includes('..') ||
        !fs.existsSync(file) ||
        !fs.statSync(file).isFile()
      ) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(fs.readFileSync(file));
      return;
    }
    const cgi = spawn('git', ['http-backend'], {
      env: {
        ...process.env,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(u.pathname).replace(
          /^\/pattern\.git/,
          '/pattern',
        ),
        QUERY_STRING: u.search.slice(1),
        REQUEST_METHOD: req.method!,
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_ADDR: '127.0.0.1',
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', c => chunks.push(c));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      let status = 200;
      const headers: Record<string, string> = {};
      for (const line of head.split('\r\n')) {
        const i = line.indexOf(':');
        const k = line.slice(0, i).trim();
        const v = line.slice(i + 1).trim();
        if (k.toLowerCase() === 'status') status = parseInt(v, 10);
        else headers[k] = v;
      }
      res.writeHead(status, headers);
      res.end(out.subarray(split + 4));
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/pattern.git`,
    dumbUrl: `http://127.0.0.1:${port}/dumb/pattern.git`,
    pack() {
      run(['gc', '-q']);
      run(['update-server-info']);
    },
    commit(files, message = 'update', at = new Date('2026-12-01T10:00:00Z')) {
      for (const [name, text] of Object.entries(files)) {
        const f = path.join(dir, name);
        if (text === undefined) fs.rmSync(f, { force: true });
        else {
          fs.mkdirSync(path.dirname(f), { recursive: true });
          fs.writeFileSync(f, text);
        }
      }
      const date = at.toISOString();
      run(['add', '-A']);
      run(['commit', '-q', '--allow-empty', '-m', message], {
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      });
      run(['update-server-info']);
      return run(['rev-parse', 'HEAD']);
    },
    tag(name, annotated = false) {
      run(annotated ? ['tag', '-a', name, '-m', name] : ['tag', name]);
      run(['update-server-info']);
    },
    close: async () => {
      await new Promise<void>(r => server.close(() => r()));
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
