import { flushSync } from 'react-dom';

/**
 * Cells drawn per frame when a block arrives. A block covers most of a screen (several
 * hundred cells); drawn in one commit, its style, layout and paint (mostly paint: two
 * status glyphs a cell) are one main-thread task past the 50 ms that makes scrolling
 * stutter, where bands of this size are several short ones: a screen in about 8 frames.
 */
export const CELLS_PER_FRAME = 60;

/**
 * Draws matrix cells that just received their block in bands of rows, top first, a band
 * per frame. Cells ask through `request`; the placeholder stays until their band's frame.
 */
export interface CellReveal {
  /**
   * Calls `draw` in a coming frame, after the cells above it (and left of it on its row).
   * Returns a function that withdraws the request (the cell left the screen).
   */
  request(row: number, col: number, draw: () => void): () => void;
}

type Frame = (run: () => void) => void;

const nextFrame: Frame = run => {
  if (typeof requestAnimationFrame === 'function')
    requestAnimationFrame(() => run());
  else setTimeout(run, 0);
};

export function createCellReveal(
  perFrame = CELLS_PER_FRAME,
  frame: Frame = nextFrame,
): CellReveal {
  const pending = new Map<string, { row: number; col: number; draw(): void }>();
  let scheduled = false;
  // Each of these two calls the other: declared first, defined below.
  let schedule: () => void = () => undefined;
  const run = () => {
    scheduled = false;
    const band = [...pending.entries()]
      .sort(([, a], [, b]) => a.row - b.row || a.col - b.col)
      .slice(0, perFrame);
    for (const [k] of band) pending.delete(k);
    // Committed within this frame, so its style, layout and paint are this frame's alone.
    flushSync(() => band.forEach(([, c]) => c.draw()));
    if (pending.size > 0) schedule();
  };
  schedule = () => {
    if (scheduled) return;
    scheduled = true;
    frame(run);
  };
  return {
    request(row, col, draw) {
      const k = `${row}:${col}`;
      const entry = { row, col, draw };
      pending.set(k, entry);
      schedule();
      return () => {
        if (pending.get(k) === entry) pending.delete(k);
      };
    },
  };
}
