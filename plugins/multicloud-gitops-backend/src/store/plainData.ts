/*
 * Helpers for the plain data upstream objects and records are made of (what JSON holds):
 * telling an object from a list or a scalar, and comparing two values as their JSON would.
 */

/** An object: not null, not a list. */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep equality of records: plain data (strings, numbers, booleans, arrays, plain
 * objects), which is all a record holds. Walks both values instead of serialising them: a
 * Search poll compares every application of the fleet, and serialising both sides of each
 * would hold the event loop (and every view waiting on it) far longer.
 */
export function sameRecord(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    typeof a !== 'object' ||
    typeof b !== 'object' ||
    a === null ||
    b === null ||
    Array.isArray(a) !== Array.isArray(b)
  )
    return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) return false;
    for (let i = 0; i < a.length; i++)
      if (!sameRecord(a[i], other[i])) return false;
    return true;
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  // Keys whose value is undefined count as absent, as in JSON.
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined) continue;
    defined++;
    if (!sameRecord(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined) defined--;
  return defined === 0;
}
