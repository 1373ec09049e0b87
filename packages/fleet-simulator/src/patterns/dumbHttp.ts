import crypto from 'crypto';
import fs from 'fs';
import path from 'path';
import zlib from 'zlib';

/**
 * git's "dumb" HTTP protocol: a repository served as static files (`info/refs`, `HEAD` and
 * loose objects), as a plain file server or the example portal's local repositories offer
 * it. Argo CD's repo server clones these with the git CLI, which falls back to this
 * protocol; isomorphic-git speaks only the smart one, so this reads what a fetch needs: the
 * refs, and the objects of one commit (its tree, sub-trees and blobs; not its history, as a
 * shallow clone).
 */

const FULL_SHA = /^[0-9a-f]{40}$/;

export interface DumbRef {
  ref: string;
  oid: string;
  /** the object an annotated tag points to (`<tag>^{}` in info/refs) */
  peeled?: string;
}

async function get(url: string): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${path.basename(url)}`);
  return Buffer.from(await res.arrayBuffer());
}

const base = (repoURL: string) => repoURL.replace(/\/+$/, '');

/** The refs the repository lists in `info/refs`. */
export async function dumbRefs(repoURL: string): Promise<DumbRef[]> {
  const text = (await get(`${base(repoURL)}/info/refs`)).toString('utf8');
  const refs = new Map<string, DumbRef>();
  for (const line of text.split('\n')) {
    const [oid, ref] = line.trim().split('\t');
    if (!ref || !FULL_SHA.test(oid)) continue;
    if (ref.endsWith('^{}')) {
      const tag = refs.get(ref.slice(0, -3));
      if (tag) tag.peeled = oid;
    } else refs.set(ref, { ref, oid });
  }
  return [...refs.values()];
}

/** The commit (or tag object) `revision` names: a branch, a tag, HEAD or a full id. */
export async function dumbResolve(
  repoURL: string,
  revision: string,
): Promise<string | undefined> {
  if (FULL_SHA.test(revision)) return revision;
  const refs = await dumbRefs(repoURL);
  let name = revision;
  if (revision === 'HEAD') {
    const head = (await get(`${base(repoURL)}/HEAD`)).toString('utf8').trim();
    if (FULL_SHA.test(head)) return head;
    name = head.replace(/^ref:\s*/, '');
  }
  const found =
    refs.find(r => r.ref === name) ??
    refs.find(r => r.ref === `refs/heads/${name}`) ??
    refs.find(r => r.ref === `refs/tags/${name}`);
  return found?.oid;
}

/** Parse a loose object (inflated): its type and body. */
function parseObject(raw: Buffer): { type: string; body: Buffer } {
  const nul = raw.indexOf(0);
  const [type, size] = raw.subarray(0, nul).toString('latin1').split(' ');
  const body = raw.subarray(nul + 1);
  if (Number(size) !== body.length) throw new Error('object size mismatch');
  return { type, body };
}

/** Object ids an object refers to and a fetch of one commit needs. */
function referenced(type: string, body: Buffer): string[] {
  if (type === 'commit' || type === 'tag') {
    const m = /^(?:tree|object) ([0-9a-f]{40})$/m.exec(body.toString('utf8'));
    return m ? [m[1]] : [];
  }
  if (type !== 'tree') return [];
  const out: string[] = [];
  for (let i = 0; i < body.length; ) {
    const space = body.indexOf(0x20, i);
    const nul = body.indexOf(0, space);
    const mode = body.subarray(i, space).toString('latin1');
    const oid = body.subarray(nul + 1, nul + 21).toString('hex');
    // a submodule's commit lives in another repository
    if (mode !== '160000') out.push(oid);
    i = nul + 21;
  }
  return out;
}

/**
 * Copy the objects of `oid` (a commit or a tag, with what it points to) that `gitdir` lacks,
 * each checked against its id, as loose objects.
 */
export async function dumbFetchObjects(
  repoURL: string,
  gitdir: string,
  oid: string,
): Promise<void> {
  const queue = [oid];
  const seen = new Set<string>();
  while (queue.length) {
    const batch = queue.splice(0, 16).filter(o => !seen.has(o));
    batch.forEach(o => seen.add(o));
    const read = await Promise.all(
      batch.map(async o => {
        const file = path.join(gitdir, 'objects', o.slice(0, 2), o.slice(2));
        let deflated: Buffer;
        let stored = true;
        try {
          deflated = fs.readFileSync(file);
        } catch {
          stored = false;
          deflated = await get(
            `${base(repoURL)}/objects/${o.slice(0, 2)}/${o.slice(2)}`,
          ).catch(e => {
            throw new Error(
              `object ${o} is not served as a loose object (${
                (e as Error).message
              }); a packed repository needs git's smart HTTP protocol`,
            );
          });
        }
        const raw = zlib.inflateSync(deflated);
        if (crypto.createHash('sha1').update(raw).digest('hex') !== o)
          throw new Error(`object ${o} does not match its id`);
        if (!stored) {
          fs.mkdirSync(path.dirname(file), { recursive: true });
          fs.writeFileSync(file, deflated);
        }
        return parseObject(raw);
      }),
    );
    for (const { type, body } of read) queue.push(...referenced(type, body));
  }
}
