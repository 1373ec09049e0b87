import nodeFs from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import git from 'isomorphic-git';
import { InputError } from '@backstage/errors';
import { resolveInside } from '../pattern/safePath';

// A type alias (not an interface) so it is a JsonValue for ctx.checkpoint.
export type PublishResult = {
  commit: string;
  /** False when the tree equals the branch head: nothing was committed. */
  changed: boolean;
};

export interface PublishOptions {
  sourceDir: string;
  /** Path of the bare repository (created when missing). */
  repoDir: string;
  branch: string;
  message: string;
  author: { name: string; email: string };
}

/** Repository names become a single directory `<name>.git` under the root. */
export const REPO_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,98}[A-Za-z0-9])?$/;
const BRANCH = /^[A-Za-z0-9]([-A-Za-z0-9_./]{0,98}[A-Za-z0-9])?$/;

/**
 * Checks what the local-repository actions are given and returns the bare repository's path:
 * the root must be configured, the name a single safe name, the branch a valid one. Every
 * problem is an InputError naming what to fix; nothing is touched before these checks.
 */
export function localRepoDir(
  actionId: string,
  rootDir: string | undefined,
  repoName: unknown,
  branch: string,
): string {
  if (!rootDir) {
    throw new InputError(
      `${actionId} is not configured; set multicloudGitops.localGit.rootDir in app-config`,
    );
  }
  if (
    typeof repoName !== 'string' ||
    !REPO_NAME.test(repoName) ||
    repoName.includes('..')
  ) {
    throw new InputError(
      `repoName "${String(
        repoName,
      )}" must be a single name of letters, digits, "-", "_" and "." (no "/" or "..")`,
    );
  }
  const branchProblem = checkBranch(branch);
  if (branchProblem) {
    throw new InputError(branchProblem);
  }
  return resolveInside(rootDir, `${repoName}.git`, 'repoName');
}

export function checkBranch(branch: string): string | undefined {
  if (
    !BRANCH.test(branch) ||
    branch.includes('..') ||
    branch.includes('//') ||
    branch.endsWith('.lock')
  ) {
    return `branch "${branch}" is not a valid branch name; use letters, digits, "-", "_", "." and "/"`;
  }
  return undefined;
}

interface Entry {
  mode: string;
  path: string;
  oid: string;
  type: 'blob' | 'tree';
}

// git sorts tree entries by name, comparing directories as if they ended in "/".
function treeOrder(a: Entry, b: Entry): number {
  const ka = a.type === 'tree' ? `${a.path}/` : a.path;
  const kb = b.type === 'tree' ? `${b.path}/` : b.path;
  if (ka === kb) {
    return 0;
  }
  return ka < kb ? -1 : 1;
}

/**
 * Writes the directory into the bare repository as a tree, honouring
 * .gitignore (so values-secret*.yaml never gets in). Returns undefined for
 * directories with nothing to commit: git stores no empty trees.
 */
async function writeDirTree(
  root: string,
  rel: string,
  gitdir: string,
): Promise<string | undefined> {
  const entries: Entry[] = [];
  for (const e of await fs.readdir(path.join(root, rel), {
    withFileTypes: true,
  })) {
    if (e.name === '.git') {
      continue;
    }
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (await git.isIgnored({ fs: nodeFs, dir: root, filepath: child })) {
      continue;
    }
    const abs = path.join(root, child);
    if (e.isDirectory()) {
      const oid = await writeDirTree(root, child, gitdir);
      if (oid) {
        entries.push({ mode: '040000', path: e.name, oid, type: 'tree' });
      }
    } else if (e.isSymbolicLink()) {
      // Stored as a link (its target text), never followed: a link in the
      // workspace must not smuggle files from elsewhere into the repository.
      const target = await fs.readlink(abs);
      const oid = await git.writeBlob({
        fs: nodeFs,
        gitdir,
        blob: Buffer.from(target),
      });
      entries.push({ mode: '120000', path: e.name, oid, type: 'blob' });
    } else if (e.isFile()) {
      const stat = await fs.stat(abs);
      const oid = await git.writeBlob({
        fs: nodeFs,
        gitdir,
        blob: await fs.readFile(abs),
      });
      // eslint-disable-next-line no-bitwise
      const mode = stat.mode & 0o111 ? '100755' : '100644';
      entries.push({ mode, path: e.name, oid, type: 'blob' });
    }
  }
  if (entries.length === 0) {
    return undefined;
  }
  entries.sort(treeOrder);
  return git.writeTree({ fs: nodeFs, gitdir, tree: entries });
}

async function withLock<T>(repoDir: string, fn: () => Promise<T>): Promise<T> {
  const lock = path.join(repoDir, 'multicloud-gitops-publish.lock');
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.writeFile(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw e;
      }
      const age =
        Date.now() -
        (await fs
          .stat(lock)
          .then(s => s.mtimeMs)
          .catch(() => Date.now()));
      if (age > 60_000) {
        await fs.rm(lock, { force: true }); // left behind by a crashed publisher
      } else if (attempt > 100) {
        throw new Error(`${repoDir} is locked by another publish; try again`);
      } else {
        await new Promise(r => setTimeout(r, 100));
      }
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lock, { force: true });
  }
}

/** Dumb-HTTP metadata, so the repository can be cloned from a static file server. */
async function updateServerInfo(repoDir: string): Promise<void> {
  const refs: string[] = [];
  for (const ref of await git.listBranches({ fs: nodeFs, gitdir: repoDir })) {
    const oid = await git.resolveRef({
      fs: nodeFs,
      gitdir: repoDir,
      ref: `refs/heads/${ref}`,
    });
    refs.push(`${oid}\trefs/heads/${ref}\n`);
  }
  await fs.mkdir(path.join(repoDir, 'info'), { recursive: true });
  await fs.writeFile(path.join(repoDir, 'info', 'refs'), refs.sort().join(''));
  await fs.mkdir(path.join(repoDir, 'objects', 'info'), { recursive: true });
  await fs.writeFile(path.join(repoDir, 'objects', 'info', 'packs'), '');
}

/**
 * Publishes a directory to a local bare repository as one commit on top of the
 * branch head (a fast-forward push), creating the repository on first use.
 * Publishing identical content again creates no commit.
 */
export async function publishToBareRepo(
  o: PublishOptions,
): Promise<PublishResult> {
  const exists = await fs.stat(path.join(o.repoDir, 'HEAD')).then(
    () => true,
    () => false,
  );
  if (!exists) {
    const entries = await fs.readdir(o.repoDir).catch(() => [] as string[]);
    if (entries.length > 0) {
      throw new Error(
        `${o.repoDir} exists but is not a git repository; remove it or choose another repository name`,
      );
    }
    await fs.mkdir(o.repoDir, { recursive: true });
    await git.init({
      fs: nodeFs,
      dir: o.repoDir,
      gitdir: o.repoDir,
      bare: true,
      defaultBranch: o.branch,
    });
  }
  return withLock(o.repoDir, async () => {
    const gitdir = o.repoDir;
    const tree = await writeDirTree(o.sourceDir, '', gitdir);
    if (!tree) {
      throw new Error(
        'nothing to publish: the source directory is empty (or everything in it is ignored)',
      );
    }
    let parent: string | undefined;
    try {
      parent = await git.resolveRef({
        fs: nodeFs,
        gitdir,
        ref: `refs/heads/${o.branch}`,
      });
    } catch (e) {
      if ((e as { code?: string }).code !== 'NotFoundError') {
        throw e;
      }
    }
    if (parent) {
      const head = await git.readCommit({ fs: nodeFs, gitdir, oid: parent });
      if (head.commit.tree === tree) {
        return { commit: parent, changed: false };
      }
    }
    const now = Math.floor(Date.now() / 1000);
    const who = { ...o.author, timestamp: now, timezoneOffset: 0 };
    const commit = await git.writeCommit({
      fs: nodeFs,
      gitdir,
      commit: {
        message: `${o.message.trim()}\n`,
        tree,
        parent: parent ? [parent] : [],
        author: who,
        committer: who,
      },
    });
    await git.writeRef({
      fs: nodeFs,
      gitdir,
      ref: `refs/heads/${o.branch}`,
      value: commit,
      force: true,
    });
    await updateServerInfo(gitdir);
    return { commit, changed: true };
  });
}

/**
 * Writes the tree of `branch` into `targetDir` (a checkout without .git), for
 * templates that edit an existing local pattern repository. Entry names come
 * from git objects, so each one is checked before it becomes a path.
 */
export async function checkoutBareRepo(
  repoDir: string,
  branch: string,
  targetDir: string,
): Promise<string> {
  const gitdir = repoDir;
  let head: string;
  try {
    head = await git.resolveRef({
      fs: nodeFs,
      gitdir,
      ref: `refs/heads/${branch}`,
    });
  } catch {
    throw new Error(
      `branch ${branch} does not exist in ${path.basename(
        repoDir,
      )}; publish the pattern first`,
    );
  }
  const { commit } = await git.readCommit({ fs: nodeFs, gitdir, oid: head });
  const writeTree = async (oid: string, rel: string): Promise<void> => {
    const { tree } = await git.readTree({ fs: nodeFs, gitdir, oid });
    for (const entry of tree) {
      if (
        entry.path === '..' ||
        entry.path === '.' ||
        entry.path.includes('/') ||
        entry.path === '.git'
      ) {
        throw new Error(
          `refusing tree entry "${entry.path}" in ${path.basename(repoDir)}`,
        );
      }
      const child = rel ? `${rel}/${entry.path}` : entry.path;
      const abs = path.join(targetDir, child);
      if (entry.type === 'tree') {
        await fs.mkdir(abs, { recursive: true });
        await writeTree(entry.oid, child);
      } else if (entry.type === 'blob') {
        const { blob } = await git.readBlob({
          fs: nodeFs,
          gitdir,
          oid: entry.oid,
        });
        if (entry.mode === '120000') {
          await fs.symlink(Buffer.from(blob).toString('utf8'), abs);
        } else {
          await fs.writeFile(abs, blob, {
            mode: entry.mode === '100755' ? 0o755 : 0o644,
          });
        }
      }
    }
  };
  await fs.mkdir(targetDir, { recursive: true });
  await writeTree(commit.tree, '');
  return head;
}
