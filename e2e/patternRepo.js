/*
 * The real multicloud-gitops values files (../shared/reference) as a bare local git
 * repository: the example System's pattern repository for the end-to-end runs that start
 * the example backend (the templates' run, the reliability suite).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const shared = path.resolve(__dirname, '../../shared');

function git(...a) {
  const r = spawnSync('git', a, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${a.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Writes `<repos>/multicloud-gitops.git`, working in `tmp`. */
function seedReferenceRepo(repos, tmp) {
  const src = path.join(tmp, 'mcg-src');
  fs.cpSync(
    path.join(shared, 'reference/validated-patterns/multicloud-gitops'),
    src,
    { recursive: true },
  );
  for (const f of fs.readdirSync(src)) fs.chmodSync(path.join(src, f), 0o644);
  fs.writeFileSync(
    path.join(src, '.gitignore'),
    'values-secret*\n!values-secret.yaml.template\n',
  );
  for (const chart of ['config-demo', 'hello-world']) {
    fs.mkdirSync(path.join(src, 'charts/all', chart), { recursive: true });
    fs.writeFileSync(
      path.join(src, 'charts/all', chart, 'Chart.yaml'),
      `apiVersion: v2\nname: ${chart}\nversion: 0.1.0\n`,
    );
  }
  git('init', '-q', '-b', 'main', src);
  git('-C', src, 'add', '-A');
  git(
    '-C',
    src,
    '-c',
    'user.name=e2e',
    '-c',
    'user.email=e2e@example.com',
    'commit',
    '-qm',
    'multicloud-gitops',
  );
  git('clone', '-q', '--bare', src, path.join(repos, 'multicloud-gitops.git'));
}

module.exports = { git, seedReferenceRepo, shared };
