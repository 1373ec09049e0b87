import { DependencyList, useEffect, useState } from 'react';

/**
 * Loads a value when `deps` change, aborting the previous load: what a drawer part shows
 * while the user moves from one application to the next. The last value stays until the
 * next one arrives; an error clears when a load succeeds.
 */
export function useAbortableLoad<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: DependencyList,
): { value?: T; error?: Error } {
  const [state, setState] = useState<{ value?: T; error?: Error }>({});
  useEffect(() => {
    const controller = new AbortController();
    load(controller.signal)
      .then(value => {
        if (!controller.signal.aborted) setState({ value });
      })
      .catch(error => {
        if (!controller.signal.aborted)
          setState(s => ({ value: s.value, error }));
      });
    return () => controller.abort();
    // the caller names what the load depends on
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return state;
}
