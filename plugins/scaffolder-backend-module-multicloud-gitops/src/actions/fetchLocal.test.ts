import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createFetchLocalAction } from './fetchLocal';
import { createPublishLocalAction } from './publishLocal';
import { copyReferencePattern, snapshotDir } from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

const tmp = (p: string) => fs.mkdtempSync(path.join(os.tmpdir(), p));

describe('multicloud-gitops:fetch:local', () => {
  it('round-trips what publish:local pushed, and a re-publish of the fetched copy is a no-op', async () => {
    const root = tmp('mcg-repos-');
    const source = copyReferencePattern();
    const pub = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: source,
    });
    await createPublishLocalAction({ rootDir: root }).handler(pub);

    const workspace = tmp('mcg-fetch-');
    const ctx = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: workspace,
    });
    await createFetchLocalAction({ rootDir: root }).handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).commitHash).toBe(
      outputsOf(pub.output as jest.Mock).commitHash,
    );
    expect(snapshotDir(workspace)).toEqual(snapshotDir(source));

    const again = createMockActionContext({
      input: { repoName: 'p' },
      workspacePath: workspace,
    });
    await createPublishLocalAction({ rootDir: root }).handler(again);
    expect(outputsOf(again.output as jest.Mock).changed).toBe(false);
  });

  it.each([
    [{ repoName: '../etc' }, /repoName/],
    [{ repoName: 'missing' }, /no local repository named missing/],
    [{ repoName: 'p', targetPath: '../../x' }, /outside/],
  ])('refuses %j', async (input, message) => {
    const root = tmp('mcg-repos-');
    fs.mkdirSync(path.join(root, 'p.git'));
    fs.writeFileSync(
      path.join(root, 'p.git', 'HEAD'),
      'ref: refs/heads/main\n',
    );
    const ctx = createMockActionContext({
      input,
      workspacePath: tmp('mcg-fetch-'),
    });
    await expect(
      createFetchLocalAction({ rootDir: root }).handler(ctx),
    ).rejects.toThrow(message);
  });
});
