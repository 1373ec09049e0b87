import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createCreatePatternAction } from './createPattern';
import { outputsOf } from '../__testUtils__/actions';
import { upstreamSchemaErrors } from '../__testUtils__/upstreamSchema';

const workspace = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-create-'));

describe('multicloud-gitops:pattern:create', () => {
  const action = createCreatePatternAction();

  it('writes a valid pattern next to existing skeleton files', async () => {
    const dir = workspace();
    fs.writeFileSync(path.join(dir, 'README.md'), '# shop\n');
    const ctx = createMockActionContext({
      input: { name: 'shop', clusterGroups: ['edge'], exampleApps: true },
      workspacePath: dir,
    });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).files).toEqual(
      expect.arrayContaining([
        'values-global.yaml',
        'values-hub.yaml',
        'values-edge.yaml',
      ]),
    );
    expect(fs.readFileSync(path.join(dir, 'README.md'), 'utf8')).toBe(
      '# shop\n',
    );
    expect(Object.values(upstreamSchemaErrors(dir)).flat()).toEqual([]);
  });

  it('honours dry run', async () => {
    const dir = workspace();
    const ctx = {
      ...createMockActionContext({
        input: { name: 'shop' },
        workspacePath: dir,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).files).toContain(
      'values-global.yaml',
    );
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('refuses the name-length rule with an InputError and writes nothing', async () => {
    const dir = workspace();
    const ctx = createMockActionContext({
      input: {
        name: 'a-rather-long-pattern-name',
        clusterGroups: ['long-groups'],
      },
      workspacePath: dir,
    });
    await expect(action.handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('must be below 47'),
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
