import {
  PatternCheckout,
  PatternFile,
  groupNameOfFile,
  GLOBAL_VALUES_FILE,
  METADATA_FILE,
} from './checkout';
import { FileChange } from './changes';
import { PatternIssue, PatternValidationError } from './issues';
import { ValidationResult, validatePattern } from './validate';
import { parseYamlSafely } from './yamlSafe';

/**
 * What an edit would do: the file changes (empty when everything is already
 * in place), human-readable notes, and the validation of the result.
 *
 * @public
 */
export interface EditPlan {
  changes: FileChange[];
  notes: string[];
  validation: ValidationResult;
}

/** The checkout as it would be after the changes, without touching disk. */
export function withChanges(
  checkout: PatternCheckout,
  changes: FileChange[],
): PatternCheckout {
  const next: PatternCheckout = {
    ...checkout,
    groups: new Map(checkout.groups),
    readIssues: checkout.readIssues.filter(
      i => !changes.some(c => c.file === i.file),
    ),
    pending: new Map(checkout.pending),
  };
  for (const c of changes) {
    next.pending!.set(c.file, c.after);
    const group = c.file.includes('/') ? undefined : groupNameOfFile(c.file);
    if (
      c.file !== GLOBAL_VALUES_FILE &&
      c.file !== METADATA_FILE &&
      group === undefined
    ) {
      continue; // charts, .gitignore...: only the secrets scan looks at them
    }
    const parsed = parseYamlSafely(c.after, c.file);
    next.readIssues.push(...parsed.issues);
    const f: PatternFile = {
      file: c.file,
      text: c.after,
      doc: parsed.doc,
      data: parsed.data,
    };
    if (c.file === GLOBAL_VALUES_FILE) {
      next.global = f;
    } else if (c.file === METADATA_FILE) {
      next.metadata = f;
    } else if (group !== undefined) {
      next.groups.set(group, f);
    }
  }
  return next;
}

/** Refuses early with one issue, the way all input problems are reported. */
export function refuse(file: string, path: string, message: string): never {
  const issue: PatternIssue = { severity: 'error', file, path, message };
  throw new PatternValidationError([issue]);
}

/**
 * Validates the edited checkout and returns the plan, or throws with every
 * error so that nothing is written when the result would be invalid.
 */
export async function finishPlan(
  checkout: PatternCheckout,
  changes: FileChange[],
  notes: string[],
): Promise<EditPlan> {
  const effective = changes.filter(
    c => c.before === undefined || c.before !== c.after,
  );
  const validation = await validatePattern(withChanges(checkout, effective));
  if (!validation.valid) {
    throw new PatternValidationError(
      [...validation.errors, ...validation.warnings],
      `Refusing to write: the pattern would be invalid (${
        validation.errors.length
      } error${
        validation.errors.length === 1 ? '' : 's'
      }). Fix these first:\n${validation.errors
        .map(
          e => `error: ${e.file}${e.path ? `: ${e.path}` : ''}: ${e.message}`,
        )
        .join('\n')}`,
    );
  }
  return { changes: effective, notes, validation };
}
