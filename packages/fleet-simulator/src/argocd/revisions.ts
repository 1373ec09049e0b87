import { createHash } from 'crypto';
import { SimContext } from '../context';
import { KObject } from '../store/types';
import { appsOf, specSources } from './apps';
import { ArgoError, GRPC } from './errors';

/**
 * Commits behind the revisions Argo CD reports: what a ref resolves to when a sync names no
 * revision, and the author/date/message the revision metadata endpoint answers with.
 *
 * Repositories the simulator really fetches (the patterns-operator stand-in) register a
 * RevisionMetadataSource per simulator; every other repository is the seeded fleet's, whose
 * commits are the revisions the seeded Applications report, with metadata derived from the
 * hash so a commit answers the same every time.
 */

/** `RevisionMetadata` of Argo CD's API (v1alpha1), as JSON. */
export interface RevisionMetadata {
  author: string;
  /** RFC 3339, seconds */
  date: string;
  tags?: string[];
  message: string;
  signatureInfo?: string;
}

/** A source of real commits (e.g. a git repository the simulator fetched). */
export interface RevisionMetadataSource {
  /**
   * The commit a ref (branch, tag, HEAD or a commit SHA) of `repoURL` points at; undefined
   * when this source does not hold `repoURL`. Throw when it holds the repo but not the ref.
   */
  resolveRevision(repoURL: string, ref: string): Promise<string | undefined>;
  /**
   * The commit's metadata; undefined when this source does not hold `repoURL`, null when it
   * holds the repo but not that commit.
   */
  getRevisionMetadata(
    repoURL: string,
    revision: string,
  ): Promise<RevisionMetadata | null | undefined>;
}

const sources = new WeakMap<SimContext, RevisionMetadataSource[]>();

/** Consult `source` first for this simulator's repositories; returns the undo. */
export function registerRevisionSource(
  ctx: SimContext,
  source: RevisionMetadataSource,
): () => void {
  const list = sources.get(ctx) ?? [];
  sources.set(ctx, [source, ...list]);
  return () => {
    sources.set(
      ctx,
      (sources.get(ctx) ?? []).filter(s => s !== source),
    );
  };
}

export const isCommitSha = (r: string) => /^[0-9a-f]{40}$/.test(r);
/** Argo CD also takes 7+ hex digits as a (truncated) commit. */
export const isShaLike = (r: string) => /^[0-9a-f]{7,40}$/.test(r);

/** Seeded commits (by repo and SHA) and ref heads, made once per simulator and kept. */
interface SeededRepos {
  commits: Map<string, RevisionMetadata>;
  heads: Map<string, string>;
}
const seeded = new WeakMap<SimContext, SeededRepos>();
function seededOf(ctx: SimContext): SeededRepos {
  let s = seeded.get(ctx);
  if (!s) {
    s = { commits: new Map(), heads: new Map() };
    seeded.set(ctx, s);
  }
  return s;
}

const AUTHORS = [
  'Ana Lima <alima@example.com>',
  'Brendan Kowalski <bkowalski@example.com>',
  'Chiara Conti <cconti@example.com>',
  'Dmitri Volkov <dvolkov@example.com>',
  'Esther Nwosu <enwosu@example.com>',
  'Farid Haddad <fhaddad@example.com>',
];
const MESSAGES = [
  'Bump clustergroup chart to the latest 0.9 release',
  'config-demo: read the secret from the vault path of the group',
  'hello-world: raise replicas to 2',
  'Add the region-one group to values-hub.yaml managedClusterGroups',
  'golang-external-secrets: pin the chart version',
  'Update values-global.yaml: clusterGroupName hub',
  'Move the hello-world namespace into the group projects',
  'vault: enable the kubernetes auth backend for the spokes',
];

function digest(...parts: string[]): Buffer {
  return createHash('sha256').update(parts.join('\0')).digest();
}

function seededMetadata(
  repoURL: string,
  sha: string,
  before: number,
): RevisionMetadata {
  const h = digest(repoURL, sha);
  // committed between 10 minutes and 6 hours before Argo CD first deployed it
  const minutes = 10 + (h.readUInt16BE(4) % 350);
  return {
    author: AUTHORS[h[0] % AUTHORS.length],
    date: new Date(before - minutes * 60000)
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
    message: MESSAGES[h[1] % MESSAGES.length],
  };
}

/** Each source of an app (spec.source or spec.sources) with the revisions recorded for it. */
function reportedRevisions(
  app: KObject,
): Array<{ repoURL: string; revision: string; at?: string }> {
  const out: Array<{ repoURL: string; revision: string; at?: string }> = [];
  const add = (
    srcs: any[] | undefined,
    single: any,
    revision: string | undefined,
    revisions: string[] | undefined,
    at: string | undefined,
  ) => {
    if (Array.isArray(srcs) && Array.isArray(revisions)) {
      srcs.forEach((s, i) => {
        if (s?.repoURL && typeof revisions[i] === 'string')
          out.push({ repoURL: s.repoURL, revision: revisions[i], at });
      });
    } else if (single?.repoURL && typeof revision === 'string') {
      out.push({ repoURL: single.repoURL, revision, at });
    }
  };
  const st = app.status ?? {};
  for (const h of st.history ?? [])
    add(
      h.sources,
      h.source,
      h.revision,
      h.revisions,
      h.deployStartedAt ?? h.deployedAt,
    );
  const sr = st.operationState?.syncResult;
  if (sr)
    add(
      sr.sources,
      sr.source,
      sr.revision,
      sr.revisions,
      st.operationState.startedAt,
    );
  add(
    app.spec?.sources,
    app.spec?.source,
    st.sync?.revision,
    st.sync?.revisions,
    app.metadata.creationTimestamp,
  );
  return out;
}

/** The metadata of a seeded commit: one an app of any cluster reports, or a ref head handed out. */
function seededLookup(
  ctx: SimContext,
  instance: string,
  repoURL: string,
  revision: string,
): RevisionMetadata | undefined {
  const repos = seededOf(ctx);
  const matches = (sha: string) =>
    revision.length === 40 ? sha === revision : sha.startsWith(revision);
  for (const [key, m] of repos.commits) {
    const [url, sha] = key.split('\0');
    if (url === repoURL && matches(sha)) return m;
  }
  let earliest: number | undefined;
  let full: string | undefined;
  // A repository is one for every Argo CD that reads it: a commit deployed on any cluster
  // is one this instance's repo server can fetch too.
  const instances = [
    instance,
    ...[...ctx.store.clusters.keys()].filter(c => c !== instance),
  ];
  for (const app of instances.flatMap(i => appsOf(ctx, i))) {
    for (const r of reportedRevisions(app)) {
      if (r.repoURL !== repoURL || !isCommitSha(r.revision)) continue;
      if (!matches(r.revision)) continue;
      full = r.revision;
      const t = r.at ? Date.parse(r.at) : NaN;
      if (!Number.isNaN(t) && (earliest === undefined || t < earliest))
        earliest = t;
    }
  }
  if (!full) return undefined;
  const m = seededMetadata(repoURL, full, earliest ?? Date.parse(ctx.now()));
  repos.commits.set(`${repoURL}\0${full}`, m);
  return m;
}

/**
 * The commit `ref` of `repoURL` points at. A commit SHA is taken as it is (as Argo CD does);
 * a branch or tag resolves through a registered source, else to the seeded repo's head of
 * that ref, which stays the same for the life of the simulator.
 */
export async function resolveGitRevision(
  ctx: SimContext,
  repoURL: string,
  ref: string,
): Promise<string> {
  const wanted = ref || 'HEAD';
  if (isCommitSha(wanted)) return wanted;
  for (const s of sources.get(ctx) ?? []) {
    const r = await s.resolveRevision(repoURL, wanted);
    if (r !== undefined) return r;
  }
  const repos = seededOf(ctx);
  const key = `${repoURL}\0${wanted}`;
  let head = repos.heads.get(key);
  if (!head) {
    head = digest(String(ctx.options.seed), repoURL, wanted)
      .toString('hex')
      .slice(0, 40);
    repos.heads.set(key, head);
    repos.commits.set(
      `${repoURL}\0${head}`,
      seededMetadata(repoURL, head, Date.parse(ctx.now())),
    );
  }
  return head;
}

/**
 * What the repo server answers for a revision of `repoURL`: metadata, or the error Argo CD
 * gives (a ref that is not a commit must be resolved first; an unknown commit fails the
 * checkout).
 */
export async function revisionMetadata(
  ctx: SimContext,
  instance: string,
  repoURL: string,
  revision: string,
): Promise<RevisionMetadata> {
  if (!isShaLike(revision))
    throw new ArgoError(GRPC.Unknown, `revision ${revision} must be resolved`);
  for (const s of sources.get(ctx) ?? []) {
    const m = await s.getRevisionMetadata(repoURL, revision);
    if (m === null) throw unknownCommit(revision);
    if (m) return m;
  }
  const m = seededLookup(ctx, instance, repoURL, revision);
  if (!m) throw unknownCommit(revision);
  return m;
}

function unknownCommit(revision: string): ArgoError {
  return new ArgoError(
    GRPC.Internal,
    `Failed to checkout revision ${revision}: \`git fetch origin ${revision} --tags --force --prune\` failed exit status 128: fatal: remote error: upload-pack: not our ref ${revision}`,
  );
}

/**
 * The source whose repository a revision-metadata request reads: `sourceIndex` (default 0)
 * of the app's current spec, or of the history entry `versionId`, with the errors Argo CD
 * gives for an index or version that is not there.
 */
export function metadataSource(app: KObject, q: URLSearchParams): any {
  let candidates = specSources(app.spec);
  const versionId = q.get('versionId');
  if (versionId !== null) {
    const entry = (app.status?.history ?? []).find(
      (h: any) => String(h.id) === versionId,
    );
    if (!entry)
      throw new ArgoError(
        GRPC.Unknown,
        `error getting app source by source index and version ID: error getting source by version ID: revision history not found for version ID ${versionId}`,
      );
    candidates = entry.sources ?? (entry.source ? [entry.source] : []);
  }
  const raw = q.get('sourceIndex');
  const index = raw === null ? 0 : Number(raw);
  if (!Number.isInteger(index) || index < 0)
    throw new ArgoError(
      GRPC.InvalidArgument,
      `parsing field "sourceIndex": strconv.ParseInt: parsing "${raw}": invalid syntax`,
    );
  if (index >= candidates.length)
    throw new ArgoError(
      GRPC.Unknown,
      `error getting app source by source index and version ID: ${
        candidates.length === 1
          ? `source index ${index} not found because there is only 1 source`
          : `source index ${index} not found because there are only ${candidates.length} sources`
      }`,
    );
  return candidates[index];
}
