import { ResponseError } from '@backstage/errors';
import { TopologyChangedEvent } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { SseParser } from './sse';
import { ChangeStreamState, TopologyChangeListener } from './types';

/**
 * Tuning knobs of the push channel; the defaults suit a browser tab.
 * @public
 */
export interface ChangeStreamOptions {
  /** First reconnect delay; doubles per failure. */
  initialBackoffMs?: number;
  /** Longest reconnect delay. */
  maxBackoffMs?: number;
  /** Consecutive failures after which subscribers are told to poll. */
  failuresBeforePolling?: number;
  /**
   * How long the stream stays open after its last subscriber left. A view that changes
   * its filters unsubscribes and subscribes again in the same commit, and a user moving
   * between pages does so within a moment: neither should cost a reconnect, a request
   * slot of the browser's few per host, and a refetch of everything on screen.
   */
  lingerMs?: number;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    if (signal.aborted) {
      resolve();
      return;
    }
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });

function isTopologyChangedEvent(value: unknown): value is TopologyChangedEvent {
  const v = value as Partial<TopologyChangedEvent> | null;
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof v.hub === 'string' &&
    typeof v.storeId === 'string' &&
    typeof v.version === 'number'
  );
}

/**
 * One shared `GET /v1/events` stream per client, fanned out to every subscriber, so a page
 * with a card, a tab and a drawer still holds a single connection to the backend.
 */
export class ChangeStream {
  readonly #open: (init: { signal: AbortSignal }) => Promise<Response>;
  readonly #listeners = new Set<TopologyChangeListener>();
  readonly #options: Required<ChangeStreamOptions>;
  #state: ChangeStreamState = 'connecting';
  #abort: AbortController | undefined;
  #closeTimer: ReturnType<typeof setTimeout> | undefined;
  /** The newest event of each hub while the stream is open, for new subscribers. */
  readonly #newest = new Map<string, TopologyChangedEvent>();

  constructor(
    open: (init: { signal: AbortSignal }) => Promise<Response>,
    options: ChangeStreamOptions = {},
  ) {
    this.#open = open;
    this.#options = {
      initialBackoffMs: options.initialBackoffMs ?? 1_000,
      maxBackoffMs: options.maxBackoffMs ?? 60_000,
      failuresBeforePolling: options.failuresBeforePolling ?? 3,
      lingerMs: options.lingerMs ?? 5_000,
    };
  }

  subscribe(listener: TopologyChangeListener): () => void {
    this.#listeners.add(listener);
    listener.onStateChange?.(this.#state);
    if (this.#state === 'live') {
      for (const event of [...this.#newest.values()]) {
        if (!this.#listeners.has(listener)) break;
        this.#deliver(listener, event);
      }
    }
    if (this.#closeTimer) {
      clearTimeout(this.#closeTimer);
      this.#closeTimer = undefined;
    }
    if (!this.#abort) {
      this.#abort = new AbortController();
      void this.#run(this.#abort.signal);
    }
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      this.#listeners.delete(listener);
      if (this.#listeners.size === 0 && this.#abort && !this.#closeTimer)
        this.#closeTimer = setTimeout(
          () => this.#close(),
          this.#options.lingerMs,
        );
    };
  }

  #close() {
    this.#closeTimer = undefined;
    if (this.#listeners.size > 0 || !this.#abort) return;
    this.#abort.abort();
    this.#abort = undefined;
    this.#state = 'connecting';
    this.#newest.clear();
  }

  #setState(state: ChangeStreamState) {
    if (state === this.#state) return;
    this.#state = state;
    for (const l of [...this.#listeners]) l.onStateChange?.(state);
  }

  #emit(event: TopologyChangedEvent) {
    this.#newest.set(event.hub, event);
    for (const l of [...this.#listeners]) this.#deliver(l, event);
  }

  #deliver(listener: TopologyChangeListener, event: TopologyChangedEvent) {
    try {
      listener.onEvent(event);
    } catch {
      // One broken subscriber must not starve the others, nor stop the stream.
    }
  }

  async #run(signal: AbortSignal) {
    const parser = new SseParser();
    let failures = 0;
    while (!signal.aborted) {
      let opened = false;
      try {
        // No Last-Event-ID: the server sends no event ids and replays nothing; subscribers
        // refetch when the stream is live again.
        const response = await this.#open({ signal });
        if (!response.ok) throw await ResponseError.fromResponse(response);
        if (!response.body)
          throw new Error('event stream has no readable body');
        opened = true;
        failures = 0;
        // Subscribers reload on a reconnect: the old connection's changes tell them nothing.
        this.#newest.clear();
        this.#setState('live');
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        try {
          for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            for (const message of parser.push(
              decoder.decode(value, { stream: true }),
            )) {
              if (message.event !== 'topology-changed') continue;
              try {
                const data = JSON.parse(message.data);
                if (isTopologyChangedEvent(data)) this.#emit(data);
              } catch {
                // A malformed event is dropped; the next one or the poll catches up.
              }
            }
          }
        } finally {
          reader.releaseLock?.();
        }
      } catch {
        if (signal.aborted) return;
      }
      if (signal.aborted) return;
      // The stream ended or failed. A stream that had opened and then closed (proxy idle
      // timeout, backend restart) reconnects quickly; repeated failures back off and, past
      // a threshold, tell subscribers to poll until the stream comes back.
      if (!opened) failures++;
      if (failures >= this.#options.failuresBeforePolling)
        this.#setState('polling');
      else this.#setState('connecting');
      const base = parser.retry ?? this.#options.initialBackoffMs;
      const backoff = Math.min(
        this.#options.maxBackoffMs,
        base * 2 ** Math.max(0, failures - 1),
      );
      // Jitter spreads reconnects so a backend restart is not hit by every tab at once.
      await sleep(backoff * (0.75 + Math.random() * 0.5), signal);
    }
  }
}
