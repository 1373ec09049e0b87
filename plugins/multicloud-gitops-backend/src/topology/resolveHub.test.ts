import { InputError, NotFoundError } from '@backstage/errors';
import { HubPatterns, knownPatterns, resolveHub } from './resolveHub';

const hubs = (patterns: Record<string, string | undefined>): HubPatterns => ({
  hubIds: () => Object.keys(patterns),
  patternOf: hub => patterns[hub],
});
const FLEET = hubs({ east: 'mcg', west: 'mcg', lab: 'edge', new: undefined });

describe('resolveHub', () => {
  it('takes the hub named, if it runs the pattern or its pattern is not known yet', () => {
    expect(resolveHub(FLEET, { hub: 'lab' })).toBe('lab');
    expect(resolveHub(FLEET, { hub: 'east', pattern: 'mcg' })).toBe('east');
    expect(resolveHub(FLEET, { hub: 'new', pattern: 'mcg' })).toBe('new');
    expect(() => resolveHub(FLEET, { hub: 'lab', pattern: 'mcg' })).toThrow(
      new NotFoundError('Hub "lab" runs pattern edge, not mcg'),
    );
    expect(() => resolveHub(FLEET, { hub: 'north' })).toThrow(
      new NotFoundError(
        'Unknown hub "north"; configured hubs: east, west, lab, new',
      ),
    );
  });

  it('takes the one hub running the pattern, and asks for hub=ID when several do', () => {
    expect(resolveHub(FLEET, { pattern: 'edge' })).toBe('lab');
    expect(() => resolveHub(FLEET, { pattern: 'mcg' })).toThrow(
      new InputError('Pattern mcg runs on hubs east, west: add hub=ID'),
    );
  });

  it('takes the only hub while its pattern is not known, and names the known patterns otherwise', () => {
    expect(resolveHub(hubs({ only: undefined }), { pattern: 'mcg' })).toBe(
      'only',
    );
    expect(() =>
      resolveHub(hubs({ only: 'edge' }), { pattern: 'mcg' }),
    ).toThrow(
      new NotFoundError('No hub runs pattern "mcg"; known patterns: edge'),
    );
    expect(() => resolveHub(FLEET, { pattern: 'other' })).toThrow(
      'No hub runs pattern "other"; known patterns: mcg, edge',
    );
    expect(() => resolveHub(hubs({}), { pattern: 'mcg' })).toThrow(
      'known patterns: (none yet)',
    );
  });

  it('needs a pattern or a hub', () => {
    expect(() => resolveHub(FLEET, {})).toThrow(
      new InputError(
        'Invalid query: give pattern=NAME (and optionally hub=ID)',
      ),
    );
  });
});

describe('knownPatterns', () => {
  it('lists each known pattern once', () => {
    expect(knownPatterns(FLEET)).toEqual(['mcg', 'edge']);
  });
});
