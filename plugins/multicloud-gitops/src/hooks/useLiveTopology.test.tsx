/** @jsxImportSource react */
import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { multicloudGitopsApiRef } from '../api';
import { createFakeApi } from '../__testUtils__/fakeApi';
import { TOPOLOGY, buildTopology } from '../__testUtils__/fleet';
import {
  MIN_REFETCH_GAP_MS,
  POLL_INTERVAL_MS,
  useLiveTopology,
} from './useLiveTopology';

function setup(fake: ReturnType<typeof createFakeApi>) {
  const load = (signal: AbortSignal) =>
    fake.api.getEntityTopology('system:default/x', { signal });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[multicloudGitopsApiRef, fake.api]]}>
      {children}
    </TestApiProvider>
  );
  return renderHook(() => useLiveTopology(load, 'system:default/x'), {
    wrapper,
  });
}

/** Renders the hook on fake timers and waits for its first answer. */
async function setupLoaded(fake: ReturnType<typeof createFakeApi>) {
  jest.useFakeTimers();
  const rendered = setup(fake);
  await waitFor(() => expect(rendered.result.current.value).toBe(TOPOLOGY));
  return rendered;
}

/** Moves the fake clock on and lets the loads it starts settle. */
async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('useLiveTopology', () => {
  afterEach(() => jest.useRealTimers());

  it('refetches for newer versions of its own hub only', async () => {
    const fake = createFakeApi();
    const { result } = await setupLoaded(fake);
    expect(fake.api.getEntityTopology).toHaveBeenCalledTimes(1);

    act(() =>
      fake.emit({ hub: 'other-hub', storeId: 'store-a', version: 100 }),
    );
    act(() =>
      fake.emit({
        hub: 'prod-hub',
        storeId: 'store-a',
        version: TOPOLOGY.version,
      }),
    ); // not newer
    await advance(MIN_REFETCH_GAP_MS * 5);
    expect(fake.api.getEntityTopology).toHaveBeenCalledTimes(1);

    const next = buildTopology(undefined, undefined, { version: 43 });
    fake.api.getEntityTopology.mockResolvedValueOnce(next);
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 43 }));
    await advance(MIN_REFETCH_GAP_MS);
    expect(fake.api.getEntityTopology).toHaveBeenCalledTimes(2);
    expect(result.current.value).toBe(next);
  });

  it('spaces refetches by at least MIN_REFETCH_GAP_MS and folds a burst of events into one', async () => {
    const fake = createFakeApi();
    const startedAt: number[] = [];
    fake.api.getEntityTopology.mockImplementation(async () => {
      startedAt.push(Date.now());
      return startedAt.length === 1
        ? TOPOLOGY
        : buildTopology(undefined, undefined, { version: 45 });
    });
    const { result } = await setupLoaded(fake);
    // Right after the first load: a busy fleet announces three versions in a row.
    act(() => {
      for (const version of [43, 44, 45])
        fake.emit({ hub: 'prod-hub', storeId: 'store-a', version });
    });
    await advance(MIN_REFETCH_GAP_MS);
    expect(startedAt).toHaveLength(2);
    expect(startedAt[1] - startedAt[0]).toBeGreaterThanOrEqual(
      MIN_REFETCH_GAP_MS,
    );
    expect(result.current.value?.version).toBe(45);
    await advance(MIN_REFETCH_GAP_MS * 3);
    expect(startedAt).toHaveLength(2);
  });

  it('refetches on an event from another store (replica), whatever its version', async () => {
    const fake = createFakeApi();
    const { result } = await setupLoaded(fake);
    // Behind a load balancer: this answer came from replica A (version 42); replica B,
    // whose store counts from its own start, announces its version 7.
    const fromB = buildTopology(undefined, undefined, {
      storeId: 'store-b',
      version: 7,
    });
    fake.api.getEntityTopology.mockResolvedValueOnce(fromB);
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-b', version: 7 }));
    await advance(MIN_REFETCH_GAP_MS);
    expect(result.current.value).toBe(fromB);
  });

  it('keeps the previous answer and reports a failed refresh', async () => {
    const fake = createFakeApi();
    const { result } = await setupLoaded(fake);
    fake.api.getEntityTopology.mockRejectedValueOnce(
      new Error('gateway timeout'),
    );
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 50 }));
    await advance(MIN_REFETCH_GAP_MS);
    expect(result.current.refreshError?.message).toBe('gateway timeout');
    expect(result.current.value).toBe(TOPOLOGY);
    expect(result.current.error).toBeUndefined();
  });

  it('polls every 30 s while the push channel is down, and refetches when it is back', async () => {
    jest.useFakeTimers();
    const fake = createFakeApi();
    const { result } = setup(fake);
    await act(async () => {
      await Promise.resolve();
    });
    await waitFor(() => expect(result.current.value).toBeDefined());
    const calls = () => fake.api.getEntityTopology.mock.calls.length;
    expect(calls()).toBe(1);

    act(() => fake.setState('polling'));
    expect(result.current.streamState).toBe('polling');
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS);
    });
    expect(calls()).toBe(2);
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS);
    });
    expect(calls()).toBe(3);

    // Back to live: one catch-up fetch (events may have been missed), then no more polling.
    await act(async () => {
      fake.setState('live');
      jest.advanceTimersByTime(5_000);
    });
    expect(calls()).toBe(4);
    await act(async () => {
      jest.advanceTimersByTime(POLL_INTERVAL_MS * 3);
    });
    expect(calls()).toBe(4);
  });

  it('surfaces a first-load failure as an error and retries on demand', async () => {
    const fake = createFakeApi();
    fake.api.getEntityTopology.mockRejectedValueOnce(new Error('backend down'));
    const { result } = setup(fake);
    await waitFor(() =>
      expect(result.current.error?.message).toBe('backend down'),
    );
    expect(result.current.loading).toBe(false);
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.value).toBe(TOPOLOGY));
    expect(result.current.error).toBeUndefined();
  });
});
