import fs from 'node:fs';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createValidatePatternAction } from './validatePattern';
import { copyReferencePattern } from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:pattern:validate', () => {
  const action = createValidatePatternAction();

  it('passes a valid pattern and outputs its warnings', async () => {
    const ctx = createMockActionContext({
      input: {},
      workspacePath: copyReferencePattern(),
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toEqual({
      valid: true,
      errors: [],
      warnings: [],
    });
  });

  it('fails the step with file, YAML path and fix when the pattern is invalid', async () => {
    const dir = copyReferencePattern();
    fs.writeFileSync(
      path.join(dir, 'values-group-one.yaml'),
      'clusterGroup:\n  name: group-one\n  namespaces: {}\n',
    );
    const ctx = createMockActionContext({ input: {}, workspacePath: dir });
    await expect(action.handler(ctx)).rejects.toThrow(
      /values-group-one\.yaml: clusterGroup\.applications: is required; add applications under clusterGroup/,
    );
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.valid).toBe(false);
    expect(out.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        path: 'clusterGroup.applications',
      }),
    );
  });

  it('only reports when failOnError is false', async () => {
    const dir = copyReferencePattern();
    fs.rmSync(path.join(dir, 'values-global.yaml'));
    const ctx = createMockActionContext({
      input: { failOnError: false },
      workspacePath: dir,
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).valid).toBe(false);
  });

  it('refuses a sourcePath outside the workspace', async () => {
    const ctx = createMockActionContext({
      input: { sourcePath: '../..' },
      workspacePath: copyReferencePattern(),
    });
    await expect(action.handler(ctx)).rejects.toThrow(/outside/);
  });
});
