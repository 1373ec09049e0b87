/**
 * One finding about a pattern checkout. `path` is a dotted YAML path such as
 * `clusterGroup.applications.foo.namespace` (list items as `[2]`) so a user can
 * jump straight to the offending key; `message` says what to change.
 *
 * @public
 */
export interface PatternIssue {
  severity: 'error' | 'warning';
  /** File relative to the pattern root, e.g. `values-hub.yaml`. */
  file: string;
  /** Dotted YAML path; empty for whole-file findings. */
  path: string;
  message: string;
}

/**
 * Thrown when an operation refuses to continue; it carries every finding so
 * callers (CLI, actions) can print all of them, not only the first.
 *
 * @public
 */
export class PatternValidationError extends Error {
  readonly issues: PatternIssue[];

  constructor(issues: PatternIssue[], summary?: string) {
    const errors = issues.filter(i => i.severity === 'error');
    super(
      summary ??
        `Pattern is invalid (${errors.length} error${
          errors.length === 1 ? '' : 's'
        }):\n${errors.map(formatIssue).join('\n')}`,
    );
    this.name = 'PatternValidationError';
    this.issues = issues;
  }
}

/** @public */
export function formatIssue(issue: PatternIssue): string {
  const where = issue.path ? `${issue.file}: ${issue.path}` : issue.file;
  return `${issue.severity}: ${where}: ${issue.message}`;
}

/** Joins YAML path segments the way users read them: `a.b[0].c`. */
export function yamlPath(segments: ReadonlyArray<string | number>): string {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') {
      out += `[${s}]`;
    } else {
      out += out ? `.${s}` : s;
    }
  }
  return out;
}

export function hasErrors(issues: PatternIssue[]): boolean {
  return issues.some(i => i.severity === 'error');
}
