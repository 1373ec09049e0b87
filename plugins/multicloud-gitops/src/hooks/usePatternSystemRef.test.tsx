/** @jsxImportSource react */
import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { PATTERN_ENTITY } from '../__testUtils__/render';
import {
  PATTERN_SYSTEM_RETRY_MS,
  usePatternSystemRef,
} from './usePatternSystemRef';

const LAB_SYSTEM: Entity = {
  ...PATTERN_ENTITY,
  metadata: {
    name: 'multicloud-gitops-lab',
    namespace: 'default',
    annotations: {
      'validatedpatterns.io/pattern': 'multicloud-gitops',
      'validatedpatterns.io/hub': 'lab-hub',
    },
  },
};

/** A catalog whose answers are, in turn, `first` and then what it holds. */
function setup(first: 'empty' | 'error' | 'holds', entities: Entity[]) {
  const catalog = catalogApiMock({ entities });
  const real = catalog.getEntities.bind(catalog);
  const getEntities = jest.fn(async (...args: Parameters<typeof real>) => {
    if (getEntities.mock.calls.length === 1) {
      if (first === 'error') throw new Error('catalog unavailable');
      if (first === 'empty') return { items: [] };
    }
    return real(...args);
  });
  catalog.getEntities = getEntities as typeof catalog.getEntities;
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider apis={[[catalogApiRef, catalog]]}>
      {children}
    </TestApiProvider>
  );
  return { getEntities, wrapper };
}

async function advance(ms: number) {
  await act(async () => {
    jest.advanceTimersByTime(ms);
  });
}

describe('usePatternSystemRef', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("finds the pattern's System", async () => {
    const { wrapper } = setup('holds', [PATTERN_ENTITY]);
    const { result } = renderHook(
      () => usePatternSystemRef('prod-hub', 'multicloud-gitops'),
      { wrapper },
    );
    await waitFor(() =>
      expect(result.current).toBe('system:default/multicloud-gitops'),
    );
  });

  it('asks again when the catalog did not hold the System yet', async () => {
    // The catalog ingests its locations after start: a deep link opened then got nothing.
    const { getEntities, wrapper } = setup('empty', [PATTERN_ENTITY]);
    const { result } = renderHook(
      () => usePatternSystemRef('prod-hub', 'multicloud-gitops'),
      { wrapper },
    );
    await waitFor(() => expect(getEntities).toHaveBeenCalledTimes(1));
    await advance(0);
    expect(result.current).toBeUndefined();
    await advance(PATTERN_SYSTEM_RETRY_MS[0]);
    await waitFor(() =>
      expect(result.current).toBe('system:default/multicloud-gitops'),
    );
    // Found: nothing more is asked.
    await advance(PATTERN_SYSTEM_RETRY_MS.at(-1)! * 2);
    expect(getEntities).toHaveBeenCalledTimes(2);
  });

  it('asks again after a failed lookup', async () => {
    const { getEntities, wrapper } = setup('error', [PATTERN_ENTITY]);
    const { result } = renderHook(
      () => usePatternSystemRef('prod-hub', 'multicloud-gitops'),
      { wrapper },
    );
    await waitFor(() => expect(getEntities).toHaveBeenCalledTimes(1));
    await advance(PATTERN_SYSTEM_RETRY_MS[0]);
    await waitFor(() =>
      expect(result.current).toBe('system:default/multicloud-gitops'),
    );
  });

  it("gives another hub's drawer that hub's System, never the previous one", async () => {
    const { wrapper } = setup('holds', [PATTERN_ENTITY, LAB_SYSTEM]);
    const { result, rerender } = renderHook(
      ({ hub }: { hub: string }) =>
        usePatternSystemRef(hub, 'multicloud-gitops'),
      { wrapper, initialProps: { hub: 'prod-hub' } },
    );
    // No System names prod-hub: the pattern's System without a hub stands for it.
    await waitFor(() =>
      expect(result.current).toBe('system:default/multicloud-gitops'),
    );
    rerender({ hub: 'lab-hub' });
    expect(result.current).toBeUndefined();
    await waitFor(() =>
      expect(result.current).toBe('system:default/multicloud-gitops-lab'),
    );
  });
});
