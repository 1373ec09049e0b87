#!/usr/bin/env node
'use strict';
/*
 * Exports the frontend plugin, the backend plugin and the scaffolder, catalog and Kubernetes
 * backend modules as Red Hat Developer Hub dynamic plugins, with Red Hat's own CLI
 * (`rhdh-cli plugin export`, then `rhdh-cli plugin package`).
 *
 *   npm run export-dynamic                      -> dist-dynamic/<plugin>/ (one folder each)
 *   npm run export-dynamic -- --out <dir>       -> another folder, e.g. a dynamic-plugins-root
 *   npm run export-dynamic -- --tag <image>     -> one OCI image with all five (needs podman,
 *                                                  or --container-tool docker|buildah)
 *   --skip-build   use the packages' current dist/ instead of building them first
 *   --keep-staging keep the staging folder (printed) for inspection
 *
 * Why a staging folder: the exporter wants a yarn.lock (in the plugin folder or the monorepo
 * root) and installs the plugin's private dependencies with yarn; this repository is an npm
 * workspace and has none. So each package is exported from what we publish: its packed
 * tarball, unpacked into a staging folder outside the workspace and given its own yarn
 * install, the way anyone exporting it from the npm registry would. Our packages are not on
 * the registry, so a registry for our scope alone (e2e/install/registry.js) serves the
 * just-packed tarballs; everything else comes from the registry npm is configured with.
 *
 * The exporter and yarn are pinned below and installed with npm into a tools folder outside
 * the workspace (reused while the versions match): the CLI pins its own @backstage/cli
 * release, which this workspace's overrides would replace if it were a devDependency here.
 */
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

const RHDH_CLI_VERSION = '1.9.1';
const YARN_VERSION = '1.22.22';
const SCOPE = '@multicloud-gitops-backstage';

/** The name the frontend's webpack container registers under: the dynamicPlugins.frontend key. */
const SCALPRUM_NAME = 'multicloud-gitops-backstage.plugin-multicloud-gitops';

/** Arguments that embed -common and -node in a backend module's export. */
const EMBED_OURS = [
  '--embed-package',
  `${SCOPE}/plugin-multicloud-gitops-common`,
  `${SCOPE}/plugin-multicloud-gitops-node`,
];

/**
 * What is exported, and how. The Scalprum module `PluginRoot` is the frontend's main entry
 * point as published (dist/index.esm.js: the legacy frontend system's exports, which is what
 * Developer Hub's dynamicPlugins.frontend wiring imports by name).
 */
const PLUGINS = [
  {
    name: `${SCOPE}/plugin-multicloud-gitops`,
    role: 'frontend-plugin',
    scalprum: {
      name: SCALPRUM_NAME,
      exposedModules: { PluginRoot: './dist/index.esm.js' },
    },
    // The module federation assets (for new-frontend-system hosts) are built from the
    // plugin's src/ into dist/, which would replace the published dist/ this export bundles.
    exportArgs: ['--no-generate-module-federation-assets'],
  },
  {
    name: `${SCOPE}/plugin-multicloud-gitops-backend`,
    role: 'backend-plugin',
    // Built already (it is the packed package). -common and -node are embedded by the
    // exporter's own rule for `-backend` packages.
    exportArgs: ['--no-build'],
  },
  {
    name: `${SCOPE}/plugin-scaffolder-backend-module-multicloud-gitops`,
    role: 'backend-plugin-module',
    // The exporter derives the packages to embed from the module's name
    // (plugin-scaffolder-common/-node), so ours are named.
    exportArgs: ['--no-build', ...EMBED_OURS],
  },
  {
    name: `${SCOPE}/plugin-catalog-backend-module-multicloud-gitops`,
    role: 'backend-plugin-module',
    // As for the scaffolder module. @kubernetes/client-node stays a private dependency,
    // installed in the export.
    exportArgs: ['--no-build', ...EMBED_OURS],
  },
  {
    name: `${SCOPE}/plugin-kubernetes-backend-module-multicloud-gitops`,
    role: 'backend-plugin-module',
    // As for the scaffolder module. @backstage/plugin-kubernetes-backend (the built-in auth
    // strategies it registers again) becomes a peer dependency like every @backstage package:
    // the Kubernetes backend it extends provides it.
    exportArgs: ['--no-build', ...EMBED_OURS],
  },
];

/** The folder `rhdh-cli plugin package` gives a plugin (its path inside an OCI image). */
function pluginFolderName(packageName) {
  return packageName
    .replace(/-dynamic$/, '')
    .replace(/^@/, '')
    .replace(/\//, '-');
}

function failure(cmd, args, opts, status, output) {
  return new Error(
    `${path.basename(cmd)} ${args.join(' ')} failed (exit ${status}) in ${
      opts.cwd ?? process.cwd()
    }${opts.logFile ? ` (log: ${opts.logFile})` : ''}:\n${output.slice(-6000)}`,
  );
}

/** Short commands that need nothing from this process. */
function runSync(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...opts,
  });
  if (res.status !== 0)
    throw failure(
      cmd,
      args,
      opts,
      res.status ?? res.signal,
      `${res.stdout}${res.stderr}`,
    );
  return res.stdout;
}

/**
 * Long commands, run without blocking this process: the registry serving our scope may be a
 * server in this same process (it is in the test), and yarn must be able to reach it.
 */
function run(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      ...opts,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks = [];
    let stdout = '';
    child.stdout.on('data', d => {
      chunks.push(d);
      stdout += d;
    });
    child.stderr.on('data', d => chunks.push(d));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      const output = Buffer.concat(chunks).toString('utf8');
      if (opts.logFile) fs.writeFileSync(opts.logFile, output);
      if (code === 0) resolve(stdout);
      else reject(failure(cmd, args, opts, code ?? signal, output));
    });
  });
}

function defaultToolsDir() {
  return (
    process.env.RHDH_CLI_TOOLS_DIR ||
    path.join(
      os.homedir(),
      '.cache',
      'multicloud-gitops-backstage',
      `rhdh-cli-${RHDH_CLI_VERSION}-yarn-${YARN_VERSION}`,
    )
  );
}

function installedVersion(dir, name) {
  try {
    return JSON.parse(
      fs.readFileSync(
        path.join(dir, 'node_modules', name, 'package.json'),
        'utf8',
      ),
    ).version;
  } catch {
    return undefined;
  }
}

/**
 * rhdh-cli and yarn, installed with npm into `dir` (outside the workspace) unless already
 * there at the pinned versions. Returns the folder of their binaries.
 */
async function installTools(dir = defaultToolsDir(), log = () => {}) {
  const ready = d =>
    installedVersion(d, '@red-hat-developer-hub/cli') === RHDH_CLI_VERSION &&
    installedVersion(d, 'yarn') === YARN_VERSION &&
    fs.existsSync(path.join(d, 'node_modules/.bin/rhdh-cli'));
  if (!ready(dir)) {
    log(
      `installing @red-hat-developer-hub/cli@${RHDH_CLI_VERSION} and yarn@${YARN_VERSION} into ${dir}`,
    );
    const t0 = Date.now();
    // Installed next to `dir` and renamed into place, so an interrupted install is never
    // mistaken for a finished one.
    fs.mkdirSync(path.dirname(dir), { recursive: true });
    const tmp = fs.mkdtempSync(`${dir}.installing-`);
    fs.writeFileSync(
      path.join(tmp, 'package.json'),
      JSON.stringify({ name: 'rhdh-export-tools', private: true }),
    );
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--loglevel=error',
        '--save-exact',
        `@red-hat-developer-hub/cli@${RHDH_CLI_VERSION}`,
        `yarn@${YARN_VERSION}`,
      ],
      { cwd: tmp },
    );
    fs.rmSync(dir, { recursive: true, force: true });
    fs.renameSync(tmp, dir);
    log(`tools installed in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  }
  return path.join(dir, 'node_modules/.bin');
}

/**
 * Unpacks a packed tarball into `dir` and adjusts the two things in its manifest that a
 * consumer-side yarn install and the exporter cannot take as published:
 *  - devDependencies: yarn classic resolves them even with --production, and ours name
 *    private workspace packages. A consumer never installs them; they are replaced by the
 *    package's peer dependencies (at the versions devDependencies pinned), which the frontend
 *    bundle needs for its shared-module fallbacks (react, react-dom, react-router-dom).
 *    The exported manifest's devDependencies are emptied by the exporter either way.
 *  - exports: the exporter's packer reads the source form (`"./alpha": "<file>"`) and
 *    regenerates the conditional exports from the files in dist/; the published form (objects)
 *    is written back as its `import` file, from which the same exports are regenerated.
 */
function stagePackage(tarball, dir) {
  fs.mkdirSync(dir, { recursive: true });
  runSync('tar', ['-xzf', tarball, '-C', dir, '--strip-components=1']);
  const file = path.join(dir, 'package.json');
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  const dev = pkg.devDependencies ?? {};
  pkg.devDependencies = Object.fromEntries(
    Object.entries(pkg.peerDependencies ?? {}).map(([n, range]) => [
      n,
      dev[n] ?? range,
    ]),
  );
  if (pkg.exports && typeof pkg.exports === 'object') {
    pkg.exports = Object.fromEntries(
      Object.entries(pkg.exports).map(([mount, target]) => [
        mount,
        typeof target === 'string' ? target : target.import ?? target.default,
      ]),
    );
  }
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
  return pkg;
}

/**
 * Exports the plugins of PLUGINS from their packed tarballs.
 *   packs: [{ name, tarball }] (e2e/install/pack.js packAll)
 *   registryUrl: the registry serving our scope (e2e/install/registry.js), unless our
 *     packages are on the configured registry
 *   outDir: where the plugin folders are written (only those folders and index.json are
 *     replaced; other folders there are left alone)
 *   tag: build one OCI image with all of them instead of writing folders
 * Returns [{ name, dynamicName, role, folder, dir }].
 */
async function exportDynamicPlugins({
  packs,
  registryUrl,
  outDir,
  tag,
  containerTool,
  toolsDir,
  keepStaging = false,
  log = () => {},
}) {
  const toolsBin = await installTools(toolsDir, log);
  const env = {
    ...process.env,
    PATH: `${toolsBin}${path.delimiter}${process.env.PATH}`,
  };
  const rhdhCli = path.join(toolsBin, 'rhdh-cli');
  const stage = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-rhdh-export-'));
  const logs = path.join(stage, 'logs');
  fs.mkdirSync(logs);
  log(`staging in ${stage}`);

  const npmRegistry = runSync('npm', ['config', 'get', 'registry'], {
    cwd: root,
  }).trim();
  // yarn reads .yarnrc from the working folder up, so this applies to the staging installs
  // and to the exporter's own install inside each dist-dynamic/.
  fs.writeFileSync(
    path.join(stage, '.yarnrc'),
    [
      `registry "${npmRegistry}"`,
      ...(registryUrl ? [`"${SCOPE}:registry" "${registryUrl}"`] : []),
      // Some of the backend's transitive dependencies declare Node 22; they run on 20.
      'ignore-engines true',
      '',
    ].join('\n'),
  );

  let ok = false;
  try {
    const results = [];
    for (const plugin of PLUGINS) {
      const pack = packs.find(p => p.name === plugin.name);
      if (!pack) throw new Error(`no packed tarball for ${plugin.name}`);
      const short = plugin.name.slice(SCOPE.length + 1);
      const dir = path.join(stage, 'packages', short);
      const pkg = stagePackage(pack.tarball, dir);
      if (pkg.backstage?.role !== plugin.role)
        throw new Error(
          `${plugin.name} has role ${pkg.backstage?.role}, expected ${plugin.role}`,
        );

      let t0 = Date.now();
      await run('yarn', ['install', '--non-interactive', '--no-progress'], {
        cwd: dir,
        env,
        logFile: path.join(logs, `${short}.yarn-install.log`),
      });
      log(
        `${plugin.name}: yarn install ${((Date.now() - t0) / 1000).toFixed(
          0,
        )} s`,
      );

      const args = ['plugin', 'export', ...plugin.exportArgs];
      if (plugin.scalprum) {
        const scalprumFile = path.join(stage, `${short}.scalprum.json`);
        fs.writeFileSync(
          scalprumFile,
          JSON.stringify(plugin.scalprum, null, 2),
        );
        args.push('--scalprum-config', scalprumFile);
      }
      t0 = Date.now();
      await run(rhdhCli, args, {
        cwd: dir,
        env,
        logFile: path.join(logs, `${short}.export.log`),
      });
      const exported = JSON.parse(
        fs.readFileSync(path.join(dir, 'dist-dynamic/package.json'), 'utf8'),
      );
      log(
        `${plugin.name}: rhdh-cli plugin export ${(
          (Date.now() - t0) /
          1000
        ).toFixed(0)} s`,
      );
      results.push({
        name: plugin.name,
        dynamicName: exported.name,
        role: plugin.role,
        folder: pluginFolderName(exported.name),
        stagedDir: dir,
      });
    }

    // `rhdh-cli plugin package` over a monorepo-shaped folder holding the exports:
    // with --export-to it writes one folder per plugin (the layout of its OCI images), with
    // --tag it builds the image.
    const layout = path.join(stage, 'package');
    fs.mkdirSync(path.join(layout, 'plugins'), { recursive: true });
    fs.writeFileSync(
      path.join(layout, 'package.json'),
      JSON.stringify(
        {
          name: 'multicloud-gitops-dynamic-plugins',
          private: true,
          workspaces: ['plugins/*'],
        },
        null,
        2,
      ),
    );
    for (const r of results) {
      const d = path.join(layout, 'plugins', path.basename(r.stagedDir));
      fs.mkdirSync(d);
      fs.copyFileSync(
        path.join(r.stagedDir, 'package.json'),
        path.join(d, 'package.json'),
      );
      fs.symlinkSync(
        path.join(r.stagedDir, 'dist-dynamic'),
        path.join(d, 'dist-dynamic'),
        'dir',
      );
    }
    const packageArgs = ['plugin', 'package'];
    if (tag) {
      packageArgs.push('--tag', tag);
      if (containerTool) packageArgs.push('--container-tool', containerTool);
    } else {
      fs.mkdirSync(outDir, { recursive: true });
      for (const r of results)
        fs.rmSync(path.join(outDir, r.folder), {
          recursive: true,
          force: true,
        });
      packageArgs.push('--export-to', path.resolve(outDir));
    }
    const t0 = Date.now();
    const out = await run(rhdhCli, packageArgs, {
      cwd: layout,
      env,
      logFile: path.join(logs, 'package.log'),
    });
    // The command reports some failures in its output but still exits 0.
    if (/Error encountered|will not be packaged|Unable to find/.test(out))
      throw new Error(
        `rhdh-cli plugin package reported an error:\n${out.slice(-4000)}`,
      );
    log(`rhdh-cli plugin package ${((Date.now() - t0) / 1000).toFixed(0)} s`);

    ok = true;
    return results.map(({ stagedDir, ...r }) => ({
      ...r,
      dir: tag ? undefined : path.join(path.resolve(outDir), r.folder),
    }));
  } finally {
    if (ok && !keepStaging) fs.rmSync(stage, { recursive: true, force: true });
    else log(`staging folder kept: ${stage}`);
  }
}

async function main(argv) {
  const opt = name => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const flag = name => argv.includes(name);
  const log = m => process.stderr.write(`export-dynamic: ${m}\n`);
  // Required here, not at the top: the test uses exportDynamicPlugins with its own packs.
  const { buildPlugins, packAll } = require('../e2e/install/pack');
  const { startScopeRegistry } = require('../e2e/install/registry');

  const outDir = path.resolve(opt('--out') ?? path.join(root, 'dist-dynamic'));
  const t0 = Date.now();
  if (!flag('--skip-build')) {
    log('building the published packages');
    buildPlugins();
  }
  const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-rhdh-packs-'));
  let registry;
  try {
    const packs = packAll(packDir);
    registry = await startScopeRegistry(packs);
    const results = await exportDynamicPlugins({
      packs,
      registryUrl: registry.url,
      outDir,
      tag: opt('--tag'),
      containerTool: opt('--container-tool'),
      keepStaging: flag('--keep-staging'),
      log,
    });
    for (const r of results)
      log(`${r.dynamicName} -> ${r.dir ?? `${opt('--tag')}!${r.folder}`}`);
    log(
      `done in ${((Date.now() - t0) / 1000).toFixed(
        0,
      )} s; wiring: docs/rhdh.md`,
    );
  } finally {
    await registry?.close();
    fs.rmSync(packDir, { recursive: true, force: true });
  }
}

module.exports = {
  RHDH_CLI_VERSION,
  YARN_VERSION,
  SCALPRUM_NAME,
  PLUGINS,
  pluginFolderName,
  installTools,
  stagePackage,
  exportDynamicPlugins,
};

if (require.main === module) {
  main(process.argv.slice(2)).catch(e => {
    process.stderr.write(`export-dynamic: ${e.stack ?? e}\n`);
    process.exitCode = 1;
  });
}
