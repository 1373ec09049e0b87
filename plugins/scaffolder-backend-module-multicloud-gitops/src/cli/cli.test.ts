import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { runCli } from './index';
import {
  commentLines,
  copyReferencePattern,
  referencePatternDir,
  snapshotDir,
} from '../__testUtils__/fixtures';

async function run(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: t => (stdout += t),
    stderr: t => (stderr += t),
  });
  return { code, stdout, stderr };
}

const bin = path.resolve(__dirname, '../../bin/multicloud-gitops-pattern');

describe('multicloud-gitops-pattern', () => {
  it('validate accepts the real multicloud-gitops files (exit 0)', async () => {
    const r = await run('validate', referencePatternDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('valid');
    expect(r.stderr).not.toContain('error:');
  });

  it('validate exits 1 and prints file, path and fix for an invalid pattern', async () => {
    const dir = copyReferencePattern();
    const hub = fs.readFileSync(path.join(dir, 'values-hub.yaml'), 'utf8');
    fs.writeFileSync(
      path.join(dir, 'values-hub.yaml'),
      hub.replace('argoProject: config-demo', 'argoProject: missing-project'),
    );
    const r = await run('validate', dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'error: values-hub.yaml: clusterGroup.applications.config-demo.argoProject: Argo CD project "missing-project" is not declared; add it to clusterGroup.argoProjects',
    );
  });

  it('add-cluster-group on a copy keeps every comment, and a second run changes nothing', async () => {
    const dir = copyReferencePattern();
    const before = snapshotDir(dir);
    const first = await run(
      'add-cluster-group',
      dir,
      '--group',
      'group-two',
      '--label',
      'env=prod',
    );
    expect(first.code).toBe(0);
    const after = snapshotDir(dir);
    for (const file of Object.keys(before)) {
      expect(commentLines(after[file])).toEqual(commentLines(before[file]));
    }
    expect(
      parse(after['values-hub.yaml']).clusterGroup.managedClusterGroups[
        'group-two'
      ].acmlabels,
    ).toEqual([
      { name: 'clusterGroup', value: 'group-two' },
      { name: 'env', value: 'prod' },
    ]);
    expect(after['values-group-two.yaml']).toBeDefined();
    expect((await run('validate', dir)).code).toBe(0);

    const second = await run(
      'add-cluster-group',
      dir,
      '--group',
      'group-two',
      '--label',
      'env=prod',
    );
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('nothing to change');
    expect(snapshotDir(dir)).toEqual(after);
  });

  it('--dry-run prints a unified diff and writes nothing', async () => {
    const dir = copyReferencePattern();
    const before = snapshotDir(dir);
    const r = await run(
      'add-application',
      dir,
      '--group',
      'group-one',
      '--app',
      'shop',
      '--namespace',
      'shop',
      '--chart',
      'shop',
      '--chart-version',
      '1.2.*',
      '--repo-url',
      'https://charts.example.com',
      '--dry-run',
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--- a/values-group-one.yaml');
    expect(r.stdout).toContain('+++ b/values-group-one.yaml');
    expect(r.stdout).toContain('+      chartVersion: 1.2.*');
    expect(snapshotDir(dir)).toEqual(before);
  });

  it('add-application writes the entry and is idempotent', async () => {
    const dir = copyReferencePattern();
    fs.mkdirSync(path.join(dir, 'charts/all/shop'), { recursive: true });
    const args = [
      'add-application',
      dir,
      '--group',
      'group-one',
      '--app',
      'shop',
      '--namespace',
      'shop',
      '--path',
      'charts/all/shop',
      '--argo-project',
      'config-demo',
    ];
    expect((await run(...args)).code).toBe(0);
    const after = snapshotDir(dir);
    expect(
      parse(after['values-group-one.yaml']).clusterGroup.applications.shop,
    ).toEqual({
      name: 'shop',
      namespace: 'shop',
      argoProject: 'config-demo',
      path: 'charts/all/shop',
    });
    expect((await run(...args)).stdout).toContain('nothing to change');
    expect(snapshotDir(dir)).toEqual(after);
  });

  it.each([
    [[]],
    [['frobnicate', '.']],
    [['validate']],
    [['validate', '/nonexistent/dir']],
    [['add-cluster-group', '.']],
    [['add-cluster-group', '.', '--group']],
    [['add-cluster-group', '.', '--group', 'x', '--label', 'novalue']],
    [['add-cluster-group', '.', '--group', 'x', '--bogus', 'y']],
    [
      [
        'add-application',
        '.',
        '--group',
        'g',
        '--app',
        'a',
        '--namespace',
        'n',
      ],
    ],
    [
      [
        'add-application',
        '.',
        '--group',
        'g',
        '--app',
        'a',
        '--namespace',
        'n',
        '--path',
        'p',
        '--chart',
        'c',
      ],
    ],
    [
      [
        'add-application',
        '.',
        '--group',
        'g',
        '--app',
        'a',
        '--namespace',
        'n',
        '--chart',
        'c',
      ],
    ],
  ])('usage error %j exits 2', async argv => {
    const r = await run(
      ...argv.map(a => (a === '.' ? referencePatternDir : a)),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage:');
  });

  it('bad input (invalid name, length rule, missing group file, alias bomb) exits 1 and writes nothing', async () => {
    const dir = copyReferencePattern();
    const before = snapshotDir(dir);
    expect(
      (await run('add-cluster-group', dir, '--group', 'Bad_Name')).code,
    ).toBe(1);
    const long = await run(
      'add-cluster-group',
      dir,
      '--group',
      'abcdefghijklmnop',
    );
    expect(long.code).toBe(1);
    expect(long.stderr).toContain('must be below 47');
    const missing = await run(
      'add-application',
      dir,
      '--group',
      'nope',
      '--app',
      'a',
      '--namespace',
      'a',
      '--path',
      'charts/a',
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('values-nope.yaml');
    const traversal = await run(
      'add-application',
      dir,
      '--group',
      'group-one',
      '--app',
      'a',
      '--namespace',
      'a',
      '--path',
      '../../etc',
    );
    expect(traversal.code).toBe(1);
    expect(snapshotDir(dir)).toEqual(before);

    fs.writeFileSync(
      path.join(dir, 'values-hub.yaml'),
      `a: &a [x,x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nclusterGroup: {x: *c}\n`,
    );
    const bombed = snapshotDir(dir);
    const bomb = await run('add-cluster-group', dir, '--group', 'group-two');
    expect(bomb.code).toBe(1);
    expect(bomb.stderr).toContain('aliases');
    expect(snapshotDir(dir)).toEqual(bombed);
  });

  it('the bin script runs the TypeScript sources and maps exit codes', () => {
    const ok = spawnSync(
      process.execPath,
      [bin, 'validate', referencePatternDir],
      { encoding: 'utf8' },
    );
    expect(ok.stderr).not.toContain('unexpected error');
    expect(ok.status).toBe(0);
    const usage = spawnSync(process.execPath, [bin, 'nope'], {
      encoding: 'utf8',
    });
    expect(usage.status).toBe(2);
    const dir = copyReferencePattern();
    fs.writeFileSync(path.join(dir, 'values-global.yaml'), 'global: {}\n');
    const invalid = spawnSync(process.execPath, [bin, 'validate', dir], {
      encoding: 'utf8',
    });
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain('values-global.yaml: global.pattern');
  }, 60_000);
});
