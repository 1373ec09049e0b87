import { useEffect, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  HUB_ANNOTATION,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/** Waits before asking the catalog again after it failed or had no System yet. */
export const PATTERN_SYSTEM_RETRY_MS = [2_000, 5_000, 15_000, 30_000];

/**
 * The catalog System that stands for the pattern on this hub: Sync and Refresh on the fleet
 * page are checked against it (`multicloud-gitops.application.sync` on that entity, e.g. its
 * owners), as on the System's own Fleet tab. With several, the one naming this hub wins.
 *
 * A failed lookup, or one made before the catalog holds the System (it ingests its
 * locations after start and on its own schedule), is not an answer for good: it is asked
 * again after a growing pause until the System is found. The answer belongs to the hub and
 * pattern it was asked for, so a drawer on another hub never acts through the previous
 * hub's System.
 */
export function usePatternSystemRef(
  hub: string | undefined,
  pattern: string | undefined,
): string | undefined {
  const catalogApi = useApi(catalogApiRef);
  const [found, setFound] = useState<{
    hub: string;
    pattern: string;
    ref: string;
  }>();
  const [attempt, setAttempt] = useState(0);
  const known = found && found.hub === hub && found.pattern === pattern;

  useEffect(() => {
    if (!hub || !pattern || known) return undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const again = () => {
      const wait =
        PATTERN_SYSTEM_RETRY_MS[
          Math.min(attempt, PATTERN_SYSTEM_RETRY_MS.length - 1)
        ];
      timer = setTimeout(() => setAttempt(a => a + 1), wait);
    };
    catalogApi
      .getEntities({
        filter: {
          kind: 'System',
          [`metadata.annotations.${PATTERN_ANNOTATION}`]: pattern,
        },
        fields: [
          'kind',
          'metadata.namespace',
          'metadata.name',
          'metadata.annotations',
        ],
      })
      .then(({ items }) => {
        if (cancelled) return;
        const onHub = items.filter(
          e => e.metadata.annotations?.[HUB_ANNOTATION] === hub,
        );
        const candidates = onHub.length
          ? onHub
          : items.filter(e => !e.metadata.annotations?.[HUB_ANNOTATION]);
        if (candidates.length === 1) {
          setFound({ hub, pattern, ref: stringifyEntityRef(candidates[0]) });
        } else {
          again();
        }
      })
      .catch(() => {
        if (!cancelled) again();
      });
    return () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    };
  }, [catalogApi, hub, pattern, known, attempt]);

  return known ? found.ref : undefined;
}
