/*
 * Copyright 2026 The Multicloud GitOps Backstage Authors
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

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
