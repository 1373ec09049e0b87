/** @jsxImportSource react */
import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { FleetRequest, multicloudGitopsApiRef } from '../api';
import { createFakeApi } from '../__testUtils__/fakeApi';
import { buildLargeTopology, fleetAnswer } from '../__testUtils__/fleet';
import { holdFrames } from '../__testUtils__/frames';
import {
  blocksFor,
  CLUSTER_BLOCK,
  MAX_BLOCKS,
  NAME_BLOCK,
  useFleetWindows,
} from './useFleetWindows';
import { MIN_REFETCH_GAP_MS, POLL_INTERVAL_MS } from './useLiveTopology';

/** Enough applications per cluster for two blocks of names. */
const WIDE = buildLargeTopology(400, NAME_BLOCK + 10);
/** More blocks of clusters than the hook keeps. */
const LONG = buildLargeTopology((MAX_BLOCKS + 10) * CLUSTER_BLOCK, 1);
const REQUEST: FleetRequest = {};

function setup(fleet = WIDE) {
  const fake = createFakeApi({
    getFleet: jest.fn(async (r: FleetRequest) => fleetAnswer(r, [fleet])),
  });
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[multicloudGitopsApiRef, fake.api]]}>
      {children}
    </TestApiProvider>
  );
  const rendered = renderHook(
    ({ request, key }: { request: FleetRequest; key: string }) =>
      useFleetWindows(request, key),
    { wrapper, initialProps: { request: REQUEST, key: 'all' } },
  );
  return { fake, ...rendered };
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('useFleetWindows', () => {
  afterEach(() => jest.useRealTimers());

  it('names the blocks that cover rows and names on screen', () => {
    expect(blocksFor(0, 30)).toEqual([{ cluster: 0, names: -1 }]);
    expect(blocksFor(95, 105)).toEqual([
      { cluster: 0, names: -1 },
      { cluster: 1, names: -1 },
    ]);
    expect(blocksFor(250, 260, { first: 45, last: 55 })).toEqual([
      { cluster: 2, names: 0 },
      { cluster: 2, names: 1 },
    ]);
  });

  it('loads each block once and finds rows, names and cells in them', async () => {
    const { fake, result } = setup();
    await waitFor(() => expect(result.current.summary).toBeDefined());
    expect(result.current.clusterAt(0)?.name).toBe('cluster-0000');
    expect(result.current.clusterAt(CLUSTER_BLOCK)).toBeUndefined();

    act(() => result.current.want([{ cluster: 3, names: 1 }]));
    await waitFor(() =>
      expect(result.current.block({ cluster: 3, names: 1 })).toBeDefined(),
    );
    const row = 3 * CLUSTER_BLOCK + 7;
    const name = NAME_BLOCK + 2;
    expect(result.current.clusterAt(row)?.name).toBe('cluster-0307');
    expect(result.current.nameAt(name)).toBe(`app-${NAME_BLOCK + 2}`);
    expect(result.current.appsAt(row, name)).toEqual([
      expect.objectContaining({
        name: `app-${NAME_BLOCK + 2}`,
        cluster: 'cluster-0307',
      }),
    ]);
    // Asking again for what is loaded asks the backend nothing.
    const calls = fake.api.getFleet.mock.calls.length;
    act(() => result.current.want([{ cluster: 3, names: 1 }]));
    expect(fake.api.getFleet.mock.calls.length).toBe(calls);
  });

  it('draws blocks that arrive together one per frame, so a screen of cells is not one long commit', async () => {
    const frames = holdFrames();
    try {
      const { fake, result } = setup();
      await waitFor(() => expect(frames.waiting).toBe(1));
      frames.next();
      expect(result.current.summary).toBeDefined();

      let redraws = 0;
      const off = result.current.subscribe(() => redraws++);
      const screen = blocksFor(CLUSTER_BLOCK + 50, 2 * CLUSTER_BLOCK + 50, {
        first: NAME_BLOCK - 5,
        last: NAME_BLOCK + 5,
      });
      expect(screen).toHaveLength(4);
      act(() => result.current.want(screen));
      // Every answer is in before the next frame.
      await act(async () => {
        await Promise.all(
          fake.api.getFleet.mock.results.slice(-4).map(r => r.value),
        );
      });
      const loaded = () =>
        screen.filter(id => result.current.block(id) !== undefined).length;
      expect(loaded()).toBe(0);
      for (let frame = 1; frame <= 4; frame++) {
        frames.next();
        expect(loaded()).toBe(frame);
        expect(redraws).toBe(frame);
      }
      // Nothing left to draw: no more frames asked for.
      expect(frames.waiting).toBe(0);
      off();
    } finally {
      frames.restore();
    }
  });

  it('keeps a bounded number of blocks while scrolling through many', async () => {
    const { result } = setup(LONG);
    await waitFor(() => expect(result.current.summary).toBeDefined());
    for (let c = 1; c < MAX_BLOCKS + 5; c++) {
      act(() => result.current.want([{ cluster: c, names: -1 }]));
      await waitFor(() =>
        expect(result.current.block({ cluster: c, names: -1 })).toBeDefined(),
      );
    }
    // The oldest went; the latest are there.
    expect(result.current.block({ cluster: 0, names: -1 })).toBeUndefined();
    expect(result.current.block({ cluster: 4, names: -1 })).toBeUndefined();
    expect(
      result.current.block({ cluster: MAX_BLOCKS + 4, names: -1 }),
    ).toBeDefined();
  });

  it('shows new filters from the answer asked for before the click, without asking again', async () => {
    jest.useFakeTimers();
    const { fake, result, rerender } = setup();
    await waitFor(() => expect(result.current.summary).toBeDefined());
    fake.api.getFleet.mockClear();
    const next: FleetRequest = { syncs: ['OutOfSync'] };
    await act(() => result.current.prefetch(next, 'out-of-sync'));
    rerender({ request: next, key: 'out-of-sync' });
    await advance(2 * MIN_REFETCH_GAP_MS);
    expect(fake.api.getFleet).toHaveBeenCalledTimes(1);
    expect(fake.api.getFleet.mock.calls[0][0]).toMatchObject(next);
    expect(result.current.summary).toBe(
      await fake.api.getFleet.mock.results[0].value,
    );
  });

  it('asks again when a change came between the answer asked for before the click and the redraw', async () => {
    jest.useFakeTimers();
    const { fake, result, rerender } = setup();
    await waitFor(() => expect(result.current.summary).toBeDefined());
    const next: FleetRequest = { syncs: ['OutOfSync'] };
    await act(() => result.current.prefetch(next, 'out-of-sync'));
    const version = result.current.summary!.hubs[0].version;
    // The old view is about to go: its refresh is dropped with it.
    act(() =>
      fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: version + 1 }),
    );
    fake.api.getFleet.mockClear();
    rerender({ request: next, key: 'out-of-sync' });
    await advance(MIN_REFETCH_GAP_MS);
    expect(fake.api.getFleet).toHaveBeenCalledTimes(1);
    expect(fake.api.getFleet.mock.calls[0][0]).toMatchObject(next);
  });

  it('on a newer version, asks again for the blocks on screen only, and polls while the push channel is down', async () => {
    jest.useFakeTimers();
    const { fake, result } = setup();
    await waitFor(() => expect(result.current.summary).toBeDefined());
    act(() => result.current.want([{ cluster: 5, names: -1 }]));
    await waitFor(() =>
      expect(result.current.block({ cluster: 5, names: -1 })).toBeDefined(),
    );
    fake.api.getFleet.mockClear();
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 43 }));
    await advance(MIN_REFETCH_GAP_MS);
    expect(fake.api.getFleet.mock.calls.map(([r]) => r.offset)).toEqual([
      5 * CLUSTER_BLOCK,
    ]);
    // The block that left the screen was dropped, not refreshed.
    expect(result.current.block({ cluster: 0, names: -1 })).toBeUndefined();

    fake.api.getFleet.mockClear();
    act(() => fake.setState('polling'));
    await advance(POLL_INTERVAL_MS - 1);
    expect(fake.api.getFleet).not.toHaveBeenCalled();
    // The poll asks through the same throttle as a push event.
    await advance(1 + MIN_REFETCH_GAP_MS);
    expect(fake.api.getFleet).toHaveBeenCalledTimes(1);
  });
});
