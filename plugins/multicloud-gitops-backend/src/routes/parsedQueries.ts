/*
 * What a route makes of its query string, kept by the query's text: a portal asks for the
 * same few views again and again, and validating a query costs more than answering it from
 * the view caches.
 */
import { Request } from 'express';

export class ParsedQueries<T> {
  readonly #make: (query: Request['query']) => T;
  readonly #max: number;
  readonly #byText = new Map<string, T>();

  /**
   * `make` parses and validates `req.query`; it throws for a bad query, and a failure is
   * never kept, so each bad request gets its own error. The values are shared between
   * requests: callers must not change them.
   */
  constructor(make: (query: Request['query']) => T, max = 1000) {
    this.#make = make;
    this.#max = max;
  }

  get(req: Request): T {
    // req.query is parsed from this text alone, so equal texts make equal values.
    const at = req.url.indexOf('?');
    const text = at < 0 ? '' : req.url.slice(at + 1);
    let value = this.#byText.get(text);
    if (value === undefined) {
      value = this.#make(req.query);
      // Bounds memory under many distinct queries (a crawler, an attack).
      if (this.#byText.size >= this.#max) this.#byText.clear();
      this.#byText.set(text, value);
    }
    return value;
  }
}
