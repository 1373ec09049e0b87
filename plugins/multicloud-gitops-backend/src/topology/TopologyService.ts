/*
 * The topology of each hub, derived from its store: memoised per store version, narrowed
 * to a scope, and the details of one cluster. It reads the stores and never an upstream.
 */
import { NotFoundError } from '@backstage/errors';
import {
  ApplicationDetails,
  ClusterDetails,
  HubsResponse,
  PolicyStatus,
  rollupApplications,
  rollupClusters,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { HubStore, StoreVersion } from '../store/HubStore';
import {
  buildTopology,
  createSummaryCache,
  FullTopology,
  SummaryCache,
} from './buildTopology';
import { consoleLinks } from './consoleLinks';
import { HubPatterns } from './resolveHub';
import { narrow, Scope } from './scope';
import {
  groupSummaries,
  toApplicationSummary,
  toClusterSummary,
} from './summaries';

/** A scope's answer with its applications still in full, for the caller to write. */
export type ScopedTopology = Omit<TopologyResponse, 'applications'> & {
  applications: ApplicationDetails[];
};

/** A configured hub and its store. */
export interface HubOfStore {
  settings: HubSettings;
  store: HubStore;
}

interface Hub extends HubOfStore {
  memo?: FullTopology;
  /** Application summaries kept between rebuilds (see buildTopology). */
  summaries: SummaryCache;
}

const COMPLIANCE = new Set<string>(['Compliant', 'NonCompliant', 'Pending']);
const complianceOf = (value: string): PolicyStatus['compliance'] =>
  COMPLIANCE.has(value) ? (value as PolicyStatus['compliance']) : 'Unknown';

interface ByCluster {
  applications: Map<string, ApplicationDetails[]>;
  policies: Map<string, PolicyStatus[]>;
}
const byClusterCache = new WeakMap<FullTopology, ByCluster>();

export class TopologyService implements HubPatterns {
  readonly #hubs = new Map<string, Hub>();

  constructor(hubs: HubOfStore[]) {
    for (const h of hubs)
      this.#hubs.set(h.settings.name, {
        ...h,
        summaries: createSummaryCache(),
      });
  }

  hubIds(): string[] {
    return [...this.#hubs.keys()];
  }

  /** Hears every store's announced changes. */
  onChange(
    listener: (hub: string, version: number, storeId: string) => void,
  ): () => void {
    const offs = [...this.#hubs.values()].map(h =>
      h.store.onChange(v => listener(h.settings.name, v, h.store.id)),
    );
    return () => offs.forEach(off => off());
  }

  #hub(hub: string): Hub {
    const h = this.#hubs.get(hub);
    if (!h) {
      throw new NotFoundError(
        `Unknown hub "${hub}"; configured hubs: ${
          this.hubIds().join(', ') || '(none)'
        }`,
      );
    }
    return h;
  }

  /** Which store a hub's answers come from, and at which version. */
  store(hub: string): StoreVersion {
    return this.#hub(hub).store;
  }

  /** The hub's whole topology, rebuilt only when its store changed. */
  full(hub: string): FullTopology {
    const h = this.#hub(hub);
    if (!h.memo || h.memo.version !== h.store.version)
      h.memo = buildTopology(h.store, h.settings, h.summaries);
    return h.memo;
  }

  patternOf(hub: string): string | undefined {
    return this.full(hub).hub.pattern;
  }

  hubs(): HubsResponse {
    return {
      hubs: this.hubIds().map(id => {
        const t = this.full(id);
        return {
          ...t.hub,
          sources: t.sources,
          clusterCount: t.clusters.length,
          applicationCount: t.applications.length,
        };
      }),
    };
  }

  /** A scope's answer, its applications in full (see {@link scoped}). */
  scope(hub: string, scope: Scope): ScopedTopology {
    const t = this.full(hub);
    const { clusters, apps } = narrow(t, scope);
    return {
      hub: t.hub,
      pattern: t.pattern ?? '',
      scope: {
        group: scope.group,
        applications: scope.applications,
        selector: scope.selector?.text,
        entityRef: scope.entityRef,
      },
      groups: groupSummaries(clusters, apps),
      clusters: clusters.map(toClusterSummary),
      applications: apps,
      sources: t.sources,
      storeId: this.#hub(hub).store.id,
      version: t.version,
      generatedAt: t.generatedAt,
      clusterRollup: rollupClusters(clusters),
      applicationRollup: rollupApplications(apps),
    };
  }

  /** A scope's answer, as the API sends it. */
  scoped(hub: string, scope: Scope): TopologyResponse {
    const answer = this.scope(hub, scope);
    return {
      ...answer,
      applications: answer.applications.map(toApplicationSummary),
    };
  }

  /**
   * Applications and policies by cluster, once per topology version: a cluster's details
   * then cost a lookup, not a pass over every application and policy of the hub.
   */
  #byCluster(h: Hub, t: FullTopology): ByCluster {
    let index = byClusterCache.get(t);
    if (!index) {
      const applications = new Map<string, ApplicationDetails[]>();
      for (const a of t.applications) {
        const list = applications.get(a.cluster);
        if (list) list.push(a);
        else applications.set(a.cluster, [a]);
      }
      const policies = new Map<string, PolicyStatus[]>();
      for (const p of h.store.policies.values()) {
        for (const [cluster, compliance] of Object.entries(p.clusters)) {
          if (compliance === undefined) continue;
          const status: PolicyStatus = {
            name: p.name,
            namespace: p.namespace,
            compliance: complianceOf(compliance),
            remediationAction: p.remediationAction,
            severity: p.severity,
          };
          const list = policies.get(cluster);
          if (list) list.push(status);
          else policies.set(cluster, [status]);
        }
      }
      index = { applications, policies };
      byClusterCache.set(t, index);
    }
    return index;
  }

  clusterDetails(hub: string, cluster: string): ClusterDetails {
    const h = this.#hub(hub);
    const t = this.full(hub);
    const summary = t.clusterByName.get(cluster);
    const record = h.store.clusters.get(cluster);
    if (!summary || !record) {
      throw new NotFoundError(
        `Hub "${hub}" has no managed cluster "${cluster}"`,
      );
    }
    const info = h.store.clusterInfos.get(cluster);
    const byCluster = this.#byCluster(h, t);
    const policies = (byCluster.policies.get(cluster) ?? [])
      .slice()
      .sort(
        (a, b) =>
          a.compliance.localeCompare(b.compliance) ||
          a.name.localeCompare(b.name),
      );
    return {
      hub: t.hub,
      cluster: summary,
      conditions: record.conditions,
      taints: record.taints,
      claims: record.claims,
      nodes: info?.nodes ?? [],
      availableUpgrades: info?.availableUpgrades ?? [],
      policies,
      applications: byCluster.applications.get(cluster) ?? [],
      links: consoleLinks(t.hub, summary, h.settings.argocd),
      sources: t.sources,
      // the cluster's klusterlet carries out the hub's actions while the cluster is available
      hubActions: summary.status === 'available',
    };
  }
}
