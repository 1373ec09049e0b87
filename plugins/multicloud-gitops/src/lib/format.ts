/**
 * A count with thousands separators ("10,503"). One formatter for the whole plugin:
 * `toLocaleString` builds a new one per call, which a page of group buttons and rows
 * pays for on every render.
 */
const COUNT = new Intl.NumberFormat('en-US');

export function formatCount(x: number): string {
  return COUNT.format(x);
}
