import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishLocalAction } from './publishLocal';
import { copyReferencePattern, snapshotDir } from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

function clone(remote: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-clone-'));
  execFileSync('git', ['clone', '--quiet', remote, dir], { stdio: 'pipe' });
  return dir;
}

describe('multicloud-gitops:publish:local', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-repos-'));
  });

  it('publishes the workspace to <root>/<repoName>.git, which git can clone; ignored secrets stay out', async () => {
    const workspace = copyReferencePattern();
    fs.writeFileSync(
      path.join(workspace, 'values-secret.yaml'),
      'secrets: [{name: x, fields: [{name: password, value: hunter2}]}]\n',
    );
    fs.writeFileSync(
      path.join(workspace, 'pattern.sh'),
      '#!/bin/sh\necho hi\n',
      { mode: 0o755 },
    );
    const action = createPublishLocalAction({
      rootDir: root,
      baseUrl: 'http://localhost:7007/git',
    });
    const ctx = createMockActionContext({
      input: { repoName: 'my-pattern', gitCommitMessage: 'Create my-pattern' },
      workspacePath: workspace,
    });
    await action.handler(ctx);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out).toMatchObject({
      remoteUrl: 'http://localhost:7007/git/my-pattern.git',
      changed: true,
    });
    expect(out.commitHash).toMatch(/^[0-9a-f]{40}$/);

    const checkout = clone(path.join(root, 'my-pattern.git'));
    const files = snapshotDir(checkout);
    delete (files as any)['.git'];
    const expected = snapshotDir(workspace);
    delete expected['values-secret.yaml'];
    for (const [file, text] of Object.entries(expected)) {
      expect(files[file]).toBe(text);
    }
    expect(fs.existsSync(path.join(checkout, 'values-secret.yaml'))).toBe(
      false,
    );
    // eslint-disable-next-line no-bitwise
    expect(
      fs.statSync(path.join(checkout, 'pattern.sh')).mode & 0o111,
    ).not.toBe(0);
    expect(
      execFileSync('git', ['-C', checkout, 'log', '--format=%s'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('Create my-pattern');
    // Dumb-HTTP metadata for read-only serving.
    expect(
      fs.readFileSync(path.join(root, 'my-pattern.git/info/refs'), 'utf8'),
    ).toBe(`${out.commitHash}\trefs/heads/main\n`);
  });

  it('publishing the same content again creates no commit; new content fast-forwards', async () => {
    const workspace = copyReferencePattern();
    const action = createPublishLocalAction({ rootDir: root });
    const first = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: workspace,
    });
    await action.handler(first);
    const c1 = outputsOf(first.output as jest.Mock).commitHash;

    const second = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: workspace,
    });
    await action.handler(second);
    expect(outputsOf(second.output as jest.Mock)).toMatchObject({
      commitHash: c1,
      changed: false,
    });

    fs.appendFileSync(
      path.join(workspace, 'values-group-one.yaml'),
      '# more\n',
    );
    const third = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: workspace,
    });
    await action.handler(third);
    const c3 = outputsOf(third.output as jest.Mock).commitHash;
    expect(c3).not.toBe(c1);
    const parents = execFileSync(
      'git',
      [
        '--git-dir',
        path.join(root, 'p.git'),
        'rev-list',
        '--parents',
        '-n',
        '1',
        c3,
      ],
      { encoding: 'utf8' },
    ).trim();
    expect(parents).toBe(`${c3} ${c1}`);
    expect(outputsOf(third.output as jest.Mock).remoteUrl).toBe(
      `file://${path.join(root, 'p.git')}`,
    );
  });

  it.each(['../evil', 'a/b', '..', '.hidden', ''])(
    'refuses repoName %j and creates nothing',
    async repoName => {
      const action = createPublishLocalAction({ rootDir: root });
      const ctx = createMockActionContext({
        input: { repoName },
        workspacePath: copyReferencePattern(),
      });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
      });
      expect(fs.readdirSync(root)).toEqual([]);
      expect(fs.existsSync(path.join(path.dirname(root), 'evil.git'))).toBe(
        false,
      );
    },
  );

  it('refuses a sourcePath outside the workspace and a bad branch', async () => {
    const action = createPublishLocalAction({ rootDir: root });
    await expect(
      action.handler(
        createMockActionContext({
          input: { repoName: 'p', sourcePath: '../../' },
          workspacePath: copyReferencePattern(),
        }),
      ),
    ).rejects.toThrow(/outside/);
    await expect(
      action.handler(
        createMockActionContext({
          input: { repoName: 'p', defaultBranch: 'a..b' },
          workspacePath: copyReferencePattern(),
        }),
      ),
    ).rejects.toThrow(/branch/);
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('explains missing configuration', async () => {
    const action = createPublishLocalAction({});
    await expect(
      action.handler(createMockActionContext({ input: { repoName: 'p' } })),
    ).rejects.toThrow('multicloudGitops.localGit.rootDir');
  });

  it('dry run writes nothing and wraps the push in a checkpoint otherwise', async () => {
    const action = createPublishLocalAction({ rootDir: root });
    const dry = {
      ...createMockActionContext({
        input: { repoName: 'p' },
        workspacePath: copyReferencePattern(),
      }),
      isDryRun: true,
    };
    await action.handler(dry);
    expect(fs.readdirSync(root)).toEqual([]);

    const base = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: copyReferencePattern(),
    });
    const checkpoint = jest.fn(async (o: { key: string; fn: () => any }) =>
      o.fn(),
    );
    await action.handler({ ...base, checkpoint } as typeof base);
    expect(checkpoint).toHaveBeenCalledWith(
      expect.objectContaining({
        key: 'multicloud-gitops.publish-local.p.main',
      }),
    );
  });
});
