import fs from 'node:fs/promises';
import path from 'node:path';
import { Document } from 'yaml';
import { PatternIssue } from './issues';
import { resolveInsideReal } from './safePath';
import { parseYamlSafely } from './yamlSafe';

export const GLOBAL_VALUES_FILE = 'values-global.yaml';
export const METADATA_FILE = 'pattern-metadata.yaml';

/**
 * One parsed YAML file of a checkout.
 * @public
 */
export interface PatternFile {
  /** Path relative to the pattern root. */
  file: string;
  /** Exact text as read, so edits can be diffed against it. */
  text: string;
  doc: Document;
  /** Plain JS view; undefined when the file failed to parse. */
  data: unknown;
}

/**
 * A pattern repository as read from disk. Group files are keyed by the
 * `<group>` of `values-<group>.yaml`.
 *
 * @public
 */
export interface PatternCheckout {
  dir: string;
  global?: PatternFile;
  groups: Map<string, PatternFile>;
  metadata?: PatternFile;
  /** Problems found while reading (missing global file, parse errors...). */
  readIssues: PatternIssue[];
  /**
   * Files an edit is about to write (path to content), so validation sees the
   * result before anything touches disk.
   */
  pending?: Map<string, string>;
}

/**
 * Which top-level `values-*.yaml` files are cluster-group files. Mirrors the
 * upstream CI: every top-level values file except the global one, secret
 * files, and platform/version overrides such as `values-4.16-hub.yaml`.
 */
export function groupNameOfFile(file: string): string | undefined {
  const m = /^values-(.+)\.yaml$/.exec(file);
  if (!m) {
    return undefined;
  }
  const name = m[1];
  if (name === 'global' || name.startsWith('secret') || /^4\.\d/.test(name)) {
    return undefined;
  }
  return name;
}

export function groupFileName(group: string): string {
  return `values-${group}.yaml`;
}

async function readPatternFile(
  dir: string,
  file: string,
  issues: PatternIssue[],
): Promise<PatternFile | undefined> {
  const abs = await resolveInsideReal(dir, file, 'file');
  let text: string;
  try {
    const stat = await fs.lstat(abs);
    if (stat.isSymbolicLink()) {
      // Symlinked values files are resolved by resolveInsideReal; anything else
      // (sockets, dirs) is not a values file.
      await fs.stat(abs);
    }
    text = await fs.readFile(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw e;
  }
  const parsed = parseYamlSafely(text, file);
  issues.push(...parsed.issues);
  return { file, text, doc: parsed.doc, data: parsed.data };
}

/**
 * Reads values-global.yaml, every values-<group>.yaml and pattern-metadata.yaml
 * from a checkout. It does not validate; see validatePattern.
 *
 * @public
 */
export async function readPattern(dir: string): Promise<PatternCheckout> {
  const root = path.resolve(dir);
  const stat = await fs.stat(root).catch(() => undefined);
  if (!stat?.isDirectory()) {
    throw new Error(
      `${dir} is not a directory; give the root of a pattern checkout`,
    );
  }
  const readIssues: PatternIssue[] = [];
  const global = await readPatternFile(root, GLOBAL_VALUES_FILE, readIssues);
  if (!global) {
    readIssues.push({
      severity: 'error',
      file: GLOBAL_VALUES_FILE,
      path: '',
      message: `missing; a pattern needs ${GLOBAL_VALUES_FILE} with global.pattern and main.clusterGroupName at its root`,
    });
  }
  const groups = new Map<string, PatternFile>();
  const entries = (await fs.readdir(root, { withFileTypes: true }))
    .filter(e => e.isFile() || e.isSymbolicLink())
    .map(e => e.name)
    .sort();
  for (const name of entries) {
    const group = groupNameOfFile(name);
    if (group === undefined) {
      continue;
    }
    const f = await readPatternFile(root, name, readIssues);
    if (f) {
      groups.set(group, f);
    }
  }
  const metadata = await readPatternFile(root, METADATA_FILE, readIssues);
  return { dir: root, global, groups, metadata, readIssues };
}
