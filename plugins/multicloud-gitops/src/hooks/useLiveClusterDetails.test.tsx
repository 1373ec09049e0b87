/** @jsxImportSource react */
import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { multicloudGitopsApiRef } from '../api';
import { createFakeApi } from '../__testUtils__/fakeApi';
import {
  DETAILS_MIN_GAP_MS,
  useLiveClusterDetails,
} from './useLiveClusterDetails';

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('useLiveClusterDetails', () => {
  afterEach(() => jest.useRealTimers());

  it("reloads on its hub's push events, at most once per DETAILS_MIN_GAP_MS", async () => {
    jest.useFakeTimers();
    const fake = createFakeApi();
    const wrapper = ({ children }: { children: ReactNode }) => (
      <TestApiProvider apis={[[multicloudGitopsApiRef, fake.api]]}>
        {children}
      </TestApiProvider>
    );
    const { result } = renderHook(
      () => useLiveClusterDetails('prod-hub', 'west-1'),
      { wrapper },
    );
    await waitFor(() =>
      expect(result.current.value?.cluster.name).toBe('west-1'),
    );
    expect(fake.api.getClusterDetails).toHaveBeenCalledTimes(1);
    expect(fake.api.getClusterDetails).toHaveBeenCalledWith(
      'prod-hub',
      'west-1',
      expect.objectContaining({ signal: expect.anything() }),
    );

    // A burst of the hub's events right after a load folds into one reload after the gap.
    act(() => {
      fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 43 });
      fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 44 });
    });
    await advance(DETAILS_MIN_GAP_MS - 100);
    expect(fake.api.getClusterDetails).toHaveBeenCalledTimes(1);
    await advance(200);
    expect(fake.api.getClusterDetails).toHaveBeenCalledTimes(2);

    // Another hub's changes are not this cluster's.
    act(() => fake.emit({ hub: 'other-hub', storeId: 'store-a', version: 9 }));
    await advance(DETAILS_MIN_GAP_MS * 2);
    expect(fake.api.getClusterDetails).toHaveBeenCalledTimes(2);
  });
});
