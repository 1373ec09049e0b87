import { HUB, SimContext } from '../context';
import { generateFleet } from '../fleet/generate';
import { TYPE, typeKey } from '../k8s/registry';
import { resolveOptions } from '../simulator';
import { Store } from '../store/store';
import { Prng } from '../util/prng';
import { ACTION_GC_MS, startActionControllers } from './controller';

const MCA = typeKey(TYPE.managedClusterAction);
const MC = typeKey(TYPE.managedCluster);

function context(): SimContext {
  const options = resolveOptions({ clusters: 2, seed: 'gc' });
  const store = new Store();
  generateFleet(store, options);
  const timers = new Set<NodeJS.Timeout>();
  return {
    options,
    store,
    runtimePrng: new Prng('gc'),
    timers,
    streams: new Set(),
    log: () => undefined,
    now: () => new Date().toISOString(),
    setTimer: (fn: () => void, ms: number) => {
      const t = setTimeout(() => {
        timers.delete(t);
        fn();
      }, ms);
      timers.add(t);
      return t;
    },
  } as unknown as SimContext;
}

describe('finished ManagedClusterActions', () => {
  beforeEach(() =>
    jest.useFakeTimers({ now: Date.parse('2026-12-05T04:00:00Z') }),
  );
  afterEach(() => jest.useRealTimers());

  it('are deleted a minute after they completed, as the hub does; pending ones stay', async () => {
    const ctx = context();
    const stop = startActionControllers(ctx);
    const spoke = ctx.store
      .list(HUB, MC)
      .find(m => !m.metadata.labels?.['local-cluster'])!.metadata.name!;
    const put = (name: string, namespace: string) =>
      ctx.store.put(HUB, MCA, {
        apiVersion: 'action.open-cluster-management.io/v1beta1',
        kind: 'ManagedClusterAction',
        metadata: { name, namespace, uid: name },
        spec: {
          actionType: 'Delete',
          kube: { resource: 'pod', namespace: 'default', name: 'gone' },
        },
      });
    put('done', spoke);
    put('pending', 'not-a-cluster');

    await jest.advanceTimersByTimeAsync(1000);
    const done = ctx.store.get(HUB, MCA, spoke, 'done')!;
    expect(done.status.conditions[0]).toMatchObject({
      type: 'Completed',
      status: 'False',
      reason: 'DeleteResourceFailed',
      lastTransitionTime: '2026-12-05T04:00:00Z',
    });

    await jest.advanceTimersByTimeAsync(ACTION_GC_MS - 2000);
    expect(ctx.store.get(HUB, MCA, spoke, 'done')).toBeDefined();
    await jest.advanceTimersByTimeAsync(2000);
    expect(ctx.store.get(HUB, MCA, spoke, 'done')).toBeUndefined();
    expect(ctx.store.get(HUB, MCA, 'not-a-cluster', 'pending')).toBeDefined();
    stop();
  });
});
