import { HUB, SimContext } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import { KObject } from '../store/types';
import { offerUpgrade, setAppState, setClusterAvailable } from './mutate';
import { Prng } from '../util/prng';

/**
 * The fleet changing over time: each tick undoes what is due (resync after drift, recovery
 * after degradation, lease regained) and makes one new change. Choices come from the
 * seeded run-time PRNG, so a given seed changes the fleet the same way every run.
 */

const APP = typeKey(TYPE.application);
const MC = typeKey(TYPE.managedCluster);

interface Pending {
  dueTick: number;
  run: () => void;
  label: string;
}

export class Ticker {
  private tickNo = 0;
  private pending: Pending[] = [];
  private timer?: NodeJS.Timeout;

  /** its own seeded PRNG: what clients do (syncs, creates) must not change the tick's choices */
  private prng: Prng;

  constructor(private readonly ctx: SimContext) {
    this.prng = new Prng(`${ctx.options.seed}:tick`);
  }

  start(ms: number) {
    this.timer = setInterval(() => this.tick(), ms);
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  /** Forget scheduled undos (after a reset they would act on the fresh fleet). */
  clearPending() {
    this.pending = [];
    this.tickNo = 0;
    this.prng = new Prng(`${this.ctx.options.seed}:tick`);
  }

  tick(): string[] {
    const done: string[] = [];
    this.tickNo++;
    const due = this.pending.filter(p => p.dueTick <= this.tickNo);
    this.pending = this.pending.filter(p => p.dueTick > this.tickNo);
    for (const p of due) {
      try {
        p.run();
        done.push(p.label);
      } catch {
        // the object may have been deleted or changed through the API meanwhile
      }
    }
    const change = this.change();
    if (change) done.push(change);
    if (done.length) this.ctx.log(`tick ${this.tickNo}: ${done.join('; ')}`);
    return done;
  }

  private randomApp(
    filter: (a: KObject) => boolean,
  ): [string, KObject] | undefined {
    const clusters = [...this.ctx.store.clusters.keys()].filter(
      c => this.ctx.store.bucket(c, APP)?.objects.size,
    );
    for (let attempt = 0; attempt < 20 && clusters.length; attempt++) {
      const c = clusters[this.prng.int(clusters.length)];
      const apps = [...this.ctx.store.bucket(c, APP)!.objects.values()].filter(
        filter,
      );
      if (apps.length) return [c, apps[this.prng.int(apps.length)]];
    }
    return undefined;
  }

  private change(): string | undefined {
    const prng = this.prng;
    const kind = prng.weighted([
      ['drift', 4],
      ['degrade', 3],
      ['lease', 2],
      ['upgrade', 1],
    ] as const);
    if (kind === 'drift' || kind === 'degrade') {
      const pick = this.randomApp(
        a =>
          a.status?.sync?.status === 'Synced' &&
          a.status?.health?.status === 'Healthy' &&
          !a.operation,
      );
      if (!pick) return undefined;
      const [cluster, app] = pick;
      const name = app.metadata.name!;
      if (kind === 'drift') {
        setAppState(this.ctx, cluster, name, 'OutOfSync');
        this.pending.push({
          dueTick: this.tickNo + 2,
          label: `resync ${cluster}/${name}`,
          run: () => setAppState(this.ctx, cluster, name, 'Synced'),
        });
        return `drift ${cluster}/${name}`;
      }
      setAppState(this.ctx, cluster, name, undefined, 'Degraded');
      this.pending.push({
        dueTick: this.tickNo + 1,
        label: `progressing ${cluster}/${name}`,
        run: () =>
          setAppState(this.ctx, cluster, name, undefined, 'Progressing'),
      });
      this.pending.push({
        dueTick: this.tickNo + 3,
        label: `recovered ${cluster}/${name}`,
        run: () => setAppState(this.ctx, cluster, name, undefined, 'Healthy'),
      });
      return `degraded ${cluster}/${name}`;
    }
    const available = this.ctx.store
      .list(HUB, MC)
      .filter(
        m =>
          !m.metadata.labels?.['local-cluster'] &&
          m.status?.conditions?.some(
            (c: any) =>
              c.type === 'ManagedClusterConditionAvailable' &&
              c.status === 'True',
          ),
      );
    if (!available.length) return undefined;
    const mc = available[prng.int(available.length)];
    const name = mc.metadata.name!;
    if (kind === 'lease') {
      setClusterAvailable(this.ctx, name, false);
      this.pending.push({
        dueTick: this.tickNo + 3,
        label: `lease regained ${name}`,
        run: () => setClusterAvailable(this.ctx, name, true),
      });
      return `lease lost ${name}`;
    }
    const v = offerUpgrade(this.ctx, name, this.prng);
    return v ? `upgrade ${v} available for ${name}` : undefined;
  }
}
