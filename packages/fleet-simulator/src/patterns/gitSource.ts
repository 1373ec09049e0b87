import crypto from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import git from 'isomorphic-git';
import http from 'isomorphic-git/http/node';
import type { RevisionMetadata } from '../argocd/revisions';
import { dumbFetchObjects, dumbRefs, dumbResolve } from './dumbHttp';

/**
 * Pattern repositories fetched over HTTP (git's smart protocol, or the dumb one a static
 * file server offers), as the patterns operator and Argo CD's repo server clone them. Each repo is fetched into a bare repository in a
 * temporary folder; reads are at a commit, so a later fetch never changes an earlier
 * snapshot's answers.
 */

/** The pattern repo at one commit. */
export interface Snapshot {
  repoURL: string;
  revision: string;
  commit: string;
  /** the text of every top-level `values-*.yaml` file, by name */
  valuesFiles: Map<string, string>;
  /** the tree id of a folder, or undefined when the commit has no such folder */
  treeId(folder: string): Promise<string | undefined>;
}

/** A fetch failed or the revision is not in the repo; the message is safe to show. */
export class GitSourceError extends Error {}

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Credentials in a URL are never repeated in messages or logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, '//');
}

export class GitSource {
  /** made on the first fetch: a simulator with no Pattern to follow writes nothing */
  private root?: string;
  private disposed = false;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** the commit each fetched branch, tag or HEAD resolved to, by repo URL */
  private readonly heads = new Map<string, Map<string, string>>();
  private readonly cache = {};
  /** repos whose server speaks only the dumb protocol (dumbHttp.ts) */
  private readonly dumb = new Set<string>();

  /** Remove the fetched repositories; later fetches fail. */
  dispose(): void {
    this.disposed = true;
    const root = this.root;
    if (!root) return;
    const remove = () =>
      fs.rmSync(root, { recursive: true, force: true, maxRetries: 3 });
    const pending = [...this.queues.values()];
    if (!pending.length) {
      remove();
      return;
    }
    // A fetch in flight still writes into the folder, and removing it meanwhile fails
    // (ENOTEMPTY): remove it once every fetch has settled.
    void Promise.allSettled(pending)
      .then(remove)
      .catch(() => undefined);
  }

  /**
   * Fetch `revision` (a branch, a tag, a full commit id, or HEAD) of `repoURL` and read
   * its values files. Fetches of one repo run one after the other.
   */
  fetch(repoURL: string, revision: string): Promise<Snapshot> {
    const prev = this.queues.get(repoURL) ?? Promise.resolve();
    const next = prev
      .catch(() => undefined)
      .then(() => this.fetchNow(repoURL, revision || 'HEAD'));
    this.queues.set(repoURL, next);
    return next;
  }

  /** Whether `repoURL` was fetched (its commits are known here). */
  holds(repoURL: string): boolean {
    return this.heads.has(repoURL);
  }

  /**
   * What Argo CD's revision metadata shows of a fetched commit: by commit id (7 to 40 hex
   * digits) or by a branch, tag or HEAD fetched before; undefined for a commit not fetched.
   * Made when asked: a poll only fetches.
   */
  async revisionMetadata(
    repoURL: string,
    revision: string,
  ): Promise<RevisionMetadata | undefined> {
    const heads = this.heads.get(repoURL);
    if (!heads) return undefined;
    const base = { fs, gitdir: this.gitdir(repoURL), cache: this.cache };
    let commit = heads.get(revision);
    if (!commit && /^[0-9a-f]{7,40}$/.test(revision)) {
      try {
        commit = await git.expandOid({ ...base, oid: revision });
      } catch {
        return undefined;
      }
    }
    if (!commit) return undefined;
    let read;
    try {
      read = await git.readCommit({ ...base, oid: commit });
    } catch {
      return undefined;
    }
    const a = read.commit.author;
    return {
      author: `${a.name} <${a.email}>`,
      date: new Date(a.timestamp * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      message: read.commit.message.replace(/\n$/, ''),
      tags: await this.tagsOf(repoURL, commit),
    };
  }

  private gitdir(repoURL: string) {
    const id = crypto.createHash('sha1').update(repoURL).digest('hex');
    if (!this.root)
      this.root = fs.mkdtempSync(
        path.join(os.tmpdir(), 'fleet-simulator-git-'),
      );
    return path.join(this.root, id);
  }

  private async fetchNow(repoURL: string, revision: string): Promise<Snapshot> {
    if (this.disposed) throw new GitSourceError('the git source was stopped');
    const gitdir = this.gitdir(repoURL);
    const base = { fs, gitdir, cache: this.cache };
    if (!fs.existsSync(gitdir)) {
      await git.init({ fs, gitdir, bare: true });
      await git.addRemote({ fs, gitdir, remote: 'origin', url: repoURL });
    }
    const bySha = FULL_SHA.test(revision);
    let commit: string;
    try {
      if (!this.dumb.has(repoURL)) {
        try {
          commit = await this.fetchSmart(base, revision, bySha);
        } catch (e) {
          // a static file server: git's dumb protocol from now on
          if ((e as { code?: string }).code !== 'SmartHttpError') throw e;
          this.dumb.add(repoURL);
        }
      }
      if (this.dumb.has(repoURL)) {
        const oid = await dumbResolve(repoURL, revision);
        if (!oid) throw new GitSourceError(`revision ${revision} not found`);
        await dumbFetchObjects(repoURL, gitdir, oid);
        commit = oid;
      }
      // a tag may be annotated: what is deployed is the commit it points to
      commit = await this.peel(base, commit!);
      await git.readCommit({ ...base, oid: commit });
    } catch (e) {
      if (e instanceof GitSourceError) throw this.failure(repoURL, e);
      const err = e as Error & { code?: string };
      if (err.code === 'NotFoundError' && bySha)
        throw this.failure(
          repoURL,
          new Error(`revision ${revision} not found`),
        );
      throw this.failure(repoURL, err);
    }
    let heads = this.heads.get(repoURL);
    if (!heads) this.heads.set(repoURL, (heads = new Map()));
    heads.set(revision, commit);

    const valuesFiles = new Map<string, string>();
    const { tree } = await git.readTree({ ...base, oid: commit });
    for (const entry of tree) {
      if (entry.type !== 'blob' || !/^values-.*\.ya?ml$/.test(entry.path))
        continue;
      const { blob } = await git.readBlob({ ...base, oid: entry.oid });
      valuesFiles.set(entry.path, Buffer.from(blob).toString('utf8'));
    }
    return {
      repoURL,
      revision,
      commit,
      valuesFiles,
      treeId: async (folder: string) => {
        const clean = folder.replace(/^\/+|\/+$/g, '');
        if (!clean) return commit;
        try {
          return (await git.readTree({ ...base, oid: commit, filepath: clean }))
            .oid;
        } catch {
          return undefined;
        }
      },
    };
  }

  private async fetchSmart(
    base: { fs: typeof fs; gitdir: string; cache: object },
    revision: string,
    bySha: boolean,
  ): Promise<string> {
    const result = await git.fetch({
      ...base,
      http,
      remote: 'origin',
      ...(bySha || revision === 'HEAD' ? {} : { ref: revision }),
      singleBranch: !bySha,
      tags: true,
    });
    if (bySha) return revision;
    if (result.fetchHead) return result.fetchHead;
    throw new GitSourceError(`revision ${revision} not found`);
  }

  private async peel(base: { fs: typeof fs; gitdir: string }, oid: string) {
    const { type } = await git.readObject({ ...base, oid, format: 'parsed' });
    if (type !== 'tag') return oid;
    const { tag } = await git.readTag({ ...base, oid });
    return tag.object;
  }

  /** The server's tags naming `commit` (annotated tags peeled). */
  private async tagsOf(repoURL: string, commit: string): Promise<string[]> {
    let refs: { ref: string; oid: string; peeled?: string }[];
    try {
      refs = this.dumb.has(repoURL)
        ? (await dumbRefs(repoURL)).filter(r => r.ref.startsWith('refs/tags/'))
        : await git.listServerRefs({
            http,
            url: repoURL,
            prefix: 'refs/tags/',
            peelTags: true,
          });
    } catch {
      // the repo is out of reach now: the commit is still known, its tags are not
      return [];
    }
    return refs
      .filter(r => (r.peeled ?? r.oid) === commit)
      .map(r => r.ref.replace(/^refs\/tags\//, ''));
  }

  private failure(repoURL: string, e: Error): GitSourceError {
    const detail = (e.message || String(e))
      .split(repoURL)
      .join(redactUrl(repoURL));
    return new GitSourceError(
      `failed to fetch ${redactUrl(repoURL)}: ${redactUrl(detail)}`,
    );
  }
}
