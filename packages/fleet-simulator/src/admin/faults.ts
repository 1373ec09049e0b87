import { Prng } from '../util/prng';

export type FaultFamily = 'k8s' | 'cluster-proxy' | 'search' | 'argocd' | 'all';

/** families whose faults can target one instance: an Argo CD instance, a proxied cluster */
const BY_INSTANCE: ReadonlySet<string> = new Set(['argocd', 'cluster-proxy']);

export interface Fault {
  family: FaultFamily;
  status?: number;
  rate: number;
  latencyMs?: number;
  dropConnections?: boolean;
  instance?: string;
}

export type FaultDecision = {
  latencyMs: number;
  status?: number;
  drop?: boolean;
};

/**
 * Fault injection per route family (and per Argo CD instance). Faults are drawn from a
 * seeded PRNG so a given seed and request sequence fails the same way every time.
 */
export class Faults {
  private faults: Fault[] = [];
  private prng: Prng;

  constructor(seed: number | string) {
    this.prng = new Prng(`${seed}:faults`);
  }

  static parse(body: any): Fault {
    if (!body || typeof body !== 'object')
      throw new Error('body must be a JSON object');
    const family = body.family;
    if (!['k8s', 'cluster-proxy', 'search', 'argocd', 'all'].includes(family))
      throw new Error(
        'family must be one of k8s, cluster-proxy, search, argocd, all',
      );
    const rate = body.rate === undefined ? 1 : Number(body.rate);
    if (!(rate >= 0 && rate <= 1))
      throw new Error('rate must be a number from 0 to 1');
    if (
      body.status !== undefined &&
      !(
        Number.isInteger(body.status) &&
        body.status >= 400 &&
        body.status <= 599
      )
    ) {
      throw new Error('status must be an HTTP error status (400-599)');
    }
    if (body.latencyMs !== undefined && !(Number(body.latencyMs) >= 0))
      throw new Error('latencyMs must be >= 0');
    if (
      body.status === undefined &&
      body.latencyMs === undefined &&
      !body.dropConnections
    ) {
      throw new Error('a fault needs status, latencyMs or dropConnections');
    }
    return {
      family,
      rate,
      status: body.status,
      latencyMs:
        body.latencyMs === undefined ? undefined : Number(body.latencyMs),
      dropConnections: !!body.dropConnections,
      instance: typeof body.instance === 'string' ? body.instance : undefined,
    };
  }

  add(f: Fault) {
    this.faults.push(f);
  }

  clear() {
    this.faults = [];
  }

  list(): Fault[] {
    return [...this.faults];
  }

  decide(
    family: Exclude<FaultFamily, 'all'>,
    instance?: string,
  ): FaultDecision | undefined {
    if (this.faults.length === 0) return undefined;
    let latencyMs = 0;
    let status: number | undefined;
    let drop = false;
    for (const f of this.faults) {
      if (f.family !== 'all' && f.family !== family) continue;
      if (f.instance && BY_INSTANCE.has(family) && f.instance !== instance)
        continue;
      if (f.instance && !BY_INSTANCE.has(family) && f.family !== 'all')
        continue;
      // one draw per fault: with probability `rate` it applies in full (latency and error)
      if (f.rate < 1 && this.prng.next() >= f.rate) continue;
      latencyMs += f.latencyMs ?? 0;
      if (f.dropConnections) drop = true;
      else if (status === undefined) status = f.status;
    }
    if (!latencyMs && status === undefined && !drop) return undefined;
    return { latencyMs, status, drop };
  }
}
