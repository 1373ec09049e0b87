import { Document, parseDocument } from 'yaml';
import { PatternIssue } from './issues';

/**
 * Alias expansion limit handed to `yaml`'s toJS. Values files never need
 * more than a handful of anchors; a "billion laughs" document needs thousands.
 */
export const MAX_ALIAS_COUNT = 50;

/** Values files are a few KiB; refuse anything that could only be an attack or a mistake. */
export const MAX_YAML_BYTES = 1024 * 1024;

/** A YAML mapping once parsed: an object that is not a list. */
export function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface ParsedYaml {
  doc: Document;
  /** Plain JS view, undefined when the file could not be parsed safely. */
  data: unknown;
  issues: PatternIssue[];
}

/**
 * Parses one YAML file for reading and editing. Never throws: problems come
 * back as issues so one bad file does not hide the findings in the others.
 */
export function parseYamlSafely(text: string, file: string): ParsedYaml {
  const issues: PatternIssue[] = [];
  if (Buffer.byteLength(text, 'utf8') > MAX_YAML_BYTES) {
    const doc = new Document();
    issues.push({
      severity: 'error',
      file,
      path: '',
      message: `file is larger than ${MAX_YAML_BYTES} bytes; values files should be small, split it or remove generated content`,
    });
    return { doc, data: undefined, issues };
  }
  // uniqueKeys: duplicated keys silently override each other in Helm; report them.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  for (const err of doc.errors) {
    issues.push({
      severity: 'error',
      file,
      path: '',
      message: `YAML syntax error: ${
        err.message.split('\n')[0]
      }; fix the syntax at that line`,
    });
  }
  if (issues.length > 0) {
    return { doc, data: undefined, issues };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    issues.push({
      severity: 'error',
      file,
      path: '',
      message: `refusing to expand YAML aliases (${
        (e as Error).message
      }); remove the anchors/aliases (&x / *x) that multiply content`,
    });
    return { doc, data: undefined, issues };
  }
  return { doc, data, issues };
}
