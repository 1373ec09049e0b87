import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  FleetApplication,
  FleetCluster,
  FleetResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  ChangeStreamState,
  FleetRequest,
  multicloudGitopsApiRef,
} from '../api';
import { MIN_REFETCH_GAP_MS, usePollWhileDown } from './useLiveTopology';

/** Cluster rows per request: a screenful and a half of the list, a matrix block's columns. */
export const CLUSTER_BLOCK = 100;
/** Application names per matrix request. */
export const NAME_BLOCK = 50;
/** Blocks kept in memory; the ones furthest from the last asked are dropped first. */
export const MAX_BLOCKS = 24;

/** A block: cluster rows `[cluster * CLUSTER_BLOCK, ...)`; names likewise, or none (-1). */
export interface BlockId {
  cluster: number;
  names: number;
}

const keyOf = (b: BlockId) => `${b.cluster}:${b.names}`;

export interface FleetWindows {
  /** The latest answer of any block: hub summaries and totals of what matched. */
  summary?: FleetResponse;
  /** A block's answer, if loaded. */
  block(id: BlockId): FleetResponse | undefined;
  /** The cluster at a row of the matched list, from any loaded block holding it. */
  clusterAt(index: number): FleetCluster | undefined;
  /** The application name at a matrix row, from any loaded block holding it. */
  nameAt(index: number): string | undefined;
  /**
   * The applications of a matrix cell: `undefined` while its block is not loaded, `[]`
   * when the application does not run on that cluster.
   */
  appsAt(
    clusterIndex: number,
    nameIndex: number,
  ): FleetApplication[] | undefined;
  /** Asks for the blocks on screen; loads those not loaded yet. */
  want(ids: BlockId[]): void;
  /** Set when nothing could be loaded yet. */
  error?: Error;
  /** Set when a refresh failed while older answers are still shown. */
  refreshError?: Error;
  streamState: ChangeStreamState;
  /** Bumped on every answer that changed something, for memoised views. */
  revision: number;
  retry(): void;
}

/**
 * The fleet seen through windows: what is on screen is loaded block by block, kept current
 * on the push events of the hubs in view (every loaded block is asked again, with its ETag,
 * so an unchanged block costs a 304), after a reconnect, and by polling while the push
 * channel is down. A new `key` (other filters or sort) starts over.
 *
 * @param request - filters and sort; must be stable for a given `key`
 * @param first - the block to load before the view says what is on screen
 */
export function useFleetWindows(
  request: FleetRequest,
  key: string,
  first: BlockId = { cluster: 0, names: -1 },
): FleetWindows {
  const api = useApi(multicloudGitopsApiRef);
  const blocks = useRef(new Map<string, FleetResponse>());
  const summaryRef = useRef<FleetResponse>();
  const [revision, setRevision] = useState(0);
  const [error, setError] = useState<Error>();
  const [refreshError, setRefreshError] = useState<Error>();
  const [streamState, setStreamState] =
    useState<ChangeStreamState>('connecting');
  const [attempt, setAttempt] = useState(0);
  const requestRef = useRef(request);
  requestRef.current = request;
  const loadRef = useRef<(ids: BlockId[]) => void>(() => {});
  const refreshRef = useRef<() => void>(() => {});
  const wantedRef = useRef<BlockId[]>([first]);
  const staleRef = useRef<Map<string, FleetResponse>>();

  useEffect(() => {
    const controller = new AbortController();
    const loading = new Set<string>();
    let lastRefresh = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Until the new filters' first answer arrives, the old answers stay on screen: a
    // filter click repaints once, from one fleet to the other, with no empty frame.
    staleRef.current = summaryRef.current ? blocks.current : undefined;
    blocks.current = new Map();
    wantedRef.current = [
      { cluster: 0, names: (wantedRef.current[0]?.names ?? -1) >= 0 ? 0 : -1 },
    ];
    setError(undefined);
    setRefreshError(undefined);
    setRevision(r => r + 1);

    // Blocks arrive one by one while a screen fills; the view redraws once per frame
    // for all that arrived, not once per answer.
    let redrawQueued = false;
    const redraw = () => {
      if (redrawQueued) return;
      redrawQueued = true;
      const run = () => {
        redrawQueued = false;
        if (!controller.signal.aborted) setRevision(r => r + 1);
      };
      if (typeof requestAnimationFrame === 'function')
        requestAnimationFrame(run);
      else setTimeout(run, 0);
    };
    // Whether this view (these filters) has had an answer: only then does a reconnect
    // mean events may have been missed.
    let answered = false;

    const fetchBlock = (id: BlockId, refresh: boolean) => {
      const k = keyOf(id);
      if (loading.has(k) || (!refresh && blocks.current.has(k))) return;
      loading.add(k);
      const names = id.names >= 0;
      api
        .getFleet(
          {
            ...requestRef.current,
            offset: id.cluster * CLUSTER_BLOCK,
            limit: CLUSTER_BLOCK,
            appOffset: names ? id.names * NAME_BLOCK : 0,
            appLimit: names ? NAME_BLOCK : 0,
          },
          { signal: controller.signal },
        )
        .then(answer => {
          if (controller.signal.aborted) return;
          answered = true;
          setError(undefined);
          setRefreshError(undefined);
          // The client hands back the same object on 304: nothing to redraw.
          if (blocks.current.get(k) === answer) return;
          staleRef.current = undefined;
          blocks.current.delete(k);
          blocks.current.set(k, answer);
          while (blocks.current.size > MAX_BLOCKS)
            blocks.current.delete(blocks.current.keys().next().value!);
          summaryRef.current = answer;
          redraw();
        })
        .catch((e: Error) => {
          if (controller.signal.aborted) return;
          if (summaryRef.current) setRefreshError(e);
          else setError(e);
        })
        .finally(() => loading.delete(k));
    };

    loadRef.current = ids => ids.forEach(id => fetchBlock(id, false));
    // Every block on screen again, at most once per MIN_REFETCH_GAP_MS: a busy fleet
    // announces several changes a second.
    const refresh = () => {
      if (controller.signal.aborted || timer) return;
      const wait = lastRefresh + MIN_REFETCH_GAP_MS - Date.now();
      timer = setTimeout(() => {
        timer = undefined;
        lastRefresh = Date.now();
        const onScreen = new Set(wantedRef.current.map(keyOf));
        // Blocks off screen are dropped rather than refreshed: they load when seen again.
        for (const k of [...blocks.current.keys()])
          if (!onScreen.has(k)) blocks.current.delete(k);
        wantedRef.current.forEach(id => fetchBlock(id, true));
      }, Math.max(0, wait));
    };
    refreshRef.current = refresh;
    loadRef.current(wantedRef.current);

    let wasLive = false;
    const unsubscribe = api.subscribe({
      onEvent(event) {
        const summary = summaryRef.current;
        if (!summary) return;
        const hub = summary.hubs.find(h => h.hub.id === event.hub);
        if (!hub) return;
        if (event.storeId === hub.storeId && event.version <= hub.version)
          return;
        refresh();
      },
      onStateChange(state) {
        setStreamState(state);
        if (state === 'live') {
          if (wasLive || answered) refresh();
          wasLive = true;
        }
      },
    });
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [api, key, attempt]);

  usePollWhileDown(streamState, refreshRef);

  const want = useCallback((ids: BlockId[]) => {
    wantedRef.current = ids;
    loadRef.current(ids);
  }, []);
  const block = useCallback(
    (id: BlockId) =>
      blocks.current.get(keyOf(id)) ?? staleRef.current?.get(keyOf(id)),
    // The map is mutated in place; the revision tells memoised callers it changed.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [revision],
  );
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  // Which loaded answer holds each page of rows and of names, found once per revision:
  // every cell on screen asks, and a scan of the blocks per cell shows in a profile.
  const pages = useMemo(() => {
    const rows = new Map<number, FleetResponse>();
    const names = new Map<number, FleetResponse>();
    for (const map of [staleRef.current, blocks.current]) {
      for (const [k, b] of map ?? []) {
        const [c, n] = k.split(':').map(Number);
        rows.set(c, b);
        if (n >= 0) names.set(n, b);
      }
    }
    return { rows, names };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revision]);
  const clusterAt = useCallback(
    (index: number) => {
      const b = pages.rows.get(Math.floor(index / CLUSTER_BLOCK));
      return b?.clusters.items[index - b.clusters.offset];
    },
    [pages],
  );
  const nameAt = useCallback(
    (index: number) => {
      const b = pages.names.get(Math.floor(index / NAME_BLOCK));
      return b?.applicationNames.items[index - b.applicationNames.offset];
    },
    [pages],
  );
  const appsAt = useCallback(
    (clusterIndex: number, nameIndex: number) => {
      const b = block({
        cluster: Math.floor(clusterIndex / CLUSTER_BLOCK),
        names: Math.floor(nameIndex / NAME_BLOCK),
      });
      if (!b) return undefined;
      const c = b.clusters.items[clusterIndex - b.clusters.offset];
      const name =
        b.applicationNames.items[nameIndex - b.applicationNames.offset];
      if (!c || name === undefined) return [];
      return cellIndex(b).get(`${c.hub}/${c.name}/${name}`) ?? [];
    },
    [block],
  );

  const summary = summaryRef.current;
  // One object per state, so memoised views redraw when something changed, not on every
  // render of their parent.
  return useMemo(
    () => ({
      summary,
      clusterAt,
      nameAt,
      appsAt,
      block,
      want,
      error,
      refreshError,
      streamState,
      revision,
      retry,
    }),
    [
      summary,
      clusterAt,
      nameAt,
      appsAt,
      block,
      want,
      error,
      refreshError,
      streamState,
      revision,
      retry,
    ],
  );
}

/** The blocks covering rows `[first, last]` (and names `[firstName, lastName]`, if any). */
export function blocksFor(
  first: number,
  last: number,
  names?: { first: number; last: number },
): BlockId[] {
  const ids: BlockId[] = [];
  const from = Math.floor(Math.max(0, first) / CLUSTER_BLOCK);
  const to = Math.floor(Math.max(0, last) / CLUSTER_BLOCK);
  const nFrom = names ? Math.floor(Math.max(0, names.first) / NAME_BLOCK) : -1;
  const nTo = names ? Math.floor(Math.max(0, names.last) / NAME_BLOCK) : -1;
  for (let c = from; c <= to; c++)
    for (let n = nFrom; n <= nTo; n++) ids.push({ cluster: c, names: n });
  return ids;
}

const cells = new WeakMap<FleetResponse, Map<string, FleetApplication[]>>();
/** A block's applications by hub, cluster and name, indexed once per answer. */
function cellIndex(b: FleetResponse): Map<string, FleetApplication[]> {
  let index = cells.get(b);
  if (!index) {
    index = new Map();
    for (const a of b.applications) {
      const k = `${a.hub}/${a.cluster}/${a.name}`;
      const list = index.get(k);
      if (list) list.push(a);
      else index.set(k, [a]);
    }
    cells.set(b, index);
  }
  return index;
}
