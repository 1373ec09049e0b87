import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { readPattern } from './checkout';
import { applyChanges, renderDiff } from './changes';
import { planAddClusterGroup } from './addClusterGroup';
import { planAddApplication } from './addApplication';
import { PatternValidationError } from './issues';
import {
  commentLines,
  copyReferencePattern,
  snapshotDir,
} from '../__testUtils__/fixtures';

async function addGroup(
  dir: string,
  group: string,
  labels?: Record<string, string>,
) {
  const plan = await planAddClusterGroup(await readPattern(dir), {
    group,
    labels,
  });
  await applyChanges(dir, plan.changes);
  return plan;
}

describe('planAddClusterGroup', () => {
  it('adds the group to the hub file, keeps every comment and only adds lines', async () => {
    const dir = copyReferencePattern();
    const before = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    const plan = await addGroup(dir, 'group-two', { region: 'eu' });
    const after = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');

    expect(commentLines(after)).toEqual(commentLines(before));
    const diff = renderDiff(
      plan.changes.filter(c => c.file === 'values-hub.yaml'),
    );
    const removed = diff
      .split('\n')
      .filter(l => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual([]);

    const data = parse(after);
    expect(data.clusterGroup.managedClusterGroups['group-two']).toEqual({
      name: 'group-two',
      acmlabels: [
        { name: 'clusterGroup', value: 'group-two' },
        { name: 'region', value: 'eu' },
      ],
    });
    // Key order is kept: the new entry comes after the existing one.
    expect(Object.keys(data.clusterGroup.managedClusterGroups)).toEqual([
      'exampleRegion',
      'group-two',
    ]);
    expect(Object.keys(data.clusterGroup)).toEqual(
      Object.keys(parse(before).clusterGroup),
    );

    const groupFile = parse(
      fs.readFileSync(path.join(dir, 'values-group-two.yaml'), 'utf8'),
    );
    expect(groupFile.clusterGroup).toEqual({
      name: 'group-two',
      namespaces: {},
      argoProjects: [],
      applications: {},
    });
  });

  it('changes nothing the second time', async () => {
    const dir = copyReferencePattern();
    await addGroup(dir, 'group-two');
    const snapshot = snapshotDir(dir);
    const second = await planAddClusterGroup(await readPattern(dir), {
      group: 'group-two',
    });
    expect(second.changes).toEqual([]);
    await applyChanges(dir, second.changes);
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it('treats an existing group (group-one) as already present', async () => {
    const plan = await planAddClusterGroup(
      await readPattern(copyReferencePattern()),
      { group: 'group-one' },
    );
    expect(plan.changes).toEqual([]);
    expect(plan.notes.join('\n')).toContain('already');
  });

  it('creates managedClusterGroups when the hub has none', async () => {
    const dir = copyReferencePattern();
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    const cut = hub.slice(0, hub.indexOf('  managedClusterGroups:'));
    fs.writeFileSync(path.join(dir, 'values-hub.yaml'), cut);
    await addGroup(dir, 'group-one');
    const after = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    expect(after.startsWith(cut)).toBe(true);
    expect(parse(after).clusterGroup.managedClusterGroups).toEqual({
      'group-one': {
        name: 'group-one',
        acmlabels: [{ name: 'clusterGroup', value: 'group-one' }],
      },
    });
  });

  it.each([
    [{ group: 'Group_Two' }, 'DNS-1123'],
    [{ group: 'hub' }, 'hub group itself'],
    [{ group: 'a-very-long-group-name' }, 'must be below 47'],
    [{ group: 'group-two', labels: { 'bad key!': 'x' } }, 'label key'],
    [
      { group: 'group-two', labels: { clusterGroup: 'other' } },
      'label clusterGroup must be',
    ],
  ])(
    'refuses %j with a clear error and writes nothing',
    async (options, message) => {
      const dir = copyReferencePattern();
      const snapshot = snapshotDir(dir);
      await expect(
        planAddClusterGroup(await readPattern(dir), options),
      ).rejects.toThrow(message);
      expect(snapshotDir(dir)).toEqual(snapshot);
    },
  );

  it('refuses when the result would be invalid (pre-existing errors) and names them', async () => {
    const dir = copyReferencePattern();
    const g = fs.readFileSync(path.join(dir, 'values-group-one.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'values-group-one.yaml'),
      g.replace('  name: group-one\n', '  name: group-one\n  foo: 1\n'),
    );
    const err = await planAddClusterGroup(await readPattern(dir), {
      group: 'group-two',
    }).catch(e => e);
    expect(err).toBeInstanceOf(PatternValidationError);
    expect(err.issues).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        path: 'clusterGroup.foo',
      }),
    );
    expect(fs.existsSync(path.join(dir, 'values-group-two.yaml'))).toBe(false);
  });
});

describe('planAddApplication', () => {
  it('adds namespace, project and application to a group and keeps comments', async () => {
    const dir = copyReferencePattern();
    const before = fs.readFileSync(
      path.join(dir, 'values-group-one.yaml'),
      'utf8',
    );
    fs.mkdirSync(path.join(dir, 'charts/all/shop'), { recursive: true });
    const plan = await planAddApplication(await readPattern(dir), {
      group: 'group-one',
      app: 'shop',
      namespace: 'shop',
      path: 'charts/all/shop',
    });
    await applyChanges(dir, plan.changes);
    const after = fs.readFileSync(
      path.join(dir, 'values-group-one.yaml'),
      'utf8',
    );
    expect(commentLines(after)).toEqual(commentLines(before));
    const diff = renderDiff(plan.changes);
    expect(
      diff.split('\n').filter(l => l.startsWith('-') && !l.startsWith('---')),
    ).toEqual([]);
    const cg = parse(after).clusterGroup;
    expect(cg.namespaces).toHaveProperty('shop', null);
    expect(cg.argoProjects).toEqual([
      'eso',
      'config-demo',
      'hello-world',
      'shop',
    ]);
    expect(cg.applications.shop).toEqual({
      name: 'shop',
      namespace: 'shop',
      argoProject: 'shop',
      path: 'charts/all/shop',
    });

    const again = await planAddApplication(await readPattern(dir), {
      group: 'group-one',
      app: 'shop',
      namespace: 'shop',
      path: 'charts/all/shop',
    });
    expect(again.changes).toEqual([]);
  });

  it('adds a chart application to a freshly created group file', async () => {
    const dir = copyReferencePattern();
    await addGroup(dir, 'group-two');
    const plan = await planAddApplication(await readPattern(dir), {
      group: 'group-two',
      app: 'vault',
      namespace: 'vault',
      chart: 'hashicorp-vault',
      chartVersion: '0.1.*',
      argoProject: 'hub',
    });
    await applyChanges(dir, plan.changes);
    const text = fs.readFileSync(
      path.join(dir, 'values-group-two.yaml'),
      'utf8',
    );
    expect(text).not.toContain('{}');
    expect(parse(text).clusterGroup).toEqual({
      name: 'group-two',
      namespaces: { vault: null },
      argoProjects: ['hub'],
      applications: {
        vault: {
          name: 'vault',
          namespace: 'vault',
          argoProject: 'hub',
          chart: 'hashicorp-vault',
          chartVersion: '0.1.*',
        },
      },
    });
  });

  it.each([
    [{ app: 'shop', namespace: 'shop' }, 'either a path'],
    [
      { app: 'shop', namespace: 'shop', path: '../outside' },
      'without ".." segments',
    ],
    [{ app: 'shop', namespace: 'shop', path: '/etc' }, 'without ".." segments'],
    [{ app: 'Shop', namespace: 'shop', path: 'charts/x' }, 'DNS-1123'],
    [
      {
        app: 'config-demo',
        namespace: 'other',
        path: 'charts/all/config-demo',
      },
      'already exists with other settings',
    ],
    [{ app: 'shop', namespace: 'shop', chart: 'x' }, 'chartVersion'],
  ])('refuses %j and writes nothing', async (o, message) => {
    const dir = copyReferencePattern();
    const snapshot = snapshotDir(dir);
    await expect(
      planAddApplication(await readPattern(dir), {
        group: 'group-one',
        ...o,
      } as any),
    ).rejects.toThrow(message);
    expect(snapshotDir(dir)).toEqual(snapshot);
  });

  it('refuses a group without values file and says how to add it', async () => {
    const dir = copyReferencePattern();
    await expect(
      planAddApplication(await readPattern(dir), {
        group: 'nope',
        app: 'a',
        namespace: 'a',
        path: 'charts/a',
      }),
    ).rejects.toThrow(/values-nope.yaml.*add-cluster-group/s);
  });
});

describe('list-form sections (older patterns)', () => {
  const listHub = `clusterGroup:
  name: hub
  namespaces:
  - open-cluster-management
  - shop # the shop team
  argoProjects:
  - hub
  applications:
  - name: acm
    namespace: open-cluster-management
    argoProject: hub
    chart: acm
    chartVersion: 0.2.*
  managedClusterGroups:
  - name: group-one
    acmlabels:
    - name: clusterGroup
      value: group-one
`;

  function listPattern() {
    const dir = copyReferencePattern();
    fs.writeFileSync(path.join(dir, 'values-hub.yaml'), listHub);
    return dir;
  }

  it('appends to list-form managedClusterGroups in the file own indentation style', async () => {
    const dir = listPattern();
    await addGroup(dir, 'group-two');
    const after = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    expect(after).toBe(
      `${listHub}  - name: group-two\n    acmlabels:\n    - name: clusterGroup\n      value: group-two\n`,
    );
  });

  it('appends namespaces, projects and applications to list-form sections', async () => {
    const dir = listPattern();
    fs.mkdirSync(path.join(dir, 'charts/hub/shop'), { recursive: true });
    const plan = await planAddApplication(await readPattern(dir), {
      group: 'hub',
      app: 'shop',
      namespace: 'shop',
      path: 'charts/hub/shop',
    });
    await applyChanges(dir, plan.changes);
    const after = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    expect(after).toContain('  - shop # the shop team\n');
    const cg = parse(after).clusterGroup;
    expect(cg.namespaces).toEqual(['open-cluster-management', 'shop']); // already declared: not added twice
    expect(cg.argoProjects).toEqual(['hub', 'shop']);
    expect(cg.applications[1]).toEqual({
      name: 'shop',
      namespace: 'shop',
      argoProject: 'shop',
      path: 'charts/hub/shop',
    });
    const removed = renderDiff(plan.changes)
      .split('\n')
      .filter(l => l.startsWith('-') && !l.startsWith('---'));
    expect(removed).toEqual([]);
  });
});

describe('other layouts of the hub file', () => {
  async function hubAfterAdding(hubText: string) {
    const dir = copyReferencePattern();
    fs.writeFileSync(path.join(dir, 'values-hub.yaml'), hubText);
    await addGroup(dir, 'group-two');
    return fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
  }
  const base =
    'clusterGroup:\n  name: hub # the hub\n  namespaces: {}\n  applications: {}\n';

  it.each([
    ['empty flow map', `${base}  managedClusterGroups: {}\n`],
    ['empty value', `${base}  managedClusterGroups:\n`],
  ])('fills %s with a block entry', async (_, hubText) => {
    const after = await hubAfterAdding(hubText);
    expect(after).toBe(
      `${base}  managedClusterGroups:\n    group-two:\n      name: group-two\n      acmlabels:\n        - name: clusterGroup\n          value: group-two\n`,
    );
  });

  it('keeps CRLF line endings', async () => {
    const crlf =
      `${base}  managedClusterGroups:\n    group-one:\n      name: group-one\n`.replace(
        /\n/g,
        '\r\n',
      );
    const after = await hubAfterAdding(crlf);
    expect(after.startsWith(crlf)).toBe(true);
    expect(after.replace(/\r\n/g, '')).not.toContain('\n');
    expect(
      parse(after).clusterGroup.managedClusterGroups['group-two'].name,
    ).toBe('group-two');
  });
});
