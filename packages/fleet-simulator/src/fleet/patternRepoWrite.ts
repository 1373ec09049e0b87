import fs from 'fs';
import path from 'path';
import git from 'isomorphic-git';
import { groupAppDefs } from './generate';
import { groupName, HUB_APPS } from './catalog';
import { seededPatternFiles } from './patternRepo';

/**
 * Writes the seeded fleet's pattern repo as a bare git repository, so a Pattern can follow
 * it: the example portal serves it with its local repositories, the simulated hub's seeded
 * Pattern points at it, and what the onboarding templates commit there reaches the fleet.
 */

export interface SeededRepoOptions {
  /** `global.pattern` (default multicloud-gitops) */
  pattern?: string;
  /** cluster groups, as the simulator's `groups` option (default 2) */
  groups?: number;
  /** as the simulator's `appsPerCluster` option (default 4) */
  appsPerCluster?: number;
}

/** Every file of the seeded repo: the values files, a chart per path app, .gitignore. */
export function seededRepoFiles(o: SeededRepoOptions): Record<string, string> {
  const groupApps = groupAppDefs(o.appsPerCluster ?? 4);
  const files = seededPatternFiles({
    pattern: o.pattern ?? 'multicloud-gitops',
    groups: Array.from({ length: Math.max(1, o.groups ?? 2) }, (_, i) =>
      groupName(i),
    ),
    groupApps,
  });
  for (const d of [...HUB_APPS, ...groupApps])
    if (d.path)
      files[
        `${d.path}/Chart.yaml`
      ] = `apiVersion: v2\nname: ${d.name}\nversion: 0.1.0\n`;
  files['.gitignore'] = 'values-secret*\n!values-secret.yaml.template\n';
  return files;
}

type Tree = Map<string, string | Tree>;

async function writeTree(gitdir: string, tree: Tree): Promise<string> {
  const entries = [];
  for (const [name, v] of tree) {
    const isTree = typeof v !== 'string';
    const oid = isTree
      ? await writeTree(gitdir, v)
      : await git.writeBlob({ fs, gitdir, blob: Buffer.from(v) });
    entries.push({
      mode: isTree ? '040000' : '100644',
      path: name,
      oid,
      type: isTree ? ('tree' as const) : ('blob' as const),
    });
  }
  return git.writeTree({ fs, gitdir, tree: entries });
}

/**
 * Create the bare repository `repoDir` with the seeded pattern's files as one commit on
 * `main`, readable over git's dumb HTTP protocol too (info/refs). An existing repository is
 * left as it is (it holds what was committed since): resolves with created false.
 */
export async function writeSeededPatternRepo(
  repoDir: string,
  o: SeededRepoOptions = {},
): Promise<{ created: boolean; commit: string }> {
  if (fs.existsSync(path.join(repoDir, 'HEAD')))
    return {
      created: false,
      commit: await git.resolveRef({ fs, gitdir: repoDir, ref: 'HEAD' }),
    };
  if (fs.existsSync(repoDir) && fs.readdirSync(repoDir).length)
    throw new Error(`${repoDir} exists and is not a git repository`);
  const gitdir = repoDir;
  await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
  const root: Tree = new Map();
  for (const [file, text] of Object.entries(seededRepoFiles(o))) {
    const parts = file.split('/');
    let at = root;
    for (const dir of parts.slice(0, -1)) {
      if (!at.has(dir)) at.set(dir, new Map());
      at = at.get(dir) as Tree;
    }
    at.set(parts[parts.length - 1], text);
  }
  const who = {
    name: 'Fleet simulator',
    email: 'fleet-simulator@example.com',
    timestamp: Math.floor(Date.now() / 1000),
    timezoneOffset: 0,
  };
  const commit = await git.writeCommit({
    fs,
    gitdir,
    commit: {
      message: `The ${
        o.pattern ?? 'multicloud-gitops'
      } pattern the simulated fleet runs\n`,
      tree: await writeTree(gitdir, root),
      parent: [],
      author: who,
      committer: who,
    },
  });
  await git.writeRef({ fs, gitdir, ref: 'refs/heads/main', value: commit });
  // what a dumb-HTTP client reads first
  fs.mkdirSync(path.join(gitdir, 'info'), { recursive: true });
  fs.writeFileSync(
    path.join(gitdir, 'info', 'refs'),
    `${commit}\trefs/heads/main\n`,
  );
  fs.mkdirSync(path.join(gitdir, 'objects', 'info'), { recursive: true });
  fs.writeFileSync(path.join(gitdir, 'objects', 'info', 'packs'), '');
  return { created: true, commit };
}
