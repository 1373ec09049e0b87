import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { applyChanges } from './changes';
import { planCreatePattern } from './createPattern';
import { readPattern } from './checkout';
import { validatePattern } from './validate';
import { planAddClusterGroup } from './addClusterGroup';
import { referencePatternDir, snapshotDir } from '../__testUtils__/fixtures';
import { upstreamSchemaErrors } from '../__testUtils__/upstreamSchema';

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-new-'));

async function create(options: Parameters<typeof planCreatePattern>[1]) {
  const dir = tmp();
  const plan = await planCreatePattern(dir, options);
  await applyChanges(dir, plan.changes);
  return dir;
}

describe('planCreatePattern', () => {
  it('the upstream schema check itself accepts the real multicloud-gitops files', () => {
    const errors = upstreamSchemaErrors(referencePatternDir);
    expect(Object.keys(errors).sort()).toEqual([
      'values-group-one.yaml',
      'values-hub.yaml',
      'values-standalone.yaml',
    ]);
    expect(Object.values(errors).flat()).toEqual([]);
  });

  it.each([
    [
      {
        secrets: true,
        exampleApps: true,
        clusterGroups: ['group-one', 'edge'],
      },
    ],
    [{ secrets: false, exampleApps: false, clusterGroups: [] }],
    [
      {
        secrets: false,
        exampleApps: true,
        clusterGroups: ['group-one'],
        hubGroup: 'datacenter',
      },
    ],
  ])(
    'generates a pattern that passes our validate and the upstream schema: %j',
    async variant => {
      const dir = await create({
        name: 'my-pattern',
        description: 'Test',
        owners: 'team-a',
        ...variant,
      });
      const result = await validatePattern(await readPattern(dir));
      expect(result.errors).toEqual([]);
      expect(result.warnings).toEqual([]);
      const upstream = upstreamSchemaErrors(dir);
      expect(Object.keys(upstream).length).toBe(
        1 + variant.clusterGroups.length,
      );
      expect(Object.values(upstream).flat()).toEqual([]);
    },
  );

  it('writes the required globals, the hub file with ACM and every managed group', async () => {
    const dir = await create({
      name: 'shop',
      secrets: true,
      exampleApps: true,
      clusterGroups: ['edge'],
    });
    const global = parse(
      fs.readFileSync(path.join(dir, 'values-global.yaml'), 'utf8'),
    );
    expect(global).toEqual({
      global: {
        pattern: 'shop',
        singleArgoCD: true,
        options: {
          useCSV: false,
          syncPolicy: 'Automatic',
          installPlanApproval: 'Automatic',
        },
      },
      main: {
        clusterGroupName: 'hub',
        multiSourceConfig: { enabled: true, clusterGroupChartVersion: '0.9.*' },
      },
    });
    const hub = parse(
      fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8'),
    ).clusterGroup;
    expect(hub.subscriptions.acm.name).toBe('advanced-cluster-management');
    expect(hub.applications.acm).toMatchObject({
      chart: 'acm',
      chartVersion: '0.2.*',
    });
    expect(hub.applications.vault).toMatchObject({ chart: 'hashicorp-vault' });
    expect(hub.managedClusterGroups.edge).toEqual({
      name: 'edge',
      acmlabels: [{ name: 'clusterGroup', value: 'edge' }],
    });
    const files = Object.keys(snapshotDir(dir)).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        '.gitignore',
        'values-secret.yaml.template',
        'pattern-metadata.yaml',
        'values-edge.yaml',
        'charts/all/hello-world/Chart.yaml',
      ]),
    );
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toContain(
      'values-secret*',
    );
  });

  it('without secrets disables the secret loader and writes no secrets template', async () => {
    const dir = await create({ name: 'plain', secrets: false });
    expect(
      parse(fs.readFileSync(path.join(dir, 'values-global.yaml'), 'utf8'))
        .global.secretLoader,
    ).toEqual({ disabled: true });
    expect(fs.existsSync(path.join(dir, 'values-secret.yaml.template'))).toBe(
      false,
    );
  });

  it('is idempotent, refuses to overwrite other content, and the result can be edited further', async () => {
    const dir = await create({ name: 'shop', clusterGroups: ['edge'] });
    expect(
      (await planCreatePattern(dir, { name: 'shop', clusterGroups: ['edge'] }))
        .changes,
    ).toEqual([]);
    await expect(
      planCreatePattern(dir, { name: 'other', clusterGroups: ['edge'] }),
    ).rejects.toThrow('already exists with other content');
    const plan = await planAddClusterGroup(await readPattern(dir), {
      group: 'west',
    });
    expect(plan.changes.map(c => c.file)).toEqual([
      'values-hub.yaml',
      'values-west.yaml',
    ]);
  });

  it.each([
    [{ name: 'My_Pattern' }, 'DNS-1123'],
    [
      { name: 'a-rather-long-pattern-name', clusterGroups: ['long-groups'] },
      'must be below 47',
    ], // 26 + 2 * 11 = 48,
    [{ name: 'p', clusterGroups: ['hub'] }, 'listed twice'],
    [{ name: 'p', clusterGroups: ['Bad'] }, 'DNS-1123'],
  ])('refuses %j and writes nothing', async (o, message) => {
    const dir = tmp();
    await expect(planCreatePattern(dir, o)).rejects.toThrow(message);
    expect(fs.readdirSync(dir)).toEqual([]);
  });
});
