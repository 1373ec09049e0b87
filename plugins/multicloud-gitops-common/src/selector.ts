/**
 * A Kubernetes-style label selector, as used by the `argocd/app-selector` annotation and
 * by Argo CD's own `selector` query parameter: `k=v`, `k==v`, `k!=v`, `k in (a,b)`,
 * `k notin (a,b)`, `k`, `!k`, joined by commas (AND).
 */

/** @public */
export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!exists' };

const KEY =
  /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Splits on commas that are not inside parentheses. */
function splitTerms(selector: string): string[] {
  const terms: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of selector) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      terms.push(current);
      current = '';
    } else current += ch;
  }
  terms.push(current);
  return terms.map(t => t.trim());
}

function check(key: string, values: string[], term: string) {
  if (!KEY.test(key)) {
    throw new Error(`invalid label key "${key}" in selector term "${term}"`);
  }
  for (const v of values) {
    if (!VALUE.test(v) || v.length > 63) {
      throw new Error(`invalid label value "${v}" in selector term "${term}"`);
    }
  }
}

/**
 * Parses a label selector; throws an Error whose message names the bad term.
 * An empty string selects everything.
 * @public
 */
export function parseLabelSelector(selector: string): LabelRequirement[] {
  if (selector.trim() === '') return [];
  return splitTerms(selector).map(term => {
    if (term === '')
      throw new Error(`empty term in label selector "${selector}"`);
    let m = term.match(/^(\S+)\s+(in|notin)\s+\(([^()]*)\)$/);
    if (m) {
      const values = m[3].split(',').map(v => v.trim());
      check(m[1], values, term);
      return { key: m[1], op: m[2] as 'in' | 'notin', values };
    }
    m = term.match(/^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/);
    if (m) {
      check(m[1], [m[3]], term);
      return { key: m[1], op: m[2] === '!=' ? 'notin' : 'in', values: [m[3]] };
    }
    m = term.match(/^(!?)([^=!\s()]+)$/);
    if (m) {
      check(m[2], [], term);
      return { key: m[2], op: m[1] ? '!exists' : 'exists' };
    }
    throw new Error(`cannot parse label selector term "${term}"`);
  });
}

/** @public */
export function matchesLabelSelector(
  labels: Record<string, string> | undefined,
  requirements: LabelRequirement[],
): boolean {
  const l = labels ?? {};
  return requirements.every(r => {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    switch (r.op) {
      case 'exists':
        return has;
      case '!exists':
        return !has;
      case 'in':
        return has && r.values.includes(l[r.key]);
      case 'notin':
        return !has || !r.values.includes(l[r.key]);
      default:
        return false;
    }
  });
}
