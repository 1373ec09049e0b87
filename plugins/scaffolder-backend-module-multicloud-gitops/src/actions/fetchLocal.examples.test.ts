import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createFetchLocalAction } from './fetchLocal';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './fetchLocal.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput } from '../__testUtils__/actions';

describe('multicloud-gitops:fetch:local examples', () => {
  it('example 1 checks out my-pattern', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-repos-'));
    await createPublishLocalAction({ rootDir: root }).handler(
      createMockActionContext({
        input: { repoName: 'my-pattern' },
        workspacePath: copyReferencePattern(),
      }),
    );
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-fetch-'));
    await createFetchLocalAction({ rootDir: root }).handler(
      createMockActionContext({
        input: exampleInput(examples, 0),
        workspacePath: workspace,
      }),
    );
    expect(fs.existsSync(path.join(workspace, 'values-hub.yaml'))).toBe(true);
  });
});
