/*
 * Shared copies of the values a fleet repeats. A hub of thousands of clusters sends the same
 * namespaces, application names, repository URLs, revisions, projects, label keys and values
 * and condition texts over and over, and each upstream object (each Search item, each list
 * page) brings its own copy of every one of them. Records are made of the pool's copy
 * instead, so each distinct value is held once per process, whatever the fleet's size; the
 * same goes for whole label maps and short string lists, which many records share as one
 * frozen object.
 *
 * A pool only grows with distinct values, and is emptied when it reaches its bound: records
 * keep the copies they have, the next ones share new copies. Values that change for ever
 * (revisions, timestamps) so cost a bounded amount, never a leak.
 */

/** Distinct values a pool holds before it starts over. */
const DEFAULT_LIMIT = 200_000;

/**
 * V8 keeps a substring (`slice`, `split`) or a concatenation of 13 or more characters as a
 * view into its parts: storing it would keep the whole upstream text (a Search item's
 * `label` field, a key) alive. The pool stores its own flat copy instead.
 */
function ownCopy(s: string): string {
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

const EMPTY_LABELS: Readonly<Record<string, string>> = Object.freeze({});
const EMPTY_LIST: readonly string[] = Object.freeze([]);

/** One pool of shared values. Most code uses the process's pool through the functions below. */
export class InternPool {
  readonly #limit: number;
  #strings = new Map<string, string>();
  #labels = new Map<string, Readonly<Record<string, string>>>();
  #lists = new Map<string, readonly string[]>();

  constructor(limit = DEFAULT_LIMIT) {
    this.#limit = limit;
  }

  /** Distinct values held now (strings, label maps and lists). */
  get size(): number {
    return this.#strings.size + this.#labels.size + this.#lists.size;
  }

  /** The pool's copy of `s`, equal to it. */
  string(s: string): string {
    const shared = this.#strings.get(s);
    if (shared !== undefined) return shared;
    if (this.#strings.size >= this.#limit) this.#strings = new Map();
    const own = ownCopy(s);
    this.#strings.set(own, own);
    return own;
  }

  /** The pool's copy of `s`, or undefined. */
  optional(s: string | undefined): string | undefined {
    return s === undefined ? undefined : this.string(s);
  }

  /**
   * A frozen label map equal to `labels` (keys in the same order), shared by every record
   * with the same labels.
   */
  labels(
    labels: Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    let id = '';
    // Label keys and values cannot hold a NUL, so this text tells label maps apart.
    for (const k of Object.keys(labels)) id += `${k}\u0000${labels[k]}\u0000`;
    return this.labelsOf(id, () => labels);
  }

  /**
   * The shared frozen label map that `text` stands for, where equal texts mean equal maps
   * (ACM Search's `k=v; k2=v2`): `parse` runs only for a text the pool has not seen.
   */
  labelsOf(
    text: string,
    parse: (text: string) => Readonly<Record<string, string>>,
  ): Readonly<Record<string, string>> {
    const shared = this.#labels.get(text);
    if (shared !== undefined) return shared;
    const own: Record<string, string> = {};
    const labels = parse(text);
    for (const k of Object.keys(labels))
      own[this.string(k)] = this.string(labels[k]);
    if (Object.keys(own).length === 0) return EMPTY_LABELS;
    if (this.#labels.size >= this.#limit) this.#labels = new Map();
    Object.freeze(own);
    this.#labels.set(ownCopy(text), own);
    return own;
  }

  /** A frozen list equal to `list`, shared by every record with the same list. */
  list(list: readonly string[]): readonly string[] {
    if (list.length === 0) return EMPTY_LIST;
    const id = list.join('\u0000');
    const shared = this.#lists.get(id);
    if (shared !== undefined) return shared;
    if (this.#lists.size >= this.#limit) this.#lists = new Map();
    const own = Object.freeze(list.map(s => this.string(s)));
    this.#lists.set(ownCopy(id), own);
    return own;
  }
}

/** The process's pool: hubs share it, since they repeat each other's values too. */
const pool = new InternPool();

/** The shared copy of `s`. */
export const intern = (s: string): string => pool.string(s);

/** The shared copy of `s`, or undefined. */
export const internOptional = (s: string | undefined): string | undefined =>
  pool.optional(s);

/** A shared frozen label map equal to `labels`. */
export const internLabels = (
  labels: Readonly<Record<string, string>>,
): Record<string, string> => pool.labels(labels) as Record<string, string>;

/** The shared frozen label map a text stands for (see {@link InternPool.labelsOf}). */
export const internLabelsOf = (
  text: string,
  parse: (text: string) => Readonly<Record<string, string>>,
): Record<string, string> =>
  pool.labelsOf(text, parse) as Record<string, string>;

/** A shared frozen list equal to `list`. */
export const internList = (list: readonly string[]): string[] =>
  pool.list(list) as string[];
