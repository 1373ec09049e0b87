import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAddClusterGroupAction } from './addClusterGroup';
import {
  commentLines,
  copyReferencePattern,
  snapshotDir,
} from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-cluster-group', () => {
  const action = createAddClusterGroupAction();

  it('adds the group to the hub file and creates the group file; a second run changes nothing', async () => {
    const dir = copyReferencePattern();
    const hubBefore = fs.readFileSync(
      path.join(dir, 'values-hub.yaml'),
      'utf8',
    );
    const ctx = createMockActionContext({
      input: { group: 'edge', labels: { region: 'eu' } },
      workspacePath: dir,
    });
    await action.handler(ctx);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.changed).toBe(true);
    expect(out.files).toEqual(['values-hub.yaml', 'values-edge.yaml']);
    expect(out.diff).toContain('+    edge:');
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    expect(commentLines(hub)).toEqual(commentLines(hubBefore));
    expect(
      parse(hub).clusterGroup.managedClusterGroups.edge.acmlabels,
    ).toContainEqual({ name: 'region', value: 'eu' });

    const snapshot = snapshotDir(dir);
    const again = createMockActionContext({
      input: { group: 'edge', labels: { region: 'eu' } },
      workspacePath: dir,
    });
    await action.handler(again);
    expect(outputsOf(again.output as jest.Mock)).toMatchObject({
      changed: false,
      files: [],
      diff: '',
    });
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it('honours dry run: outputs the diff, writes nothing', async () => {
    const dir = copyReferencePattern();
    const snapshot = snapshotDir(dir);
    const ctx = {
      ...createMockActionContext({
        input: { group: 'edge' },
        workspacePath: dir,
      }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toMatchObject({
      changed: true,
      files: ['values-hub.yaml', 'values-edge.yaml'],
    });
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it.each([
    [{ group: 'Edge' }, /DNS-1123/],
    [{ group: 'an-overly-long-group' }, /must be below 47/],
    [{ group: 'hub' }, /hub group itself/],
    [{ group: 'edge', sourcePath: '../outside' }, /outside/],
  ])(
    'refuses %j with an InputError and writes nothing',
    async (input, message) => {
      const dir = copyReferencePattern();
      const snapshot = snapshotDir(dir);
      const ctx = createMockActionContext({ input, workspacePath: dir });
      await expect(action.handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(snapshotDir(dir)).toEqual(snapshot);
    },
  );
});
