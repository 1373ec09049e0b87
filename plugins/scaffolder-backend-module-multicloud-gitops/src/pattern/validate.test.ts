import fs from 'node:fs';
import path from 'node:path';
import { readPattern } from './checkout';
import { validatePattern } from './validate';
import {
  copyReferencePattern,
  referencePatternDir,
} from '../__testUtils__/fixtures';

async function validateDir(dir: string) {
  return validatePattern(await readPattern(dir));
}

function write(dir: string, file: string, text: string) {
  fs.writeFileSync(path.join(dir, file), text);
}

describe('validatePattern', () => {
  it('accepts the real multicloud-gitops values files', async () => {
    const result = await validateDir(referencePatternDir);
    expect(result.errors).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('accepts a writable copy with charts and .gitignore without warnings', async () => {
    const result = await validateDir(copyReferencePattern());
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('names file, YAML path and the fix for a bad application namespace in map form', async () => {
    const dir = copyReferencePattern();
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    write(
      dir,
      'values-hub.yaml',
      hub.replace(
        '      namespace: config-demo\n',
        '      namespace: Config_Demo\n',
      ),
    );
    const result = await validateDir(dir);
    expect(result.valid).toBe(false);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-hub.yaml',
        path: 'clusterGroup.applications.config-demo.namespace',
        message: expect.stringContaining('DNS-1123'),
      }),
    );
  });

  it('checks map-form entries against the item rules (unknown keys, required keys)', async () => {
    const dir = copyReferencePattern();
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    write(
      dir,
      'values-hub.yaml',
      hub
        .replace(
          '      channel: release-2.16\n',
          '      channel: release-2.16\n      chanel: typo\n',
        )
        .replace(
          '    exampleRegion:\n      name: group-one\n',
          '    exampleRegion:\n      nme: group-one\n',
        ),
    );
    const result = await validateDir(dir);
    const paths = result.errors.map(e => `${e.file}:${e.path}`);
    expect(paths).toContain(
      'values-hub.yaml:clusterGroup.subscriptions.acm.chanel',
    );
    expect(paths).toContain(
      'values-hub.yaml:clusterGroup.managedClusterGroups.exampleRegion.nme',
    );
    expect(paths).toContain(
      'values-hub.yaml:clusterGroup.managedClusterGroups.exampleRegion.name',
    );
  });

  it('rejects unknown clusterGroup keys and missing required keys', async () => {
    const dir = copyReferencePattern();
    write(
      dir,
      'values-group-one.yaml',
      'clusterGroup:\n  name: group-one\n  foo: bar\n',
    );
    const result = await validateDir(dir);
    const found = result.errors.map(e => e.path);
    expect(found).toEqual(
      expect.arrayContaining([
        'clusterGroup.foo',
        'clusterGroup.namespaces',
        'clusterGroup.applications',
      ]),
    );
  });

  it('requires global.options and multi-source like the install playbook', async () => {
    const dir = copyReferencePattern();
    write(
      dir,
      'values-global.yaml',
      'global:\n  pattern: multicloud-gitops\nmain:\n  clusterGroupName: hub\n',
    );
    const result = await validateDir(dir);
    expect(result.errors.map(e => e.path)).toEqual(
      expect.arrayContaining([
        'global.options',
        'main.multiSourceConfig.enabled',
      ]),
    );
  });

  async function renameGroup(group: string) {
    const dir = copyReferencePattern();
    fs.renameSync(
      path.join(dir, 'values-group-one.yaml'),
      path.join(dir, `values-${group}.yaml`),
    );
    const g = fs.readFileSync(path.join(dir, `values-${group}.yaml`), 'utf8');
    write(
      dir,
      `values-${group}.yaml`,
      g.replace('name: group-one', `name: ${group}`),
    );
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    write(dir, 'values-hub.yaml', hub.replace(/group-one/g, group));
    return validateDir(dir);
  }

  it('refuses len(pattern) + 2*len(group) = 47 (the limit itself) in both files', async () => {
    // 17 ("multicloud-gitops") + 2 * 15 = 47
    const result = await renameGroup('group-one-abcde');
    const rule = result.errors.filter(e =>
      e.message.includes('must be below 47'),
    );
    expect(rule).toEqual([
      expect.objectContaining({
        file: 'values-group-one-abcde.yaml',
        path: 'clusterGroup.name',
      }),
      expect.objectContaining({
        file: 'values-hub.yaml',
        path: 'clusterGroup.managedClusterGroups.exampleRegion.name',
      }),
    ]);
    expect(rule[0].message).toContain('= 47');
  });

  it('accepts len(pattern) + 2*len(group) = 45', async () => {
    expect((await renameGroup('group-one-abcd')).errors).toEqual([]);
  });

  it('requires a values file for every managed cluster group', async () => {
    const dir = copyReferencePattern();
    fs.rmSync(path.join(dir, 'values-group-one.yaml'));
    const result = await validateDir(dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-hub.yaml',
        path: 'clusterGroup.managedClusterGroups.exampleRegion.name',
        message: expect.stringContaining('values-group-one.yaml is missing'),
      }),
    );
  });

  it('flags a clusterGroup.name that does not match the file name', async () => {
    const dir = copyReferencePattern();
    const g = fs.readFileSync(path.join(dir, 'values-group-one.yaml'), 'utf8');
    write(
      dir,
      'values-group-one.yaml',
      g.replace('name: group-one', 'name: group-two'),
    );
    const result = await validateDir(dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        path: 'clusterGroup.name',
      }),
    );
  });

  it('finds secrets in tracked files but not in git-ignored ones', async () => {
    const dir = copyReferencePattern();
    write(
      dir,
      'values-secret.yaml',
      'secrets:\n  - name: x\n    fields:\n      - name: password\n        value: hunter2\n',
    );
    expect((await validateDir(dir)).valid).toBe(true); // ignored through .gitignore

    fs.rmSync(path.join(dir, '.gitignore'));
    const unignored = await validateDir(dir);
    expect(unignored.errors).toContainEqual(
      expect.objectContaining({ file: 'values-secret.yaml' }),
    );
    expect(unignored.warnings).toContainEqual(
      expect.objectContaining({ file: '.gitignore' }),
    );

    const dir2 = copyReferencePattern();
    fs.mkdirSync(path.join(dir2, 'overrides'));
    write(
      dir2,
      'overrides/values-AWS.yaml',
      'foo:\n  password: s3cr3t-value\n',
    );
    write(dir2, 'notes.txt', 'token: sha256~abcdefghijklmnopqrstuvwxyz0123\n');
    const leaked = await validateDir(dir2);
    expect(leaked.errors).toContainEqual(
      expect.objectContaining({
        file: 'overrides/values-AWS.yaml',
        path: 'foo.password',
      }),
    );
    expect(leaked.errors).toContainEqual(
      expect.objectContaining({
        file: 'notes.txt',
        path: 'line 1',
        message: expect.stringContaining('OpenShift access token'),
      }),
    );
  });

  it('refuses YAML alias bombs instead of expanding them', async () => {
    const dir = copyReferencePattern();
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      'clusterGroup: {name: group-one, namespaces: {}, applications: {}, x: *g}',
    ].join('\n');
    write(dir, 'values-group-one.yaml', bomb);
    const started = Date.now();
    const result = await validateDir(dir);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        message: expect.stringContaining('aliases'),
      }),
    );
  });

  it('reports syntax errors and duplicate keys per file', async () => {
    const dir = copyReferencePattern();
    write(
      dir,
      'values-group-one.yaml',
      'clusterGroup:\n  name: group-one\n  name: again\n',
    );
    const result = await validateDir(dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        file: 'values-group-one.yaml',
        message: expect.stringContaining('YAML syntax error'),
      }),
    );
  });

  it('requires declared Argo CD projects and a source for every application', async () => {
    const dir = copyReferencePattern();
    const g = fs.readFileSync(path.join(dir, 'values-group-one.yaml'), 'utf8');
    write(
      dir,
      'values-group-one.yaml',
      g.replace(
        '      argoProject: hello-world\n      path: charts/all/hello-world\n',
        '      argoProject: nope\n',
      ),
    );
    const result = await validateDir(dir);
    expect(result.errors.map(e => e.path)).toEqual(
      expect.arrayContaining([
        'clusterGroup.applications.hello-world.argoProject',
        'clusterGroup.applications.hello-world',
      ]),
    );
  });

  it('refuses chart paths that leave the repository', async () => {
    const dir = copyReferencePattern();
    const g = fs.readFileSync(path.join(dir, 'values-group-one.yaml'), 'utf8');
    write(
      dir,
      'values-group-one.yaml',
      g.replace('path: charts/all/hello-world', 'path: ../../etc'),
    );
    const result = await validateDir(dir);
    expect(result.errors).toContainEqual(
      expect.objectContaining({
        path: 'clusterGroup.applications.hello-world.path',
      }),
    );
  });
});
