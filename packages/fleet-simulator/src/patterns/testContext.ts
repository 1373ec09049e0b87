/* A simulator context for the operator's tests (not part of the package API). */
import { Counters } from '../admin/counters';
import { Faults } from '../admin/faults';
import { Tokens } from '../admin/tokens';
import { SimContext } from '../context';
import { generateFleet } from '../fleet/generate';
import { resolveOptions, SimulatorOptions } from '../simulator';
import { Store } from '../store/store';
import { Prng } from '../util/prng';

/** The seeded fleet of `o` in a context whose timers run only when the test says so. */
export function testContext(o: SimulatorOptions) {
  const options = resolveOptions(o);
  const store = new Store();
  generateFleet(store, options);
  const due: (() => void)[] = [];
  const ctx: SimContext = {
    options,
    store,
    tokens: new Tokens(options.token, options.readOnlyToken),
    counters: new Counters(),
    faults: new Faults(options.seed),
    streams: new Set(),
    runtimePrng: new Prng('t'),
    timers: new Set(),
    log: () => undefined,
    now: () => new Date().toISOString(),
    setTimer: fn => {
      due.push(fn);
      return undefined as unknown as NodeJS.Timeout;
    },
  };
  /** run the timers due now (one auto-sync step); returns how many ran */
  const step = () => due.splice(0).map(fn => fn()).length;
  return { ctx, store, step };
}
