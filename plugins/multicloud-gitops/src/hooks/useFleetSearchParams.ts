import { useCallback, useRef } from 'react';
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

/**
 * Filters, the chosen view and the open cluster drawer live in the URL, so a link pasted
 * into a chat opens exactly the view its author saw. Updates replace the history entry:
 * typing a filter must not add one back-button step per keystroke.
 *
 * The URL is the only copy of the filters: a filter click is one navigation and one
 * render. The filters keep their identity while only other parameters change (a drawer
 * opens), so memoised filtering and the views depending on them are not redone.
 */
export function useFleetSearchParams() {
  const [params, setSearchParams] = useSearchParams();
  // The router's setter changes with every URL; ours stay the same, so the views given
  // them are not redrawn for it.
  const setter = useRef(setSearchParams);
  setter.current = setSearchParams;
  const setParams: typeof setSearchParams = useCallback(
    (next, options) => setter.current(next, options),
    [],
  );
  const fromUrl = filtersFromSearchParams(params);
  const kept = useRef(fromUrl);
  if (!sameFilters(kept.current, fromUrl)) kept.current = fromUrl;
  const filters = kept.current;

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

  return {
    filters,
    setFilters,
    view,
    setView,
    cluster,
    setCluster,
    /** The URL's parameters, and a setter that keeps its identity. */
    params,
    setParams,
  };
}
