/*
 * Which revision of an application runs on how many clusters, and which clusters lag
 * behind, from the fleet store alone. The store keeps each application's deployed revision
 * (its latest sync history entry's commit) but not when a commit was made; what tells a newer
 * revision from an older one is the order in which this backend first saw each on the
 * application: a revision that appears while others run is the one they lag behind.
 */
import type {
  ApplicationSummary,
  RevisionSpread,
  RevisionSpreadEntry,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/** When each revision of an application was first seen, bounded. */
export class RevisionFirstSeen {
  readonly #seen = new Map<string, number>();
  #tick = 0;

  constructor(private readonly maxEntries = 50_000) {}

  get size(): number {
    return this.#seen.size;
  }

  /**
   * The order in which `revisions` of `key` were first seen; revisions first seen in the
   * same call share one number (they came together, so none is newer).
   */
  order(key: string, revisions: string[]): Map<string, number> {
    const tick = ++this.#tick;
    const out = new Map<string, number>();
    for (const r of revisions) {
      const k = `${key}\0${r}`;
      let at = this.#seen.get(k);
      if (at === undefined) {
        if (this.#seen.size >= this.maxEntries) {
          // forget the oldest half: they are the revisions least likely still running
          const drop = [...this.#seen.keys()].slice(0, this.maxEntries / 2);
          for (const d of drop) this.#seen.delete(d);
        }
        at = tick;
        this.#seen.set(k, at);
      }
      out.set(r, at);
    }
    return out;
  }
}

/** The spread of `application` over the given applications of one hub. */
export function revisionSpread(
  hub: string,
  application: string,
  apps: Pick<ApplicationSummary, 'name' | 'cluster' | 'revision'>[],
  seen: RevisionFirstSeen,
): RevisionSpread {
  const byRevision = new Map<string, Set<string>>();
  const unknown = new Set<string>();
  const clusters = new Set<string>();
  for (const a of apps) {
    if (a.name !== application) continue;
    clusters.add(a.cluster);
    if (!a.revision) {
      unknown.add(a.cluster);
      continue;
    }
    const set = byRevision.get(a.revision) ?? new Set<string>();
    set.add(a.cluster);
    byRevision.set(a.revision, set);
  }
  const order = seen.order(`${hub}/${application}`, [...byRevision.keys()]);
  const entries: RevisionSpreadEntry[] = [...byRevision].map(([r, c]) => ({
    revision: r,
    clusters: [...c].sort(),
  }));
  const rank = (e: RevisionSpreadEntry) =>
    [order.get(e.revision) ?? 0, e.clusters.length] as const;
  entries.sort((x, y) => {
    const [sx, nx] = rank(x);
    const [sy, ny] = rank(y);
    return sy - sx || ny - nx || x.revision.localeCompare(y.revision);
  });
  let leading: string | undefined;
  if (entries.length === 1) leading = entries[0].revision;
  else if (entries.length > 1) {
    const [s0, n0] = rank(entries[0]);
    const [s1, n1] = rank(entries[1]);
    // a tie in both first sight and clusters: nothing says which one is behind
    if (s0 !== s1 || n0 !== n1) leading = entries[0].revision;
  }
  const lagging = leading
    ? entries
        .filter(e => e.revision !== leading)
        .flatMap(e => e.clusters)
        .sort()
    : [];
  return {
    hub,
    application,
    total: clusters.size,
    revisions: entries,
    ...(leading ? { leading } : {}),
    lagging,
    unknown: [...unknown].sort(),
  };
}
