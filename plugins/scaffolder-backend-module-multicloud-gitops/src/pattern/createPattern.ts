import fs from 'node:fs/promises';
import path from 'node:path';
import { readPattern } from './checkout';
import { CreatePatternOptions, generatePatternFiles } from './generate';
import { EditPlan, finishPlan, refuse } from './plan';

/**
 * Plans a new pattern in `dir` (which may already hold other skeleton files
 * such as a README). Refuses to overwrite a different existing file; writing
 * identical content again plans no change.
 *
 * @public
 */
export async function planCreatePattern(
  dir: string,
  options: CreatePatternOptions,
): Promise<EditPlan> {
  const generated = generatePatternFiles(options);
  const changes = [];
  const notes: string[] = [];
  for (const c of generated) {
    const existing = await fs
      .readFile(path.join(dir, c.file), 'utf8')
      .catch(() => undefined);
    if (existing === c.after) {
      notes.push(`${c.file} is already up to date`);
      continue;
    }
    if (existing !== undefined) {
      refuse(
        c.file,
        '',
        'already exists with other content; generate the pattern into an empty directory',
      );
    }
    changes.push(c);
    notes.push(`created ${c.file}`);
  }
  return finishPlan(await readPattern(dir), changes, notes);
}
