import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidatePatternAction } from './validatePattern';
import { examples } from './validatePattern.examples';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { exampleInput, outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:pattern:validate examples', () => {
  const action = createValidatePatternAction();

  it('example 1 validates the workspace root', async () => {
    const ctx = createMockActionContext({
      input: exampleInput(examples, 0),
      workspacePath: copyReferencePattern(),
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).valid).toBe(true);
  });

  it('example 2 reports problems of a pattern in a sub-directory without failing', async () => {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-ws-'));
    fs.cpSync(copyReferencePattern(), path.join(workspace, 'pattern'), {
      recursive: true,
    });
    fs.rmSync(path.join(workspace, 'pattern', 'values-group-one.yaml'));
    const ctx = createMockActionContext({
      input: exampleInput(examples, 1),
      workspacePath: workspace,
    });
    await action.handler(ctx);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.valid).toBe(false);
    expect(out.errors[0].message).toContain('values-group-one.yaml is missing');
  });
});
