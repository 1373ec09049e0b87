import { matchesLabelSelector, parseLabelSelector } from './selector';

describe('label selectors', () => {
  const labels = {
    app: 'hello',
    env: 'prod',
    'validatedpatterns.io/pattern': 'mcg',
  };

  it.each([
    ['app=hello', true],
    ['app==hello', true],
    ['app!=hello', false],
    ['env in (prod, qa)', true],
    ['env notin (prod)', false],
    ['validatedpatterns.io/pattern', true],
    ['!tier', true],
    ['app=hello,env=qa', false],
    ['', true],
  ])('%s -> %s', (selector, expected) => {
    expect(matchesLabelSelector(labels, parseLabelSelector(selector))).toBe(
      expected,
    );
  });

  it('rejects malformed selectors with a message naming the term', () => {
    expect(() => parseLabelSelector('app=hello,,env=prod')).toThrow(
      /empty term/,
    );
    expect(() => parseLabelSelector('a b c')).toThrow(/"a b c"/);
    expect(() => parseLabelSelector('app=hel lo')).toThrow(/app=hel lo/);
    expect(() => parseLabelSelector('-bad=x')).toThrow(
      /invalid label key "-bad"/,
    );
  });
});
