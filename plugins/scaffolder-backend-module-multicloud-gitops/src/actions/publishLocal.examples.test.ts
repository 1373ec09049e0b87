import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput, outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:publish:local examples', () => {
  it('example 1 publishes the pattern repository', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-repos-'));
    const ctx = createMockActionContext({
      input: exampleInput(examples, 0),
      workspacePath: copyReferencePattern(),
    });
    await createPublishLocalAction({ rootDir: root }).handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).changed).toBe(true);
    expect(fs.existsSync(path.join(root, 'my-pattern.git', 'HEAD'))).toBe(true);
  });
});
