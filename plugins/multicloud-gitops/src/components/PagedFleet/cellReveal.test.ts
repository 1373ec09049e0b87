import { createCellReveal } from './cellReveal';

describe('createCellReveal', () => {
  it('draws requested cells a band per frame, top rows first, and not those withdrawn', () => {
    const frames: (() => void)[] = [];
    const reveal = createCellReveal(3, run => frames.push(run));
    const drawn: string[] = [];
    const ask = (row: number, col: number) =>
      reveal.request(row, col, () => drawn.push(`${row}:${col}`));
    ask(2, 0);
    ask(0, 1);
    const left = ask(1, 5);
    ask(0, 0);
    ask(3, 3);
    ask(1, 1);
    // The cell at 1:5 scrolled out before its frame.
    left();
    expect(frames).toHaveLength(1);
    frames.shift()!();
    expect(drawn).toEqual(['0:0', '0:1', '1:1']);
    frames.shift()!();
    expect(drawn.slice(3)).toEqual(['2:0', '3:3']);
    // Nothing left: no frame asked for.
    expect(frames).toHaveLength(0);
  });

  it('draws a cell asked for twice once, with its latest request', () => {
    const frames: (() => void)[] = [];
    const reveal = createCellReveal(10, run => frames.push(run));
    const draws: string[] = [];
    const first = reveal.request(0, 0, () => draws.push('first'));
    reveal.request(0, 0, () => draws.push('second'));
    // Withdrawing the replaced request leaves the latest one.
    first();
    frames.shift()!();
    expect(draws).toEqual(['second']);
  });
});
