/**
 * Label and field selectors with the syntax and errors of kube-apiserver:
 * `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`; commas AND the terms.
 */
export type LabelRequirement =
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type LabelSelector = LabelRequirement[];

export class SelectorError extends Error {}

const KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Split on commas that are not inside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map(x => x.trim()).filter(x => x.length > 0);
}

function checkKey(key: string, raw: string) {
  if (!KEY_RE.test(key) || key.length > 316) {
    throw new SelectorError(
      `unable to parse requirement: invalid label key "${key}": in "${raw}"`,
    );
  }
}

function checkValue(v: string, raw: string) {
  if (!VALUE_RE.test(v) || v.length > 63) {
    throw new SelectorError(
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character: in "${raw}"`,
    );
  }
}

export function parseLabelSelector(
  raw: string | undefined | null,
): LabelSelector {
  if (!raw) return [];
  const reqs: LabelSelector = [];
  for (const term of splitTerms(raw)) {
    const set = term.match(/^(\S+)\s+(in|notin)\s*\((.*)\)$/);
    const eq = term.match(/^([^=!\s]+)\s*(==|!=|=)\s*(.*)$/);
    const notExists = term.match(/^!\s*(\S+)$/);
    const exists = term.match(/^(\S+)$/);
    if (set) {
      checkKey(set[1], raw);
      const values = set[3].split(',').map(v => v.trim());
      values.forEach(v => checkValue(v, raw));
      reqs.push({ key: set[1], op: set[2] as 'in' | 'notin', values });
    } else if (eq) {
      checkKey(eq[1], raw);
      checkValue(eq[3].trim(), raw);
      reqs.push({
        key: eq[1],
        op: eq[2] === '!=' ? 'neq' : 'eq',
        value: eq[3].trim(),
      });
    } else if (notExists) {
      checkKey(notExists[1], raw);
      reqs.push({ key: notExists[1], op: 'notexists' });
    } else if (exists) {
      checkKey(exists[1], raw);
      reqs.push({ key: exists[1], op: 'exists' });
    } else {
      throw new SelectorError(
        `unable to parse requirement: found '${term}', expected: identifier`,
      );
    }
  }
  return reqs;
}

export function matchesLabels(
  sel: LabelSelector,
  labels: Record<string, string> | undefined,
): boolean {
  const l = labels ?? {};
  for (const r of sel) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = l[r.key];
    switch (r.op) {
      case 'eq':
        if (!has || v !== r.value) return false;
        break;
      case 'neq':
        // upstream: "!=" also matches objects without the label
        if (has && v === r.value) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case 'notexists':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

export interface FieldRequirement {
  field: 'metadata.name' | 'metadata.namespace';
  op: 'eq' | 'neq';
  value: string;
}

/**
 * Custom resources support only metadata.name and metadata.namespace field selectors
 * (the OCM CRDs declare no selectableFields). `kindPlural` makes the error read as upstream's.
 */
export function parseFieldSelector(
  raw: string | undefined | null,
  resourceLabel: string,
): FieldRequirement[] {
  if (!raw) return [];
  const out: FieldRequirement[] = [];
  for (const term of splitTerms(raw)) {
    const m = term.match(/^([^=!\s]+)\s*(==|!=|=)\s*(.*)$/);
    if (!m)
      throw new SelectorError(
        `invalid selector: '${raw}'; can't understand '${term}'`,
      );
    const field = m[1];
    if (field !== 'metadata.name' && field !== 'metadata.namespace') {
      throw new SelectorError(
        `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`,
      );
    }
    out.push({ field, op: m[2] === '!=' ? 'neq' : 'eq', value: m[3].trim() });
  }
  void resourceLabel;
  return out;
}

export function matchesFields(
  sel: FieldRequirement[],
  meta: { name?: string; namespace?: string },
): boolean {
  for (const r of sel) {
    const v = (r.field === 'metadata.name' ? meta.name : meta.namespace) ?? '';
    if ((r.op === 'eq') !== (v === r.value)) return false;
  }
  return true;
}
