/*
 * A unified line diff of two texts, for the live-against-desired manifests of one resource.
 * Manifests are a few hundred lines at most, so a longest-common-subsequence table is cheap;
 * past a bound the diff replaces the whole text rather than spend the backend's CPU.
 */

/** Cells of the LCS table beyond which the diff is one replacement of everything. */
const MAX_CELLS = 4_000_000;

type Op = { kind: ' ' | '-' | '+'; line: string };

function lines(text: string): string[] {
  if (text === '') return [];
  const out = text.split('\n');
  if (out[out.length - 1] === '') out.pop();
  return out;
}

function operations(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS)
    return [
      ...a.map(line => ({ kind: '-' as const, line })),
      ...b.map(line => ({ kind: '+' as const, line })),
    ];
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..]
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: ' ', line: a[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      ops.push({ kind: '-', line: a[i++] });
    } else {
      ops.push({ kind: '+', line: b[j++] });
    }
  }
  while (i < n) ops.push({ kind: '-', line: a[i++] });
  while (j < m) ops.push({ kind: '+', line: b[j++] });
  return ops;
}

/**
 * The unified diff (`@@ -l,s +l,s @@` hunks with `context` lines around each change) that
 * turns `from` into `to`, under `--- fromName` / `+++ toName` headers; '' when they are equal.
 */
export function unifiedDiff(
  from: string,
  to: string,
  fromName: string,
  toName: string,
  context = 3,
): string {
  const ops = operations(lines(from), lines(to));
  const changed = ops
    .map((op, k) => (op.kind === ' ' ? -1 : k))
    .filter(k => k >= 0);
  if (!changed.length) return '';
  // group changes whose context overlaps into one hunk
  const hunks: Array<[number, number]> = [];
  for (const k of changed) {
    const start = Math.max(0, k - context);
    const end = Math.min(ops.length, k + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last[1]) last[1] = end;
    else hunks.push([start, end]);
  }
  // line numbers in each text where every op starts
  const fromLine: number[] = [];
  const toLine: number[] = [];
  let f = 1;
  let t = 1;
  for (const op of ops) {
    fromLine.push(f);
    toLine.push(t);
    if (op.kind !== '+') f++;
    if (op.kind !== '-') t++;
  }
  const out = [`--- ${fromName}`, `+++ ${toName}`];
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end);
    const fromCount = slice.filter(o => o.kind !== '+').length;
    const toCount = slice.filter(o => o.kind !== '-').length;
    // an empty side starts at the line before, as diff(1) writes it
    const fromStart = fromCount ? fromLine[start] : fromLine[start] - 1;
    const toStart = toCount ? toLine[start] : toLine[start] - 1;
    out.push(`@@ -${fromStart},${fromCount} +${toStart},${toCount} @@`);
    for (const op of slice) out.push(`${op.kind}${op.line}`);
  }
  return `${out.join('\n')}\n`;
}
