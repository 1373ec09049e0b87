import { intern, InternPool, internLabels, internList } from './intern';

/** A string equal to `s` but made anew, as each upstream object brings its own copy. */
const copy = (s: string) => JSON.parse(JSON.stringify(s)) as string;

describe('InternPool', () => {
  // JavaScript cannot tell two equal strings apart, so the pool's size shows the sharing.
  it('holds one copy of equal strings, however many copies come', () => {
    const pool = new InternPool();
    for (let i = 0; i < 100; i++) {
      expect(pool.string(copy('openshift-gitops'))).toBe('openshift-gitops');
      expect(pool.optional(copy('hello-world'))).toBe('hello-world');
    }
    expect(pool.size).toBe(2);
    expect(pool.optional(undefined)).toBeUndefined();
    expect(intern(copy('https://github.com/validatedpatterns/x'))).toBe(
      'https://github.com/validatedpatterns/x',
    );
  });

  it('shares one frozen label map among equal ones, made of shared strings', () => {
    const pool = new InternPool();
    const a = pool.labels({
      'validatedpatterns.io/pattern': copy('multicloud-gitops'),
    });
    const b = pool.labels({
      [copy('validatedpatterns.io/pattern')]: 'multicloud-gitops',
    });
    expect(b).toBe(a);
    expect(a).toEqual({ 'validatedpatterns.io/pattern': 'multicloud-gitops' });
    expect(Object.isFrozen(a)).toBe(true);
    expect(pool.labels({ other: 'x' })).not.toBe(a);
    // Every empty map is the same one.
    expect(pool.labels({})).toBe(pool.labels({}));
    expect(internLabels({ k: copy('v') })).toBe(internLabels({ k: 'v' }));
  });

  it('reads a label text once: equal texts share the map, parsed only the first time', () => {
    const pool = new InternPool();
    const parse = jest.fn((text: string) =>
      Object.fromEntries(text.split('; ').map(p => p.split('='))),
    );
    const text = 'app.kubernetes.io/instance=mcg-group-one; team=blue';
    const a = pool.labelsOf(copy(text), parse);
    const b = pool.labelsOf(copy(text), parse);
    expect(b).toBe(a);
    expect(parse).toHaveBeenCalledTimes(1);
    expect(a).toEqual({
      'app.kubernetes.io/instance': 'mcg-group-one',
      team: 'blue',
    });
    // The map's keys and values are the pool's strings: asking for them again adds none.
    const size = pool.size;
    pool.string(copy('mcg-group-one'));
    pool.string(copy('app.kubernetes.io/instance'));
    expect(pool.size).toBe(size);
  });

  it('shares frozen lists of strings', () => {
    const pool = new InternPool();
    const a = pool.list(['worker', copy('master')]);
    expect(pool.list([copy('worker'), 'master'])).toBe(a);
    expect(pool.list(['master', 'worker'])).not.toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
    expect(pool.list([])).toBe(pool.list([]));
    expect(internList(['a', 'b'])).toBe(internList([copy('a'), 'b']));
  });

  it('starts over at its bound, so values that change for ever cannot grow it without end', () => {
    const pool = new InternPool(3);
    for (let i = 0; i <= 10; i++) {
      pool.string(`revision-${i}`);
      pool.labels({ revision: `r${i}` });
      pool.list([`r${i}`]);
      expect(pool.size).toBeLessThanOrEqual(9);
    }
    // Maps handed out before the pool started over stay as they were.
    const kept = pool.labels({ revision: 'r0' });
    expect(kept).toEqual({ revision: 'r0' });
    expect(pool.labels({ revision: 'r0' })).toBe(kept);
  });
});
