/**
 * Request counters by route family, for benchmarks that compare how much upstream traffic
 * a plugin causes. The flat keys are the contract; `detail` breaks them down by resource.
 */
export const FAMILIES = [
  'k8s.list',
  'k8s.watch',
  'k8s.get',
  'k8s.write',
  'k8s.discovery',
  'proxy.list',
  'proxy.get',
  'proxy.discovery',
  'search',
  'argocd.session',
  'argocd.list',
  'argocd.get',
  'argocd.sync',
  'argocd.stream',
  'argocd.other',
  'admin',
  'errors.injected',
  'errors.auth',
] as const;

export type Family = (typeof FAMILIES)[number];

export class Counters {
  private counts = new Map<string, number>();
  private detail = new Map<string, number>();

  inc(family: Family, detail?: string) {
    this.counts.set(family, (this.counts.get(family) ?? 0) + 1);
    if (detail) {
      const k = `${family} ${detail}`;
      this.detail.set(k, (this.detail.get(k) ?? 0) + 1);
    }
  }

  snapshot(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const f of FAMILIES) out[f] = this.counts.get(f) ?? 0;
    let total = 0;
    for (const [k, v] of this.counts) if (k !== 'admin') total += v;
    out.total =
      total -
      (this.counts.get('errors.injected') ?? 0) -
      (this.counts.get('errors.auth') ?? 0);
    out.detail = Object.fromEntries([...this.detail.entries()].sort());
    return out;
  }

  reset() {
    this.counts.clear();
    this.detail.clear();
  }
}
