import { HUB, SimContext } from '../context';
import { RESOURCE_TYPES, typeKey, TYPE } from '../k8s/registry';
import { KObject } from '../store/types';
import { encodeCluster, encodeObject, Item } from './encode';
import { compareStrings } from '../util/compare';

/**
 * The search index over every simulated cluster, queried with ACM Search v2 semantics
 * (upstream-apis.md §C): values within a filter are ORed, filters and keywords are ANDed,
 * `!`/`!=`/`>`/`<` prefixes, `*` wildcards (case-sensitive), `kind` case-insensitive.
 */

export interface SearchFilter {
  property: string;
  values: (string | null)[];
}

export interface SearchInput {
  keywords?: (string | null)[] | null;
  filters?: (SearchFilter | null)[] | null;
  limit?: number | null;
  offset?: number | null;
  orderBy?: string | null;
  relatedKinds?: (string | null)[] | null;
}

export const DEFAULT_LIMIT = 1000;

const SEARCHABLE = RESOURCE_TYPES.filter(rt => !rt.noSearch);
const MC = typeKey(TYPE.managedCluster);
const MCI = typeKey(TYPE.managedClusterInfo);

// encoded items are cached per stored object: objects are immutable, so a write simply misses
const itemCache = new WeakMap<KObject, Item>();
const clusterCache = new WeakMap<
  KObject,
  { info: KObject | undefined; item: Item }
>();

const DATE_PROPS = new Set([
  'created',
  'startedAt',
  'lastSyncTime',
  'lastSchedule',
]);
const PERIOD_MS: Record<string, number> = {
  hour: 3600e3,
  day: 86400e3,
  week: 7 * 86400e3,
  month: 30 * 86400e3,
  year: 365 * 86400e3,
};

type Matcher = { negate: boolean; test: (v: string | undefined) => boolean };

function wildcard(pattern: string): RegExp {
  return new RegExp(
    `^${pattern
      .split('*')
      .map(s => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function compileValue(property: string, raw: string): Matcher {
  let op = '=';
  let v = raw;
  for (const p of ['!=', '>=', '<=', '!', '>', '<', '=']) {
    if (v.startsWith(p)) {
      op = p === '!' ? '!=' : p;
      v = v.slice(p.length);
      break;
    }
  }
  const negate = op === '!=';
  const caseInsensitive = property === 'kind';
  if (DATE_PROPS.has(property) && PERIOD_MS[v] !== undefined) {
    // "created=day": newer than a day; "!" or "<" inverts it
    const since = Date.now() - PERIOD_MS[v];
    const newer = (x?: string) => x !== undefined && Date.parse(x) >= since;
    return op === '<' || op === '<='
      ? { negate: false, test: x => x !== undefined && !newer(x) }
      : { negate, test: newer };
  }
  if (property === 'label') {
    const re = v.includes('*') ? wildcard(v) : undefined;
    return {
      negate,
      test: x =>
        x !== undefined &&
        x.split('; ').some(kv => (re ? re.test(kv) : kv === v)),
    };
  }
  if (op === '>' || op === '<' || op === '>=' || op === '<=') {
    const n = Number(v);
    const cmp = (x: string) => {
      const a = Number(x);
      return Number.isNaN(a) || Number.isNaN(n) ? compareStrings(x, v) : a - n;
    };
    const ok = {
      '>': (c: number) => c > 0,
      '<': (c: number) => c < 0,
      '>=': (c: number) => c >= 0,
      '<=': (c: number) => c <= 0,
    }[op];
    return { negate: false, test: x => x !== undefined && ok(cmp(x)) };
  }
  if (v.includes('*')) {
    const re = wildcard(v);
    return { negate, test: x => x !== undefined && re.test(x) };
  }
  if (caseInsensitive) {
    const lv = v.toLowerCase();
    return { negate, test: x => x !== undefined && x.toLowerCase() === lv };
  }
  return { negate, test: x => x !== undefined && x === v };
}

interface CompiledFilter {
  property: string;
  positives: Matcher[];
  negatives: Matcher[];
}

function compileFilters(
  filters: (SearchFilter | null)[] | null | undefined,
): CompiledFilter[] {
  const out: CompiledFilter[] = [];
  for (const f of filters ?? []) {
    if (!f || !f.property) continue;
    const ms = (f.values ?? [])
      .filter((v): v is string => typeof v === 'string')
      .map(v => compileValue(f.property, v));
    if (!ms.length) continue;
    out.push({
      property: f.property,
      positives: ms.filter(m => !m.negate),
      negatives: ms.filter(m => m.negate),
    });
  }
  return out;
}

function matchItem(
  item: Item,
  filters: CompiledFilter[],
  keywords: string[],
): boolean {
  for (const f of filters) {
    const v = item[f.property];
    if (v === undefined) return false;
    if (f.positives.length && !f.positives.some(m => m.test(v))) return false;
    if (f.negatives.some(m => m.test(v))) return false;
  }
  if (keywords.length) {
    const values = Object.values(item).map(x => x.toLowerCase());
    for (const k of keywords)
      if (!values.some(x => x.includes(k))) return false;
  }
  return true;
}

/** Narrow the scan by `kind`/`cluster` equality filters before matching item by item. */
function candidates(
  ctx: SimContext,
  filters: CompiledFilter[],
): Iterable<Item> {
  const kindFilter = filters.find(
    f => f.property === 'kind' && f.negatives.length === 0,
  );
  const kindOk = (kind: string) =>
    !kindFilter || kindFilter.positives.some(m => m.test(kind));
  const clusterFilter = filters.find(
    f => f.property === 'cluster' && f.negatives.length === 0,
  );
  const clusterOk = (c: string) =>
    !clusterFilter || clusterFilter.positives.some(m => m.test(c));
  const store = ctx.store;
  return {
    *[Symbol.iterator]() {
      if (kindOk('Cluster')) {
        for (const mc of store.list(HUB, MC)) {
          if (!clusterOk(mc.metadata.name!)) continue;
          // the cluster node depends on both objects: the cache entry remembers which info it saw
          const info = store.get(HUB, MCI, mc.metadata.name, mc.metadata.name!);
          let c = clusterCache.get(mc);
          if (!c || c.info !== info) {
            c = { info, item: encodeCluster(mc, info) };
            clusterCache.set(mc, c);
          }
          yield c.item;
        }
      }
      for (const [cluster, buckets] of store.clusters) {
        if (!clusterOk(cluster)) continue;
        for (const rt of SEARCHABLE) {
          if (!kindOk(rt.kind)) continue;
          const b = buckets.get(typeKey(rt));
          if (!b) continue;
          for (const o of b.objects.values()) {
            let it = itemCache.get(o);
            if (!it) {
              it = encodeObject(o, cluster, rt.plural);
              itemCache.set(o, it);
            }
            yield it;
          }
        }
      }
    },
  };
}

/**
 * The last ordered result per simulator, by store revision and query. A client paging with
 * limit + offset + orderBy sends the same query once a page; the real Search sorts the whole
 * set each time in its database on the hub, but this stand-in shares the cores of the
 * backend it serves in tests and benchmarks, so it sorts once per revision.
 */
const ordered = new WeakMap<SimContext, { key: string; items: Item[] }>();

export function runSearch(ctx: SimContext, input: SearchInput): Item[] {
  const key = input.orderBy
    ? `${ctx.store.resourceVersion}|${JSON.stringify([
        input.filters,
        input.keywords,
        input.orderBy,
      ])}`
    : undefined;
  const last = key ? ordered.get(ctx) : undefined;
  if (last && last.key === key) return last.items;
  const items = search(ctx, input);
  if (key) ordered.set(ctx, { key, items });
  return items;
}

function search(ctx: SimContext, input: SearchInput): Item[] {
  const filters = compileFilters(input.filters);
  const keywords = (input.keywords ?? [])
    .filter((k): k is string => !!k)
    .map(k => k.toLowerCase());
  const out: Item[] = [];
  for (const it of candidates(ctx, filters))
    if (matchItem(it, filters, keywords)) out.push(it);
  if (input.orderBy) {
    const [prop, dir] = input.orderBy.trim().split(/\s+/);
    const sign = dir?.toLowerCase() === 'desc' ? -1 : 1;
    out.sort((a, b) => sign * compareStrings(a[prop] ?? '', b[prop] ?? ''));
  }
  return out;
}

export function applyLimit(items: Item[], input: SearchInput): Item[] {
  const offset = Math.max(0, input.offset ?? 0);
  const limit =
    input.limit === undefined || input.limit === null
      ? DEFAULT_LIMIT
      : input.limit;
  if (limit < 0) return offset ? items.slice(offset) : items;
  return items.slice(offset, offset + limit);
}

/** Related resources (cheap joins only): Applications <-> their Cluster. */
export function related(
  ctx: SimContext,
  items: Item[],
  relatedKinds: string[] | undefined,
) {
  const want = (k: string) =>
    !relatedKinds?.length ||
    relatedKinds.some(r => r.toLowerCase() === k.toLowerCase());
  const groups = new Map<string, Item[]>();
  const add = (kind: string, list: Item[]) => {
    if (!list.length || !want(kind)) return;
    const seen = new Set((groups.get(kind) ?? []).map(i => i._uid));
    groups.set(kind, [
      ...(groups.get(kind) ?? []),
      ...list.filter(i => !seen.has(i._uid)),
    ]);
  };
  const appClusters = new Set(
    items.filter(i => i.kind === 'Application').map(i => i.cluster),
  );
  if (appClusters.size) {
    add(
      'Cluster',
      runSearch(ctx, {
        filters: [
          { property: 'kind', values: ['Cluster'] },
          { property: 'name', values: [...appClusters] },
        ],
      }),
    );
  }
  const clusters = items.filter(i => i.kind === 'Cluster').map(i => i.name);
  if (clusters.length) {
    add(
      'Application',
      runSearch(ctx, {
        filters: [
          { property: 'kind', values: ['Application'] },
          { property: 'cluster', values: clusters },
        ],
      }),
    );
  }
  return [...groups.entries()].map(([kind, list]) => ({
    kind,
    count: list.length,
    items: list,
  }));
}
