import { SimContext } from '../context';
import { resolveOptions } from '../simulator';
import { Store } from '../store/store';
import { KObject } from '../store/types';
import { APP } from './apps';
import { ArgoError, GRPC } from './errors';
import {
  registerRevisionSource,
  resolveGitRevision,
  revisionMetadata,
  RevisionMetadataSource,
} from './revisions';

const REPO = 'https://github.com/validatedpatterns/multicloud-gitops';
const FETCHED = 'http://127.0.0.1:9999/git/my-pattern.git';
const SEEDED_SHA = `${'a'.repeat(8)}0123456789abcdef0123456789abcdef`;

function context(): SimContext {
  const store = new Store();
  const app: KObject = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name: 'config-demo',
      namespace: 'openshift-gitops',
      creationTimestamp: '2026-10-01T00:00:00Z',
    },
    spec: { source: { repoURL: REPO, targetRevision: 'main' } },
    status: {
      sync: { status: 'Synced', revision: SEEDED_SHA },
      history: [
        {
          id: 3,
          revision: SEEDED_SHA,
          deployStartedAt: '2026-12-01T10:00:00Z',
          deployedAt: '2026-12-01T10:00:09Z',
          source: { repoURL: REPO, targetRevision: 'main' },
        },
      ],
    },
  };
  store.put('local-cluster', APP, app, true);
  return {
    options: resolveOptions({ seed: 'revisions' }),
    store,
    now: () => '2026-12-05T12:00:00.000Z',
  } as unknown as SimContext;
}

async function failure(p: Promise<unknown>): Promise<ArgoError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ArgoError) return e;
    throw e;
  }
  throw new Error('expected the lookup to fail');
}

describe('revision metadata and resolution', () => {
  it('gives a seeded commit the same metadata every time, dated before Argo CD deployed it', async () => {
    const ctx = context();
    const m = await revisionMetadata(ctx, 'local-cluster', REPO, SEEDED_SHA);
    expect(m).toEqual({
      author: expect.stringMatching(/^[A-Z][a-z]+ [A-Z][a-z]+ <\S+@\S+>$/),
      date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      message: expect.any(String),
    });
    expect(Date.parse(m.date)).toBeLessThan(Date.parse('2026-12-01T10:00:00Z'));
    // a fresh simulator with the same fleet answers the same
    expect(
      await revisionMetadata(context(), 'local-cluster', REPO, SEEDED_SHA),
    ).toEqual(m);
    // a truncated SHA names the same commit
    expect(
      await revisionMetadata(
        ctx,
        'local-cluster',
        REPO,
        SEEDED_SHA.slice(0, 7),
      ),
    ).toEqual(m);
  });

  it('knows a commit another cluster deployed from the same repository: a repository is one', async () => {
    const ctx = context();
    ctx.store.put('spoke-1', APP, {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'hello-world', namespace: 'openshift-gitops' },
      spec: { source: { repoURL: REPO, targetRevision: 'main' } },
      status: { sync: { status: 'Synced', revision: 'e'.repeat(40) } },
    });
    const m = await revisionMetadata(
      ctx,
      'local-cluster',
      REPO,
      'e'.repeat(40),
    );
    expect(m.author).toMatch(/@example\.com>$/);
    expect(
      (
        await failure(
          revisionMetadata(
            ctx,
            'local-cluster',
            `${REPO}-other`,
            'e'.repeat(40),
          ),
        )
      ).message,
    ).toMatch(/not our ref/);
  });

  it('refuses a ref that is not a commit and fails the checkout of an unknown commit', async () => {
    const ctx = context();
    const ref = await failure(
      revisionMetadata(ctx, 'local-cluster', REPO, 'main'),
    );
    expect(ref.code).toBe(GRPC.Unknown);
    expect(ref.message).toBe('revision main must be resolved');
    const unknown = 'b'.repeat(40);
    const missing = await failure(
      revisionMetadata(ctx, 'local-cluster', REPO, unknown),
    );
    expect(missing.code).toBe(GRPC.Internal);
    expect(missing.message).toMatch(
      new RegExp(`^Failed to checkout revision ${unknown}: .*not our ref`),
    );
    // the commit of another repository is not this one's
    const elsewhere = await failure(
      revisionMetadata(ctx, 'local-cluster', FETCHED, SEEDED_SHA),
    );
    expect(elsewhere.code).toBe(GRPC.Internal);
  });

  it('resolves a branch of a seeded repo to one head commit that has metadata', async () => {
    const ctx = context();
    const head = await resolveGitRevision(ctx, REPO, 'main');
    expect(head).toMatch(/^[0-9a-f]{40}$/);
    expect(await resolveGitRevision(ctx, REPO, 'main')).toBe(head);
    expect(await resolveGitRevision(ctx, REPO, 'v1.0')).not.toBe(head);
    // a commit is taken as it is
    expect(await resolveGitRevision(ctx, REPO, SEEDED_SHA)).toBe(SEEDED_SHA);
    const m = await revisionMetadata(ctx, 'local-cluster', REPO, head);
    expect(m.date).toMatch(/Z$/);
    expect(Date.parse(m.date)).toBeLessThanOrEqual(
      Date.parse('2026-12-05T12:00:00Z'),
    );
  });

  it('asks a registered source first, for the repositories it holds only', async () => {
    const ctx = context();
    const commit = 'c'.repeat(40);
    const calls: string[] = [];
    const source: RevisionMetadataSource = {
      async resolveRevision(repoURL, ref) {
        calls.push(`resolve ${repoURL} ${ref}`);
        if (repoURL !== FETCHED) return undefined;
        if (ref !== 'main') throw new Error(`unable to resolve '${ref}'`);
        return commit;
      },
      async getRevisionMetadata(repoURL, revision) {
        if (repoURL !== FETCHED) return undefined;
        return revision === commit
          ? {
              author: 'Pat Tern <pat@example.com>',
              date: '2026-12-04T08:00:00Z',
              message: 'Add the region-two group',
              tags: ['v2'],
            }
          : null;
      },
    };
    const unregister = registerRevisionSource(ctx, source);
    expect(await resolveGitRevision(ctx, FETCHED, 'main')).toBe(commit);
    await expect(resolveGitRevision(ctx, FETCHED, 'nope')).rejects.toThrow(
      "unable to resolve 'nope'",
    );
    expect(
      await revisionMetadata(ctx, 'local-cluster', FETCHED, commit),
    ).toEqual({
      author: 'Pat Tern <pat@example.com>',
      date: '2026-12-04T08:00:00Z',
      message: 'Add the region-two group',
      tags: ['v2'],
    });
    // null: the source holds the repo but not the commit
    expect(
      (
        await failure(
          revisionMetadata(ctx, 'local-cluster', FETCHED, 'd'.repeat(40)),
        )
      ).code,
    ).toBe(GRPC.Internal);
    // the seeded repo is not the source's: it falls through to the seeded commits
    expect(
      (await revisionMetadata(ctx, 'local-cluster', REPO, SEEDED_SHA)).author,
    ).toMatch(/@example\.com>$/);
    expect(calls).toContain(`resolve ${FETCHED} main`);
    unregister();
    expect(await resolveGitRevision(ctx, FETCHED, 'main')).not.toBe(commit);
  });
});
