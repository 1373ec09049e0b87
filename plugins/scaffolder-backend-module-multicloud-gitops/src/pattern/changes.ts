import fs from 'node:fs/promises';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { resolveInsideReal } from './safePath';

/**
 * One file an edit would write. `before` is undefined for new files.
 *
 * @public
 */
export interface FileChange {
  file: string;
  before?: string;
  after: string;
}

/** Unified diff of all changes, git-style names, for --dry-run and logs. @public */
export function renderDiff(changes: FileChange[]): string {
  return changes
    .map(c =>
      createTwoFilesPatch(
        c.before === undefined ? '/dev/null' : `a/${c.file}`,
        `b/${c.file}`,
        c.before ?? '',
        c.after,
        undefined,
        undefined,
        { context: 3 },
      ),
    )
    .join('');
}

/**
 * Writes changes under `dir`. Every target is checked first and all contents
 * are staged in temporary files before any rename, so a refused path or a full
 * disk leaves the checkout as it was.
 *
 * @public
 */
export async function applyChanges(
  dir: string,
  changes: FileChange[],
): Promise<void> {
  const staged: Array<{ tmp: string; target: string }> = [];
  try {
    for (const c of changes) {
      const target = await resolveInsideReal(dir, c.file, 'file');
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${process.pid}.${Date.now()}.tmp`;
      await fs.writeFile(tmp, c.after, { encoding: 'utf8', flag: 'wx' });
      staged.push({ tmp, target });
    }
  } catch (e) {
    await Promise.all(staged.map(s => fs.rm(s.tmp, { force: true })));
    throw e;
  }
  for (const s of staged) {
    await fs.rename(s.tmp, s.target);
  }
}
