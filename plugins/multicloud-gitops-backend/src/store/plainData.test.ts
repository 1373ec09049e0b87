import { isObject, sameRecord } from './plainData';
/** A record as the store holds one: nested labels, optional fields. */
const app = (extra: object = {}) => ({
  name: 'x',
  namespace: 'openshift-gitops',
  hostCluster: 'a',
  sync: 'Synced',
  targetRevision: 'main',
  labels: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
  ...extra,
});

describe('isObject', () => {
  it('takes a JSON object, not a list, null or a scalar', () => {
    expect(isObject({})).toBe(true);
    expect(isObject({ a: 1 })).toBe(true);
    for (const v of [[], null, undefined, 'x', 1, true])
      expect(isObject(v)).toBe(false);
  });
});

describe('sameRecord', () => {
  it('compares records as their JSON would: deep, key order free, undefined as absent', () => {
    expect(sameRecord(app(), app())).toBe(true);
    expect(
      sameRecord(
        { a: 1, b: { c: ['x', 'y'] } },
        { b: { c: ['x', 'y'] }, a: 1 },
      ),
    ).toBe(true);
    expect(sameRecord({ a: 1, b: undefined }, { a: 1 })).toBe(true);
    expect(sameRecord({ a: 1 }, { a: 1, b: undefined })).toBe(true);
  });

  it('sees any difference a view could show', () => {
    const base = app();
    expect(sameRecord(base, app({ targetRevision: 'v2' }))).toBe(false);
    expect(sameRecord(base, app({ labels: { team: 'payments' } }))).toBe(false);
    expect(sameRecord(base, app({ operationPhase: 'Running' }))).toBe(false);
    expect(sameRecord({ a: ['x', 'y'] }, { a: ['y', 'x'] })).toBe(false);
    expect(sameRecord({ a: [] }, { a: {} })).toBe(false);
    expect(sameRecord({ a: null }, { a: {} })).toBe(false);
    expect(sameRecord({ a: 1 }, { a: '1' })).toBe(false);
  });
});
