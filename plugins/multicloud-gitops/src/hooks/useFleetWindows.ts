import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import { unstable_batchedUpdates } from 'react-dom';
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
import { inTransition } from '../lib/transition';

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
  /**
   * The hub summaries and totals of what matched, from the latest answer. Kept while later
   * answers bring the same hubs and totals, so the page around the blocks redraws only
   * when something it shows changed.
   */
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
  /**
   * Asks for the first block of other filters before the view changes to them; the windows
   * use that answer once `key` becomes theirs. Resolves when it is here (or failed: the
   * windows report that once they use it), at once when `key` is already theirs.
   */
  prefetch(request: FleetRequest, key: string): Promise<void>;
  /**
   * Calls `listener` once per frame in which blocks arrived or were dropped; returns the
   * unsubscribe function. Rows and cells read their own block through useWindowsValue,
   * so an answer redraws what it changed and nothing else.
   */
  subscribe(listener: () => void): () => void;
  /** Set when nothing could be loaded yet. */
  error?: Error;
  /** Set when a refresh failed while older answers are still shown. */
  refreshError?: Error;
  streamState: ChangeStreamState;
  retry(): void;
}

const NO_APPS: FleetApplication[] = [];

/** The same hubs and totals, as far as a page around the blocks shows them. */
function sameHead(a: FleetResponse, b: FleetResponse) {
  if (a === b) return true;
  if (
    a.hubs.length !== b.hubs.length ||
    a.sort !== b.sort ||
    a.clusters.total !== b.clusters.total ||
    a.applicationNames.total !== b.applicationNames.total
  )
    return false;
  const same = (x: unknown, y: unknown) =>
    JSON.stringify(x) === JSON.stringify(y);
  return (
    a.hubs.every((h, i) => {
      const o = b.hubs[i];
      return (
        h.hub.id === o.hub.id &&
        h.storeId === o.storeId &&
        h.version === o.version &&
        h.generatedAt === o.generatedAt &&
        h.pattern === o.pattern &&
        same(h.sources, o.sources)
      );
    }) &&
    same(a.matched, b.matched) &&
    same(a.scope, b.scope)
  );
}

/**
 * The fleet seen through windows: what is on screen is loaded block by block, kept current
 * on the push events of the hubs in view (every loaded block is asked again, with its ETag,
 * so an unchanged block costs a 304), after a reconnect, and by polling while the push
 * channel is down. A new `key` (other filters or sort) starts over.
 *
 * The component calling this redraws when the summary, an error or the stream state
 * changes; the rows and cells follow their blocks through `subscribe` (useWindowsValue).
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
  const [summary, setSummary] = useState<FleetResponse>();
  const summaryRef = useRef<FleetResponse>();
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
  const keyRef = useRef(key);
  const prefetched = useRef<{
    key: string;
    block: string;
    answer: Promise<FleetResponse>;
    /** The answer, once it is here. */
    value?: FleetResponse;
    controller: AbortController;
  }>();
  const listeners = useRef(new Set<() => void>());
  // Bumped whenever the blocks change; the page index below is rebuilt on the next lookup.
  const changes = useRef(0);
  const pagesRef = useRef<{ at: number; rows: Pages; names: Pages }>();

  const notify = useCallback(() => {
    changes.current++;
    unstable_batchedUpdates(() => listeners.current.forEach(l => l()));
  }, []);

  // A layout effect: when the new key's first block is already here (asked for before the
  // click's redraw), it is drawn in the same frame as that redraw.
  useLayoutEffect(() => {
    const controller = new AbortController();
    keyRef.current = key;
    // An answer asked for ahead of this key, if it was this key's.
    const early =
      prefetched.current?.key === key ? prefetched.current : undefined;
    if (!early) prefetched.current?.controller.abort();
    prefetched.current = undefined;
    if (early)
      controller.signal.addEventListener('abort', () =>
        early.controller.abort(),
      );
    const loading = new Set<string>();
    let lastRefresh = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    // Until the new filters' first answer arrives, the old answers stay on screen: a
    // filter click repaints once, from one fleet to the other, with no empty frame.
    staleRef.current = summaryRef.current ? blocks.current : undefined;
    blocks.current = new Map();
    wantedRef.current = [firstBlock(wantedRef.current)];
    setError(undefined);
    setRefreshError(undefined);
    // What is on screen is unchanged (the old blocks are now the stale ones).
    changes.current++;

    // The summary the page shows, and whether these filters have had their first answer
    // (which is the summary, whatever it says).
    let shownSummary = summaryRef.current;
    let fresh = true;
    // Puts an answer among the blocks on screen (the old filters' blocks go with the first)
    // and makes it the latest summary.
    const take = (k: string, answer: FleetResponse) => {
      staleRef.current = undefined;
      blocks.current.delete(k);
      blocks.current.set(k, answer);
      while (blocks.current.size > MAX_BLOCKS)
        blocks.current.delete(blocks.current.keys().next().value!);
      changes.current++;
      summaryRef.current = answer;
    };
    // Answers received and not drawn yet. They are drawn one per frame: the blocks of a
    // screen often arrive together after a scroll, and drawing all their cells in one
    // commit is one long task, where a block per frame is a few short ones.
    const arrived = new Map<string, FleetResponse>();
    let redrawQueued = false;
    const redraw = () => {
      if (redrawQueued) return;
      redrawQueued = true;
      const run = () => {
        redrawQueued = false;
        if (controller.signal.aborted) return;
        const next = arrived.entries().next();
        if (!next.done) {
          arrived.delete(next.value[0]);
          take(...next.value);
        }
        if (arrived.size > 0) redraw();
        const latest = summaryRef.current;
        const shown = fresh ? undefined : shownSummary;
        fresh = false;
        if (latest && (!shown || !sameHead(shown, latest))) {
          // New totals or hubs: the page and its blocks redraw together, at once.
          shownSummary = latest;
          unstable_batchedUpdates(() => {
            setSummary(latest);
            notify();
          });
        } else {
          // Only more blocks of the same fleet: their cells may yield to input.
          inTransition(notify);
        }
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
      if (
        loading.has(k) ||
        (!refresh && (blocks.current.has(k) || arrived.has(k)))
      )
        return;
      loading.add(k);
      let asked: Promise<FleetResponse>;
      if (early?.block === k && !refresh) {
        asked = early.answer;
        early.block = '';
      } else {
        asked = api.getFleet(
          { ...requestRef.current, ...blockRequest(id) },
          { signal: controller.signal },
        );
      }
      asked
        .then(answer => {
          if (controller.signal.aborted) return;
          answered = true;
          setError(undefined);
          setRefreshError(undefined);
          // The client hands back the same object on 304: nothing to redraw.
          if (blocks.current.get(k) === answer && !arrived.has(k)) return;
          // The cells' index is built here, in the answer's own task, not by the first cell
          // drawn from it, whose frame then also lays out and paints a band of cells.
          if (answer.applications.length) cellIndex(answer);
          arrived.set(k, answer);
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
        let dropped = false;
        for (const k of [...blocks.current.keys()])
          if (!onScreen.has(k)) dropped = blocks.current.delete(k) || dropped;
        for (const k of [...arrived.keys()])
          if (!onScreen.has(k)) arrived.delete(k);
        if (dropped) changes.current++;
        wantedRef.current.forEach(id => fetchBlock(id, true));
      }, Math.max(0, wait));
    };
    refreshRef.current = refresh;
    if (early?.value && early.block) {
      // The first block is here: drawn now, with the page's redraw for the new key.
      take(early.block, early.value);
      early.block = '';
      answered = true;
      shownSummary = early.value;
      fresh = false;
      setSummary(early.value);
      notify();
    }
    loadRef.current(wantedRef.current);

    let wasLive = false;
    // The stream's state when subscribing. Already live, nothing was missed that the
    // replayed newest events do not show, so only a later return to live refreshes.
    let initial = true;
    const unsubscribe = api.subscribe({
      onEvent(event) {
        const latest = summaryRef.current;
        if (!latest) return;
        const hub = latest.hubs.find(h => h.hub.id === event.hub);
        if (!hub) return;
        if (event.storeId === hub.storeId && event.version <= hub.version)
          return;
        refresh();
      },
      onStateChange(state) {
        setStreamState(state);
        if (state === 'live') {
          if (!initial && (wasLive || answered)) refresh();
          wasLive = true;
        }
      },
    });
    initial = false;
    return () => {
      controller.abort();
      if (timer) clearTimeout(timer);
      unsubscribe();
    };
  }, [api, key, attempt, notify]);

  usePollWhileDown(streamState, refreshRef);

  const prefetch = useCallback(
    (next: FleetRequest, nextKey: string): Promise<void> => {
      const settled = (p: Promise<unknown>) =>
        p.then(
          () => undefined,
          () => undefined,
        );
      if (nextKey === keyRef.current) return Promise.resolve();
      if (prefetched.current?.key === nextKey)
        return settled(prefetched.current.answer);
      prefetched.current?.controller.abort();
      const controller = new AbortController();
      const id = firstBlock(wantedRef.current);
      const answer = api.getFleet(
        { ...next, ...blockRequest(id) },
        { signal: controller.signal },
      );
      const entry = {
        key: nextKey,
        block: keyOf(id),
        answer,
        controller,
      } as NonNullable<typeof prefetched.current>;
      prefetched.current = entry;
      // Whoever uses the answer handles its failure; unused, it is dropped.
      answer.then(
        value => {
          entry.value = value;
        },
        () => {},
      );
      return settled(answer);
    },
    [api],
  );
  const want = useCallback((ids: BlockId[]) => {
    wantedRef.current = ids;
    loadRef.current(ids);
  }, []);
  const subscribe = useCallback((listener: () => void) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const block = useCallback(
    (id: BlockId) =>
      blocks.current.get(keyOf(id)) ?? staleRef.current?.get(keyOf(id)),
    [],
  );
  const retry = useCallback(() => setAttempt(a => a + 1), []);
  // Which loaded answer holds each page of rows and of names, found once per change of
  // the blocks: every row and cell on screen asks, and a scan per lookup shows in a profile.
  const pages = useCallback(() => {
    let p = pagesRef.current;
    if (!p || p.at !== changes.current) {
      p = { at: changes.current, rows: new Map(), names: new Map() };
      for (const map of [staleRef.current, blocks.current]) {
        for (const [k, b] of map ?? []) {
          const [c, n] = k.split(':').map(Number);
          p.rows.set(c, b);
          if (n >= 0) p.names.set(n, b);
        }
      }
      pagesRef.current = p;
    }
    return p;
  }, []);
  const clusterAt = useCallback(
    (index: number) => {
      const b = pages().rows.get(Math.floor(index / CLUSTER_BLOCK));
      return b?.clusters.items[index - b.clusters.offset];
    },
    [pages],
  );
  const nameAt = useCallback(
    (index: number) => {
      const b = pages().names.get(Math.floor(index / NAME_BLOCK));
      return b?.applicationNames.items[index - b.applicationNames.offset];
    },
    [pages],
  );
  const appsAt = useCallback(
    (clusterIndex: number, nameIndex: number) => {
      const b = block(blockOf(clusterIndex, nameIndex));
      if (!b) return undefined;
      return cellIn(b, clusterIndex, nameIndex)?.apps ?? NO_APPS;
    },
    [block],
  );

  // One object per state, so memoised views redraw when the page changed, not on every
  // render of their parent nor on every block.
  return useMemo(
    () => ({
      summary,
      clusterAt,
      nameAt,
      appsAt,
      block,
      want,
      prefetch,
      subscribe,
      error,
      refreshError,
      streamState,
      retry,
    }),
    [
      summary,
      clusterAt,
      nameAt,
      appsAt,
      block,
      want,
      prefetch,
      subscribe,
      error,
      refreshError,
      streamState,
      retry,
    ],
  );
}

type Pages = Map<number, FleetResponse>;

/** The paging part of a block's request. */
function blockRequest(id: BlockId): FleetRequest {
  const names = id.names >= 0;
  return {
    offset: id.cluster * CLUSTER_BLOCK,
    limit: CLUSTER_BLOCK,
    appOffset: names ? id.names * NAME_BLOCK : 0,
    appLimit: names ? NAME_BLOCK : 0,
  };
}

/** The block new filters start with: the first rows, with names if names are shown. */
function firstBlock(wanted: BlockId[]): BlockId {
  return { cluster: 0, names: (wanted[0]?.names ?? -1) >= 0 ? 0 : -1 };
}

/** The block holding a matrix cell. */
export function blockOf(clusterIndex: number, nameIndex: number): BlockId {
  return {
    cluster: Math.floor(clusterIndex / CLUSTER_BLOCK),
    names: Math.floor(nameIndex / NAME_BLOCK),
  };
}

/**
 * A matrix cell of a loaded block: its cluster, application name and applications (`[]`
 * when the application does not run there); undefined when the block does not hold it.
 */
export function cellIn(
  b: FleetResponse,
  clusterIndex: number,
  nameIndex: number,
):
  | { cluster: FleetCluster; name: string; apps: FleetApplication[] }
  | undefined {
  const cluster = b.clusters.items[clusterIndex - b.clusters.offset];
  const name = b.applicationNames.items[nameIndex - b.applicationNames.offset];
  if (!cluster || name === undefined) return undefined;
  return {
    cluster,
    name,
    apps: cellIndex(b).get(`${cluster.hub}/${cluster.name}/${name}`) ?? NO_APPS,
  };
}

/**
 * What `read` takes from the windows (a row's cluster, a cell's block), redrawing the
 * caller only when that changed. `read` must return the same object while its part of
 * the windows is unchanged.
 */
export function useWindowsValue<T>(
  subscribe: FleetWindows['subscribe'],
  read: () => T,
): T {
  const value = read();
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const readRef = useRef(read);
  readRef.current = read;
  const shown = useRef(value);
  shown.current = value;
  useEffect(() => {
    const check = () => {
      if (!Object.is(readRef.current(), shown.current)) redraw();
    };
    const unsubscribe = subscribe(check);
    // A change between this render and the subscription.
    check();
    return unsubscribe;
  }, [subscribe]);
  return value;
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
