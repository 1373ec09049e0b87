import { Request } from 'express';
import { ParsedQueries } from './parsedQueries';

const request = (url: string, query: Request['query']) =>
  ({ url, query } as unknown as Request);

describe('ParsedQueries', () => {
  it('parses a query text once and hands out the same value for it', () => {
    const make = jest.fn((q: Request['query']) => ({ limit: Number(q.limit) }));
    const queries = new ParsedQueries(make);
    const first = queries.get(request('/v1/fleet?limit=5', { limit: '5' }));
    const again = queries.get(request('/v1/fleet?limit=5', { limit: '5' }));
    const other = queries.get(request('/v1/fleet?limit=6', { limit: '6' }));
    expect(again).toBe(first);
    expect(first).toEqual({ limit: 5 });
    expect(other).toEqual({ limit: 6 });
    expect(make).toHaveBeenCalledTimes(2);
  });

  it('keeps no failure: every bad query gets its own error', () => {
    const make = jest.fn(() => {
      throw new Error('Invalid query: limit must be a whole number');
    });
    const queries = new ParsedQueries(make);
    const bad = request('/v1/fleet?limit=x', { limit: 'x' });
    expect(() => queries.get(bad)).toThrow(/limit must be a whole number/);
    expect(() => queries.get(bad)).toThrow(/limit must be a whole number/);
    expect(make).toHaveBeenCalledTimes(2);
  });

  it('holds at most its bound of query texts', () => {
    const make = jest.fn((q: Request['query']) => ({ n: q.n }));
    const queries = new ParsedQueries(make, 3);
    for (const n of ['1', '2', '3', '4'])
      queries.get(request(`/v1/fleet?n=${n}`, { n }));
    // '1' was dropped when the fourth text came: it is parsed again.
    queries.get(request('/v1/fleet?n=1', { n: '1' }));
    expect(make).toHaveBeenCalledTimes(5);
  });
});
