import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The monorepo root: the nearest ancestor whose package.json declares workspaces. */
// Test-only helper: tests always run from the source tree, so __dirname is reliable here.
// eslint-disable-next-line no-restricted-syntax
export function findRepoRoot(from: string = __dirname): string {
  let dir = path.resolve(from);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      const json = JSON.parse(fs.readFileSync(pkg, 'utf8'));
      if (json.workspaces) {
        return dir;
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`no workspace root above ${from}`);
    }
    dir = parent;
  }
}

/** ../shared next to the repository, where the upstream reference files live. */
export const sharedDir = path.resolve(findRepoRoot(), '../shared');
export const referencePatternDir = path.join(
  sharedDir,
  'reference/validated-patterns/multicloud-gitops',
);
export const upstreamSchemaPath = path.join(
  sharedDir,
  'reference/validated-patterns/clustergroup-chart/values.schema.json',
);

/** A writable copy of the real multicloud-gitops values files, plus a .gitignore like upstream's. */
export function copyReferencePattern(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-pattern-'));
  for (const f of fs.readdirSync(referencePatternDir)) {
    fs.copyFileSync(path.join(referencePatternDir, f), path.join(dir, f));
    fs.chmodSync(path.join(dir, f), 0o644);
  }
  fs.writeFileSync(
    path.join(dir, '.gitignore'),
    'values-secret*\n!values-secret.yaml.template\n',
  );
  for (const chart of ['charts/all/config-demo', 'charts/all/hello-world']) {
    fs.mkdirSync(path.join(dir, chart), { recursive: true });
    fs.writeFileSync(
      path.join(dir, chart, 'Chart.yaml'),
      `apiVersion: v2\nname: ${path.basename(chart)}\nversion: 0.1.0\n`,
    );
  }
  return dir;
}

/** Every comment line of a YAML text, trimmed, in order. */
export function commentLines(text: string): string[] {
  return text
    .split('\n')
    .map(l => l.trim())
    .filter(l => l.startsWith('#'));
}

/** Snapshot of all files under a directory (relative path -> content). */
export function snapshotDir(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), {
      withFileTypes: true,
    })) {
      const child = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        walk(child);
      } else {
        out[child] = fs.readFileSync(path.join(dir, child), 'utf8');
      }
    }
  };
  walk('');
  return out;
}
