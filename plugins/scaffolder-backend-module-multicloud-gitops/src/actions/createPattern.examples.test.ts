import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCreatePatternAction } from './createPattern';
import { examples } from './createPattern.examples';
import { exampleInput } from '../__testUtils__/actions';
import { readPattern, validatePattern } from '../pattern';

describe('multicloud-gitops:pattern:create examples', () => {
  it('example 1 generates a valid pattern with both groups', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-create-'));
    await createCreatePatternAction().handler(
      createMockActionContext({
        input: exampleInput(examples, 0),
        workspacePath: dir,
      }),
    );
    expect(fs.existsSync(path.join(dir, 'values-store.yaml'))).toBe(true);
    expect(fs.existsSync(path.join(dir, 'values-warehouse.yaml'))).toBe(true);
    expect((await validatePattern(await readPattern(dir))).errors).toEqual([]);
  });
});
