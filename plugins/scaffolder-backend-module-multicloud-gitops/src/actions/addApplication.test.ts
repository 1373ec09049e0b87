import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createAddApplicationAction } from './addApplication';
import { copyReferencePattern, snapshotDir } from '../__testUtils__/fixtures';
import { outputsOf } from '../__testUtils__/actions';

describe('multicloud-gitops:values:add-application', () => {
  const action = createAddApplicationAction();
  const input = {
    group: 'group-one',
    app: 'inventory',
    namespace: 'inventory',
    chart: 'inventory',
    chartVersion: '1.4.*',
    chartRepoUrl: 'https://charts.example.com',
  };

  it('adds namespace, project and application; a second run changes nothing', async () => {
    const dir = copyReferencePattern();
    const ctx = createMockActionContext({ input, workspacePath: dir });
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock)).toMatchObject({
      changed: true,
      files: ['values-group-one.yaml'],
    });
    const cg = parse(
      fs.readFileSync(path.join(dir, 'values-group-one.yaml'), 'utf8'),
    ).clusterGroup;
    expect(cg.applications.inventory).toEqual({
      name: 'inventory',
      namespace: 'inventory',
      argoProject: 'inventory',
      chart: 'inventory',
      chartVersion: '1.4.*',
      repoURL: 'https://charts.example.com',
    });
    expect(cg.namespaces).toHaveProperty('inventory');
    expect(cg.argoProjects).toContain('inventory');

    const snapshot = snapshotDir(dir);
    const again = createMockActionContext({ input, workspacePath: dir });
    await action.handler(again);
    expect(outputsOf(again.output as jest.Mock).changed).toBe(false);
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it('honours dry run', async () => {
    const dir = copyReferencePattern();
    const snapshot = snapshotDir(dir);
    const ctx = {
      ...createMockActionContext({ input, workspacePath: dir }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).diff).toContain(
      '+    inventory:',
    );
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it.each([
    [
      { ...input, group: 'missing' },
      /values-missing\.yaml.*add-cluster-group/s,
    ],
    [
      { group: 'group-one', app: 'x', namespace: 'x', path: '../../../etc' },
      /without "\.\." segments/,
    ],
    [
      {
        group: 'group-one',
        app: 'config-demo',
        namespace: 'elsewhere',
        path: 'charts/all/config-demo',
      },
      /already exists with other settings/,
    ],
    [
      { group: 'group-one', app: 'x', namespace: 'Bad', path: 'charts/x' },
      /DNS-1123/,
    ],
  ])('refuses %j and writes nothing', async (bad, message) => {
    const dir = copyReferencePattern();
    const snapshot = snapshotDir(dir);
    await expect(
      action.handler(
        createMockActionContext({ input: bad, workspacePath: dir }),
      ),
    ).rejects.toThrow(message);
    expect(snapshotDir(dir)).toEqual(snapshot);
  });
});
