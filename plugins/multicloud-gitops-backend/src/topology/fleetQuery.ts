/*
 * Fleet-wide answers that do not grow with the fleet (`GET /fleet`). Across the hubs of a
 * view, the filters are applied on the server, once per combination of filters, scope and
 * store versions; the result is kept, so turning pages and moving the matrix window are
 * slices of it. An answer carries the hubs' group summaries, the totals of what matched,
 * one page of clusters and, for the matrix, the applications of a window of names on that
 * page's clusters: never the whole fleet.
 */
import {
  ApplicationDetails,
  ApplicationRollup,
  ClusterRollup,
  CLUSTER_STATUSES,
  ClusterStatus,
  clusterStatusSeverity,
  ClusterWithLabels,
  FleetApplication,
  FleetCluster,
  FleetHubSummary,
  FleetResponse,
  FleetSort,
  HEALTH_STATUSES,
  HealthStatus,
  healthSeverity,
  rollupApplications,
  rollupClusters,
  SYNC_STATUSES,
  SyncStatus,
  UNGROUPED,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FullTopology } from './buildTopology';
import { narrow, Scope, scopeKey } from './scope';
import {
  groupSummaries,
  toApplicationSummary,
  toClusterSummary,
} from './summaries';

/** What the user narrowed the fleet to; empty lists mean "no restriction". */
export interface FleetFilter {
  hubs: string[];
  groups: string[];
  statuses: ClusterStatus[];
  syncs: SyncStatus[];
  healths: HealthStatus[];
  text: string;
}

export const NO_FILTER: FleetFilter = {
  hubs: [],
  groups: [],
  statuses: [],
  syncs: [],
  healths: [],
  text: '',
};

/** Which slice of the matched fleet an answer carries. */
export interface FleetPage {
  sort: FleetSort;
  offset: number;
  limit: number;
  /** First application name of the matrix window, and how many; 0 sends no applications. */
  appOffset: number;
  appLimit: number;
}

/** The hubs a view covers (in configuration order) and what it narrows them to. */
export interface FleetScope {
  hubs: string[];
  scope: Scope;
}

/** What the query reads of the topology service. */
export interface FleetTopologies {
  full(hub: string): FullTopology;
  store(hub: string): { id: string; publishedVersion: number };
}

interface MatchedCluster {
  hub: string;
  /** The hub's position in the view, for ordering. */
  hubIndex: number;
  /** The cluster's position in its hub's topology order. */
  order: number;
  cluster: ClusterWithLabels;
  apps: ApplicationDetails[];
  rollup: ApplicationRollup;
}

interface Match {
  rows: MatchedCluster[];
  names: string[];
  matched: FleetResponse['matched'];
}

/** A hub narrowed to a scope, indexed once per store version. */
interface ScopedHub {
  version: number;
  /** Clusters in topology order: the hub's own cluster, the groups, then by name. */
  clusters: ClusterWithLabels[];
  appsByCluster: Map<string, ApplicationDetails[]>;
  /**
   * Positions in `clusters` by group, ascending: a group filter visits its own clusters
   * only, not the hub's thousands.
   */
  byGroup: Map<string, number[]>;
  /**
   * Each cluster's roll-up of all its applications, by position, made on first use: shared
   * by every filter that keeps a cluster's applications whole (group, status, text).
   */
  rollups: (ApplicationRollup | undefined)[];
  summary: Omit<FleetHubSummary, 'sources' | 'generatedAt' | 'storeId'>;
}

const byCodePoint = (a: string, b: string) => {
  if (a === b) return 0;
  return a < b ? -1 : 1;
};

function groupRank(c: ClusterWithLabels, hubGroups: Set<string>) {
  if (c.isHub) return 0;
  if (hubGroups.has(c.group)) return 1;
  return c.group === UNGROUPED ? 3 : 2;
}

function indexHub(t: FullTopology, scope: Scope): ScopedHub {
  const { clusters, apps } = narrow(t, scope);
  const hubGroups = new Set(clusters.filter(c => c.isHub).map(c => c.group));
  const ordered = clusters
    .slice()
    .sort(
      (a, b) =>
        groupRank(a, hubGroups) - groupRank(b, hubGroups) ||
        byCodePoint(a.group, b.group) ||
        byCodePoint(a.name, b.name),
    );
  const appsByCluster = new Map<string, ApplicationDetails[]>();
  for (const c of ordered) appsByCluster.set(c.name, []);
  for (const a of apps) appsByCluster.get(a.cluster)?.push(a);
  const byGroup = new Map<string, number[]>();
  ordered.forEach((c, i) => {
    const positions = byGroup.get(c.group);
    if (positions) positions.push(i);
    else byGroup.set(c.group, [i]);
  });
  return {
    version: t.version,
    clusters: ordered,
    appsByCluster,
    byGroup,
    rollups: new Array(ordered.length),
    summary: {
      hub: t.hub,
      pattern: t.pattern ?? '',
      version: t.version,
      groups: groupSummaries(clusters, apps).map(g => ({
        name: g.name,
        clusterRollup: g.clusterRollup,
        applicationRollup: g.applicationRollup,
      })),
      clusterRollup: rollupClusters(clusters),
      applicationRollup: rollupApplications(apps),
    },
  };
}

/**
 * A cluster matches the search text by name, or by where and what it runs ("azure",
 * "eu-central", "4.16"), as in the views that filter in the browser.
 */
function clusterMatchesText(c: ClusterWithLabels, text: string): boolean {
  return [c.name, c.cloud, c.region, c.openshiftVersion].some(
    v => v !== undefined && v.toLowerCase().includes(text),
  );
}

/**
 * The semantics of the browser's filters: group and status narrow clusters; sync and
 * health narrow applications, and when either is set only clusters with a matching
 * application remain; the text matches a cluster (keeping all its applications) or an
 * application name (keeping those applications and the clusters they run on).
 */
function filterHub(
  hub: string,
  hubIndex: number,
  indexed: ScopedHub,
  f: FleetFilter,
  names: Set<string>,
  rows: MatchedCluster[],
) {
  const groups = new Set(f.groups);
  const statuses = new Set(f.statuses);
  const syncs = new Set(f.syncs);
  const healths = new Set(f.healths);
  const text = f.text.trim().toLowerCase();
  const appFilter = syncs.size > 0 || healths.size > 0;
  const visit = (order: number) => {
    const c = indexed.clusters[order];
    if (statuses.size && !statuses.has(c.status)) return;
    const clusterText = !text || clusterMatchesText(c, text);
    const all = indexed.appsByCluster.get(c.name) ?? [];
    const apps =
      appFilter || !clusterText
        ? all.filter(
            a =>
              (!syncs.size || syncs.has(a.sync)) &&
              (!healths.size || healths.has(a.health)) &&
              (clusterText || a.name.toLowerCase().includes(text)),
          )
        : all;
    if (appFilter && !apps.length) return;
    if (!clusterText && !apps.length) return;
    for (const a of apps) names.add(a.name);
    let rollup: ApplicationRollup;
    if (apps === all) {
      rollup = indexed.rollups[order] ?? rollupApplications(all);
      indexed.rollups[order] = rollup;
    } else {
      rollup = rollupApplications(apps);
    }
    rows.push({ hub, hubIndex, order, cluster: c, apps, rollup });
  };
  if (!groups.size) {
    for (let order = 0; order < indexed.clusters.length; order++) visit(order);
    return;
  }
  // The selected groups' clusters, in topology order.
  const positions = ([] as number[]).concat(
    ...[...groups].map(g => indexed.byGroup.get(g) ?? []),
  );
  if (groups.size > 1) positions.sort((a, b) => a - b);
  positions.forEach(visit);
}

const topologyOrder = (a: MatchedCluster, b: MatchedCluster) =>
  a.hubIndex - b.hubIndex || a.order - b.order;

const SORTS: Record<
  FleetSort,
  (a: MatchedCluster, b: MatchedCluster) => number
> = {
  topology: topologyOrder,
  name: (a, b) =>
    byCodePoint(a.cluster.name, b.cluster.name) || a.hubIndex - b.hubIndex,
  status: (a, b) =>
    clusterStatusSeverity(a.cluster.status) -
      clusterStatusSeverity(b.cluster.status) ||
    b.rollup.problems - a.rollup.problems ||
    topologyOrder(a, b),
  problems: (a, b) =>
    b.rollup.problems - a.rollup.problems ||
    clusterStatusSeverity(a.cluster.status) -
      clusterStatusSeverity(b.cluster.status) ||
    topologyOrder(a, b),
};

/** The same filter as a string: the part of a cache key that names it. */
export function filterKey(f: FleetFilter): string {
  const sorted = (xs: string[]) => [...new Set(xs)].sort();
  return JSON.stringify([
    sorted(f.hubs),
    sorted(f.groups),
    sorted(f.statuses),
    sorted(f.syncs),
    sorted(f.healths),
    f.text.trim().toLowerCase(),
  ]);
}

/**
 * The filter and page part of a key, kept by the page object: a caller that keeps its
 * parsed requests (the router does, by query text) has it computed once.
 */
const requestKeys = new WeakMap<
  FleetPage,
  { filter: FleetFilter; key: string }
>();
function requestKey(filter: FleetFilter, page: FleetPage): string {
  const known = requestKeys.get(page);
  if (known?.filter === filter) return known.key;
  const key = JSON.stringify([
    filterKey(filter),
    page.sort,
    page.offset,
    page.limit,
    page.appOffset,
    page.appLimit,
  ]);
  requestKeys.set(page, { filter, key });
  return key;
}

/** One hub's part of a match: its matching clusters and what they sum to. */
interface HubPart {
  rows: MatchedCluster[];
  names: Set<string>;
  clusterRollup: ClusterRollup;
  applicationRollup: ApplicationRollup;
}

/** The roll-up of several roll-ups, without visiting their applications again. */
function sumApplicationRollups(list: ApplicationRollup[]): ApplicationRollup {
  const sum = rollupApplications([]);
  let worst = healthSeverity(sum.worstHealth);
  for (const r of list) {
    sum.total += r.total;
    sum.problems += r.problems;
    for (const k of SYNC_STATUSES) sum.sync[k] += r.sync[k];
    for (const k of HEALTH_STATUSES) sum.health[k] += r.health[k];
    if (r.total && healthSeverity(r.worstHealth) < worst) {
      worst = healthSeverity(r.worstHealth);
      sum.worstHealth = r.worstHealth;
    }
  }
  return sum;
}

function sumClusterRollups(list: ClusterRollup[]): ClusterRollup {
  const sum = rollupClusters([]);
  for (const r of list) {
    sum.total += r.total;
    for (const k of CLUSTER_STATUSES) sum.status[k] += r.status[k];
    sum.policies.compliant += r.policies.compliant;
    sum.policies.nonCompliant += r.policies.nonCompliant;
    sum.policies.pending += r.policies.pending;
  }
  return sum;
}

/** Keeps the most recently used entries, up to a bound. */
class Lru<V> {
  readonly #max: number;
  readonly #map = new Map<string, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(key: string): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  clear() {
    this.#map.clear();
  }
  deleteWhere(test: (key: string) => boolean) {
    for (const key of [...this.#map.keys()])
      if (test(key)) this.#map.delete(key);
  }
  set(key: string, v: V): V {
    this.#map.delete(key);
    if (this.#map.size >= this.#max)
      this.#map.delete(this.#map.keys().next().value as string);
    this.#map.set(key, v);
    return v;
  }
}

/** Answers `GET /fleet` from the hubs' topologies, keeping what it derived. */
export class FleetQuery {
  readonly #topologies: FleetTopologies;
  /** Scoped indexes by hub and scope; a new store version replaces them. */
  readonly #indexes = new Lru<{ t: FullTopology; indexed: ScopedHub }>(24);
  /** Matches by versions, scope, filter and sort. */
  readonly #matches = new Lru<Match>(16);
  /**
   * Each hub's part of a match by scope and filter. A change on one hub recomputes that
   * hub's part only: the others' parts are reused.
   */
  readonly #parts = new Lru<{ indexed: ScopedHub; part: HubPart }>(48);
  /** The topology each hub was last seen at: a newer one makes every match stale. */
  readonly #seen = new Map<string, FullTopology>();

  constructor(topologies: FleetTopologies) {
    this.#topologies = topologies;
  }

  /** Identifies the answer of these arguments: versions of every hub, scope, filter, page. */
  key(view: FleetScope, filter: FleetFilter, page: FleetPage): string {
    const versions = view.hubs.map(h => {
      const s = this.#topologies.store(h);
      return `${h}@${s.id}:${s.publishedVersion}`;
    });
    return JSON.stringify([
      versions,
      scopeKey(view.scope),
      requestKey(filter, page),
    ]);
  }

  #indexed(hub: string, scope: Scope, key: string): ScopedHub {
    const t = this.#topologies.full(hub);
    if (this.#seen.get(hub) !== t) {
      // Old matches would keep the old topology's objects alive until they aged out.
      this.#seen.set(hub, t);
      this.#matches.clear();
      this.#parts.deleteWhere(k => k.startsWith(`${hub}|`));
    }
    const entryKey = `${hub}|${key}`;
    const entry = this.#indexes.get(entryKey);
    if (entry?.t === t) return entry.indexed;
    return this.#indexes.set(entryKey, { t, indexed: indexHub(t, scope) })
      .indexed;
  }

  #match(view: FleetScope, filter: FleetFilter, sort: FleetSort): Match {
    const sKey = scopeKey(view.scope);
    const hubs = view.hubs.filter(
      h => !filter.hubs.length || filter.hubs.includes(h),
    );
    const indexed = hubs.map(h => this.#indexed(h, view.scope, sKey));
    const key = JSON.stringify([
      hubs.map((h, i) => `${h}@${indexed[i].version}`),
      sKey,
      filterKey(filter),
      sort,
    ]);
    const known = this.#matches.get(key);
    if (known) return known;
    const fKey = filterKey(filter);
    const parts = hubs.map((h, i) => {
      const hubIndex = view.hubs.indexOf(h);
      const partKey = `${h}|${hubIndex}|${sKey}|${fKey}`;
      const entry = this.#parts.get(partKey);
      if (entry?.indexed === indexed[i]) return entry.part;
      const rows: MatchedCluster[] = [];
      const names = new Set<string>();
      filterHub(h, hubIndex, indexed[i], filter, names, rows);
      const part: HubPart = {
        rows,
        names,
        clusterRollup: rollupClusters(rows.map(r => r.cluster)),
        applicationRollup: sumApplicationRollups(rows.map(r => r.rollup)),
      };
      this.#parts.set(partKey, { indexed: indexed[i], part });
      return part;
    });
    // Parts are shared between matches: the match sorts its own list.
    const rows = ([] as MatchedCluster[]).concat(...parts.map(p => p.rows));
    if (sort !== 'topology') rows.sort(SORTS[sort]);
    const names = new Set<string>();
    for (const p of parts) for (const n of p.names) names.add(n);
    return this.#matches.set(key, {
      rows,
      names: [...names].sort(byCodePoint),
      matched: {
        clusterRollup: sumClusterRollups(parts.map(p => p.clusterRollup)),
        applicationRollup: sumApplicationRollups(
          parts.map(p => p.applicationRollup),
        ),
      },
    });
  }

  answer(
    view: FleetScope,
    filter: FleetFilter,
    page: FleetPage,
  ): FleetResponse {
    const sKey = scopeKey(view.scope);
    const hubs: FleetHubSummary[] = view.hubs.map(h => {
      const t = this.#topologies.full(h);
      return {
        ...this.#indexed(h, view.scope, sKey).summary,
        sources: t.sources,
        storeId: this.#topologies.store(h).id,
        generatedAt: t.generatedAt,
      };
    });
    const match = this.#match(view, filter, page.sort);
    const rows = match.rows.slice(page.offset, page.offset + page.limit);
    const window = new Set(
      match.names.slice(page.appOffset, page.appOffset + page.appLimit),
    );
    const applications: FleetApplication[] = [];
    if (window.size) {
      for (const r of rows)
        for (const a of r.apps)
          if (window.has(a.name))
            applications.push({ hub: r.hub, ...toApplicationSummary(a) });
    }
    const { scope } = view;
    const narrowed =
      scope.group ||
      scope.applications ||
      scope.selector ||
      scope.project ||
      scope.instances;
    return {
      hubs,
      scope:
        narrowed || scope.entityRef
          ? {
              group: scope.group,
              applications: scope.applications,
              selector: scope.selector?.text,
              entityRef: scope.entityRef,
            }
          : undefined,
      sort: page.sort,
      matched: match.matched,
      clusters: {
        offset: page.offset,
        total: match.rows.length,
        items: rows.map(
          (r): FleetCluster => ({
            ...toClusterSummary(r.cluster),
            hub: r.hub,
            applicationRollup: r.rollup,
          }),
        ),
      },
      applicationNames: {
        offset: page.appOffset,
        total: match.names.length,
        items: [...window],
      },
      applications,
    };
  }
}
