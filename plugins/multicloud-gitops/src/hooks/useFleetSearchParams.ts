import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  FleetFilters,
  filtersFromSearchParams,
  writeFiltersToSearchParams,
} from '../lib/filters';

export type FleetView = 'topology' | 'matrix';

/**
 * Filters, the chosen view and the open cluster drawer live in the URL, so a link pasted
 * into a chat opens exactly the view its author saw. Updates replace the history entry:
 * typing a filter must not add one back-button step per keystroke.
 */
export function useFleetSearchParams() {
  const [params, setParams] = useSearchParams();
  const serialized = params.toString();

  const filters = useMemo(
    () => filtersFromSearchParams(new URLSearchParams(serialized)),
    [serialized],
  );
  const view: FleetView =
    params.get('view') === 'matrix' ? 'matrix' : 'topology';
  const cluster = params.get('cluster') ?? undefined;

  const setFilters = useCallback(
    (next: FleetFilters) =>
      setParams(prev => writeFiltersToSearchParams(next, prev), {
        replace: true,
      }),
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
