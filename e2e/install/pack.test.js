'use strict';
/*
 * What a portal that installs our packages from npm gets: built code with types, the config
 * schema, README, LICENSE and CHANGELOG, entry points that exist, and nothing else.
 */
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { preparedPacks } = require('./pack');
const { workspacePackages } = require('../../scripts/lib/packages');

const TWO_MB = 2 * 1024 * 1024;
let packs;

test.before(() => {
  packs = preparedPacks(fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-pack-')));
});

test('seven packages are published, all in our own scope', () => {
  assert.deepEqual(packs.map(p => p.name).sort(), [
    '@multicloud-gitops-backstage/plugin-catalog-backend-module-multicloud-gitops',
    '@multicloud-gitops-backstage/plugin-kubernetes-backend-module-multicloud-gitops',
    '@multicloud-gitops-backstage/plugin-multicloud-gitops',
    '@multicloud-gitops-backstage/plugin-multicloud-gitops-backend',
    '@multicloud-gitops-backstage/plugin-multicloud-gitops-common',
    '@multicloud-gitops-backstage/plugin-multicloud-gitops-node',
    '@multicloud-gitops-backstage/plugin-scaffolder-backend-module-multicloud-gitops',
  ]);
});

test('each tarball has dist/ with types, README, LICENSE, CHANGELOG and no sources or test files', () => {
  for (const p of packs) {
    const has = f => p.files.includes(f);
    assert.ok(
      has('README.md') && has('LICENSE') && has('CHANGELOG.md'),
      `${p.name}: README/LICENSE/CHANGELOG`,
    );
    assert.ok(
      p.files.some(f => /^dist\/.*\.(cjs|esm)\.js$/.test(f)),
      `${p.name}: built code in dist/`,
    );
    assert.ok(has('dist/index.d.ts'), `${p.name}: dist/index.d.ts`);
    const unwanted = p.files.filter(
      f =>
        f.startsWith('src/') ||
        /(^|\/)__(tests|testUtils|fixtures)__\//.test(f) ||
        /\.test\.[cm]?[jt]sx?$/.test(f) ||
        /(^|\/)fixtures?\//.test(f) ||
        /\.(png|jpe?g|gif)$/.test(f) ||
        (/\.tsx?$/.test(f) && !f.endsWith('.d.ts')),
    );
    assert.deepEqual(unwanted, [], `${p.name} ships files it should not`);
  }
});

test('packages with config ship config.d.ts and the schema the Backstage config loader reads', () => {
  for (const p of packs) {
    const source = JSON.parse(
      fs.readFileSync(path.join(p.dir, 'package.json'), 'utf8'),
    );
    if (!source.configSchema) continue;
    assert.ok(p.files.includes('config.d.ts'), `${p.name}: config.d.ts`);
    assert.ok(
      p.files.includes(p.packedJson.configSchema),
      `${p.name}: ${p.packedJson.configSchema}`,
    );
  }
});

test('the packed package.json points every entry point at a file in the tarball', () => {
  for (const p of packs) {
    const j = p.packedJson;
    assert.equal(j.private, undefined, `${p.name} is not private`);
    assert.equal(j.license, 'Apache-2.0');
    for (const key of ['main', 'types', 'module']) {
      if (j[key] !== undefined)
        assert.ok(
          p.files.includes(j[key]),
          `${p.name}: ${key} ${j[key]} is packed`,
        );
    }
    assert.match(j.main, /^dist\//, `${p.name}: main in dist/`);
    const targets = [];
    const walk = v =>
      typeof v === 'string'
        ? targets.push(v)
        : v && Object.values(v).forEach(walk);
    walk(j.exports);
    for (const t of targets)
      assert.ok(
        p.files.includes(t.replace(/^\.\//, '')),
        `${p.name}: export ${t} is packed`,
      );
    for (const bin of Object.values(j.bin ?? {}))
      assert.ok(p.files.includes(bin), `${p.name}: bin ${bin}`);
  }
});

test('the frontend plugin exports ./alpha and leaves React and the router to the app', () => {
  const fe = packs.find(p => p.name.endsWith('/plugin-multicloud-gitops'));
  assert.ok(fe.packedJson.exports['./alpha'], 'exports ./alpha');
  for (const peer of ['react', 'react-dom', 'react-router-dom']) {
    assert.ok(
      fe.packedJson.peerDependencies?.[peer],
      `peer dependency ${peer}`,
    );
    assert.equal(
      fe.packedJson.dependencies?.[peer],
      undefined,
      `${peer} is not a dependency`,
    );
  }
});

test('no runtime dependency on a package that is not published', () => {
  const unpublished = new Set(
    workspacePackages()
      .filter(p => p.json.private)
      .map(p => p.name),
  );
  const published = new Map(packs.map(p => [p.name, p.version]));
  for (const p of packs) {
    for (const [dep, range] of Object.entries(
      p.packedJson.dependencies ?? {},
    )) {
      assert.ok(!unpublished.has(dep), `${p.name} depends on private ${dep}`);
      if (published.has(dep))
        assert.match(range, /^\^?\d/, `${p.name}: ${dep} has a semver range`);
    }
  }
});

test('the scaffolder module ships its three software templates', () => {
  const sm = packs.find(p => p.name.includes('scaffolder-backend-module'));
  for (const t of ['create-pattern', 'onboard-cluster', 'onboard-team']) {
    assert.ok(sm.files.includes(`templates/${t}/template.yaml`), t);
  }
});

test('all tarballs together are under 2 MB', () => {
  const total = packs.reduce((n, p) => n + p.size, 0);
  process.stdout.write(
    `# packed: ${packs
      .map(p => `${p.name.split('/')[1]} ${(p.size / 1024).toFixed(0)} KiB`)
      .join(', ')}; total ${(total / 1024).toFixed(0)} KiB\n`,
  );
  assert.ok(total < TWO_MB, `total ${total} bytes`);
});
