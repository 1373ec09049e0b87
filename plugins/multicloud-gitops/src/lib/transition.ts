import { startTransition } from 'react';

/**
 * Runs `fn`'s state updates as a React 18 transition where there is one: their redraw may
 * yield to input and to more urgent updates. On older React it runs them as usual.
 */
export const inTransition: (fn: () => void) => void =
  typeof startTransition === 'function' ? startTransition : fn => fn();
