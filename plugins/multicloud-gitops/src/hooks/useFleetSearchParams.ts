import { useCallback, useEffect, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  FleetFilters,
  filtersFromSearchParams,
  writeFiltersToSearchParams,
} from '../lib/filters';

export type FleetView = 'topology' | 'matrix';

function sameFilters(a: FleetFilters, b: FleetFilters) {
  const same = (x: string[], y: string[]) =>
    x.length === y.length && x.every((v, i) => v === y[i]);
  return (
    a.text === b.text &&
    same(a.groups, b.groups) &&
    same(a.statuses, b.statuses) &&
    same(a.syncs, b.syncs) &&
    same(a.healths, b.healths)
  );
}

/** Runs `fn` after the browser has painted the current frame. */
function afterNextPaint(fn: () => void) {
  if (typeof requestAnimationFrame === 'function') {
    requestAnimationFrame(() => setTimeout(fn, 0));
  } else {
    setTimeout(fn, 0);
  }
}

/**
 * Filters, the chosen view and the open cluster drawer live in the URL, so a link pasted
 * into a chat opens exactly the view its author saw. Updates replace the history entry:
 * typing a filter must not add one back-button step per keystroke.
 */
export function useFleetSearchParams() {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();

  const fromUrl = useMemo(
    () => filtersFromSearchParams(new URLSearchParams(serialized)),
    [serialized],
  );
  // The view filters from local state, and the URL follows one frame later. A URL change
  // re-renders the whole page around us (entity header, tabs); doing that after the
  // filtered fleet is painted keeps a filter click within a frame at 2,000 clusters.
  const [filters, setLocalFilters] = useState(fromUrl);
  useEffect(() => {
    // Follow changes made elsewhere (back/forward, a pasted link), keeping the object
    // when nothing changed so memoised filtering is not redone.
    setLocalFilters(prev => (sameFilters(prev, fromUrl) ? prev : fromUrl));
  }, [fromUrl]);

  const view: FleetView =
    params.get('view') === 'matrix' ? 'matrix' : 'topology';
  const cluster = params.get('cluster') ?? undefined;

  const setFilters = useCallback(
    (next: FleetFilters) => {
      setLocalFilters(next);
      afterNextPaint(() =>
        setParams(prev => writeFiltersToSearchParams(next, prev), {
          replace: true,
        }),
      );
    },
    [setParams],
  );
  const setView = useCallback(
    (next: FleetView) =>
      setParams(
        prev => {
          const p = new URLSearchParams(prev);
          if (next === 'topology') p.delete('view');
          else p.set('view', next);
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setCluster = useCallback(
    (next: string | undefined) =>
      setParams(
        prev => {
          const p = new URLSearchParams(prev);
          if (next) p.set('cluster', next);
          else p.delete('cluster');
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );

  return { filters, setFilters, view, setView, cluster, setCluster };
}
