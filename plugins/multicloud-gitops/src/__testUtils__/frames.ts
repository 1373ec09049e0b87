import { act } from '@testing-library/react';

/**
 * Holds every requestAnimationFrame callback until the test runs the next frame, so a
 * test can tell what one frame draws. Call `restore` when done (in a `finally`).
 */
export function holdFrames() {
  const frames: FrameRequestCallback[] = [];
  const spy = jest
    .spyOn(window, 'requestAnimationFrame')
    .mockImplementation(cb => frames.push(cb));
  return {
    /** Callbacks waiting for the next frame. */
    get waiting() {
      return frames.length;
    },
    /** Runs the callbacks asked for so far, as one frame. */
    next() {
      act(() => {
        frames.splice(0).forEach(cb => cb(performance.now()));
      });
    },
    restore() {
      spy.mockRestore();
    },
  };
}
