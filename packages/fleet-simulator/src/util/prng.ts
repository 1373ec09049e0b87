/**
 * A small seeded PRNG (mulberry32). The simulator must be deterministic by seed:
 * the same seed gives the same fleet, names, uids and statuses, so that tests and
 * benchmarks can compare runs. Math.random is never used for fleet data.
 */
export class Prng {
  private state: number;

  constructor(seed: number | string) {
    this.state = hashSeed(seed);
  }

  /** Float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(maxExclusive: number): number {
    return Math.floor(this.next() * maxExclusive);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Pick by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    return items[items.length - 1][0];
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      out += ((this.next() * 0x100000000) >>> 0).toString(16).padStart(8, '0');
    }
    return out.slice(0, length);
  }

  /** RFC 4122 version-4 shaped uuid, derived from the PRNG (so deterministic). */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(
      13,
      16,
    )}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** A derived, independent generator (so adding draws in one area does not shift another). */
  fork(label: string): Prng {
    return new Prng(`${this.state}:${label}`);
  }
}

function hashSeed(seed: number | string): number {
  // FNV-1a over the string form; numbers and their string form give the same fleet.
  const s = String(seed);
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
