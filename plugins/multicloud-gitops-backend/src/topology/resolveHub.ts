/*
 * Which hub a topology query means. A hub runs one pattern (several hubs may run the same
 * one): `?hub=` names a hub, `?pattern=` finds the hub that runs it, and both together must
 * agree. Every rejection says what to add or fix.
 */
import { InputError, NotFoundError } from '@backstage/errors';

/** The configured hubs and the pattern each runs, where known. */
export interface HubPatterns {
  hubIds(): string[];
  patternOf(hub: string): string | undefined;
}

/** Hubs running a pattern. */
export function hubsForPattern(hubs: HubPatterns, pattern: string): string[] {
  return hubs.hubIds().filter(id => hubs.patternOf(id) === pattern);
}

/** The patterns the hubs are known to run, each once. */
export function knownPatterns(hubs: HubPatterns): string[] {
  return [
    ...new Set(
      hubs
        .hubIds()
        .map(id => hubs.patternOf(id))
        .filter(Boolean) as string[],
    ),
  ];
}

/**
 * The hub of `?pattern=&hub=`. With a pattern alone: the one hub running it, or the only
 * hub when its pattern is not known yet.
 */
export function resolveHub(
  hubs: HubPatterns,
  query: { pattern?: string; hub?: string },
): string {
  const { pattern } = query;
  let hub = query.hub;
  if (!pattern && !hub)
    throw new InputError(
      'Invalid query: give pattern=NAME (and optionally hub=ID)',
    );
  const ids = hubs.hubIds();
  if (hub && !ids.includes(hub)) {
    throw new NotFoundError(
      `Unknown hub "${hub}"; configured hubs: ${ids.join(', ')}`,
    );
  }
  if (!pattern) return hub!;
  const running = hubsForPattern(hubs, pattern);
  if (hub) {
    const runs = hubs.patternOf(hub);
    if (!running.includes(hub) && runs) {
      throw new NotFoundError(
        `Hub "${hub}" runs pattern ${runs}, not ${pattern}`,
      );
    }
    return hub;
  }
  if (running.length > 1)
    throw new InputError(
      `Pattern ${pattern} runs on hubs ${running.join(', ')}: add hub=ID`,
    );
  hub =
    running[0] ??
    (ids.length === 1 && !hubs.patternOf(ids[0]) ? ids[0] : undefined);
  if (!hub) {
    throw new NotFoundError(
      `No hub runs pattern "${pattern}"; known patterns: ${
        knownPatterns(hubs).join(', ') || '(none yet)'
      }`,
    );
  }
  return hub;
}
