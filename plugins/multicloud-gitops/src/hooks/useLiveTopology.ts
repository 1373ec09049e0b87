import {
  MutableRefObject,
  useCallback,
  useEffect,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import {
  TopologyChangedEvent,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ChangeStreamState, multicloudGitopsApiRef } from '../api';

/** Fallback poll interval when the push channel is down. */
export const POLL_INTERVAL_MS = 30_000;
/**
 * Minimum gap between two refetches. A busy fleet can emit several events per second;
 * one refetch per second keeps the view current without hammering the backend (the ETag
 * makes unchanged refetches cheap anyway).
 */
export const MIN_REFETCH_GAP_MS = 1_000;

export interface LiveResource<T> {
  value?: T;
  /** Set when nothing could be loaded yet; the view shows an error panel. */
  error?: Error;
  /** Set when a refresh failed but an older answer is still shown. */
  refreshError?: Error;
  loading: boolean;
  streamState: ChangeStreamState;
  retry(): void;
}

export type LiveTopology = LiveResource<TopologyResponse>;

export interface LiveResourceOptions<T> {
  /** The hub whose push events concern this value. */
  hubOf(value: T): string;
  /** True when an event of the value's hub announces nothing newer than the value. */
  isCurrent?(event: TopologyChangedEvent, value: T): boolean;
  /** Floor of the gap between two refetches; defaults to {@link MIN_REFETCH_GAP_MS}. */
  minGapMs?: number;
}

/**
 * Topology answers carry their store's version; an event of the same store at or below
 * it announces nothing new. Versions only compare within one store: behind a load
 * balancer the event may come from another replica than the answer on screen.
 */
const TOPOLOGY_OPTIONS: LiveResourceOptions<TopologyResponse> = {
  hubOf: t => t.hub.id,
  isCurrent: (event, t) =>
    event.storeId === t.storeId && event.version <= t.version,
};

/**
 * Loads a topology and keeps it current: refetches when the backend announces a new
 * version for the same hub, after the push channel reconnects (events may have been
 * missed meanwhile), and every 30 s while the channel is down.
 *
 * @param load - fetches the topology; must be stable for a given `key`
 * @param key - identifies what is loaded; a new key starts over
 */
export function useLiveTopology(
  load: (signal: AbortSignal) => Promise<TopologyResponse>,
  key: string,
): LiveTopology {
  return useLiveResource(load, key, TOPOLOGY_OPTIONS);
}

/**
 * Loads anything the backend derives from one hub's store and keeps it current the way
 * {@link useLiveTopology} does: on the hub's push events, after a reconnect, and by
 * polling while the push channel is down.
 *
 * @param options - must be stable (a module constant or memoised)
 */
export function useLiveResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  key: string,
  options: LiveResourceOptions<T>,
): LiveResource<T> {
  const api = useApi(multicloudGitopsApiRef);
  const [value, setValue] = useState<T>();
  const [error, setError] = useState<Error>();
  const [refreshError, setRefreshError] = useState<Error>();
  const [streamState, setStreamState] =
    useState<ChangeStreamState>('connecting');
  const [attempt, setAttempt] = useState(0);
  const valueRef = useRef<T>();
  const refetchRef = useRef<() => void>(() => {});
  const loadRef = useRef(load);
  loadRef.current = load;
  const optionsRef = useRef(options);
  optionsRef.current = options;

  useEffect(() => {
    const controller = new AbortController();
    let inFlight = false;
    let pending = false;
    let lastStart = 0;
    // A 2,000-cluster answer takes a while to fetch and parse; spacing refetches by a
    // multiple of the last load keeps a busy fleet from keeping the tab permanently busy.
    const minGap = optionsRef.current.minGapMs ?? MIN_REFETCH_GAP_MS;
    let gap = minGap;
    let timer: ReturnType<typeof setTimeout> | undefined;
    valueRef.current = undefined;
    setValue(undefined);
    setError(undefined);
    setRefreshError(undefined);

    const run = () => {
      if (controller.signal.aborted) return;
      if (inFlight) {
        pending = true;
        return;
      }
      const wait = lastStart + gap - Date.now();
      if (valueRef.current && wait > 0) {
        if (!timer) {
          timer = setTimeout(() => {
            timer = undefined;
            run();
          }, wait);
        }
        return;
      }
      inFlight = true;
      lastStart = Date.now();
      loadRef
        .current(controller.signal)
        .then(next => {
          if (controller.signal.aborted) return;
          gap = Math.max(minGap, 4 * (Date.now() - lastStart));
          // The client hands back the same object on 304; skipping setState then avoids
          // re-rendering (and re-filtering) the whole fleet for nothing.
          if (next !== valueRef.current) {
            valueRef.current = next;
            setValue(next);
          }
          setError(undefined);
          setRefreshError(undefined);
        })
        .catch((e: Error) => {
          if (controller.signal.aborted) return;
          if (valueRef.current) setRefreshError(e);
          else setError(e);
        })
        .finally(() => {
          inFlight = false;
          if (pending && !controller.signal.aborted) {
            pending = false;
            run();
          }
        });
    };
    refetchRef.current = run;
    run();

    let wasLive = false;
    const unsubscribe = api.subscribe({
      onEvent(event) {
        const current = valueRef.current;
        if (!current) return;
        const { hubOf, isCurrent } = optionsRef.current;
        if (event.hub !== hubOf(current)) return;
        if (isCurrent?.(event, current)) return;
        run();
      },
      onStateChange(state) {
        setStreamState(state);
        if (state === 'live') {
          if (wasLive || valueRef.current) run();
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

  usePollWhileDown(streamState, refetchRef);

  const retry = useCallback(() => setAttempt(a => a + 1), []);

  return {
    value,
    error,
    refreshError,
    loading: !value && !error,
    streamState,
    retry,
  };
}

/** Calls `refetch.current` every {@link POLL_INTERVAL_MS} while the push channel is down. */
export function usePollWhileDown(
  streamState: ChangeStreamState,
  refetch: MutableRefObject<() => void>,
) {
  useEffect(() => {
    if (streamState !== 'polling') return undefined;
    const interval = setInterval(() => refetch.current(), POLL_INTERVAL_MS);
    return () => clearInterval(interval);
  }, [streamState, refetch]);
}
