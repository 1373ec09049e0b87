/*
 * The list shapes of a topology answer: clusters and applications without what only their
 * details carry, and each cluster group rolled up.
 */
import {
  ApplicationDetails,
  ApplicationSummary,
  ClusterSummary,
  ClusterWithLabels,
  GroupSummary,
  rollupApplications,
  rollupClusters,
  UNGROUPED,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/** Groups clusters (and their applications) by cluster group, hub first, ungrouped last. */
export function groupSummaries(
  clusters: ClusterSummary[],
  apps: ApplicationSummary[],
): GroupSummary[] {
  const byGroup = new Map<string, ClusterSummary[]>();
  for (const c of clusters) {
    const list = byGroup.get(c.group) ?? [];
    list.push(c);
    byGroup.set(c.group, list);
  }
  const appsByCluster = new Map<string, ApplicationSummary[]>();
  for (const a of apps) {
    const list = appsByCluster.get(a.cluster) ?? [];
    list.push(a);
    appsByCluster.set(a.cluster, list);
  }
  const rank = (g: string, cs: ClusterSummary[]) => {
    if (cs.some(c => c.isHub)) return 0;
    return g === UNGROUPED ? 2 : 1;
  };
  return [...byGroup.entries()]
    .sort(
      ([ga, ca], [gb, cb]) =>
        rank(ga, ca) - rank(gb, cb) || ga.localeCompare(gb),
    )
    .map(([name, cs]) => {
      const groupApps: ApplicationSummary[] = [];
      for (const c of cs)
        for (const a of appsByCluster.get(c.name) ?? []) groupApps.push(a);
      return {
        name,
        clusters: cs.map(c => c.name).sort(),
        clusterRollup: rollupClusters(cs),
        applicationRollup: rollupApplications(groupApps),
      };
    });
}

/** The list shape of a cluster: everything but its labels. */
export function toClusterSummary(c: ClusterWithLabels): ClusterSummary {
  const { labels: _labels, ...summary } = c;
  return summary;
}

/** The list shape of an application: identity, placement, sync and health. */
export function toApplicationSummary(
  a: ApplicationDetails,
): ApplicationSummary {
  return {
    name: a.name,
    namespace: a.namespace,
    cluster: a.cluster,
    instance: a.instance,
    sync: a.sync,
    health: a.health,
    operationPhase: a.operationPhase,
    targetRevision: a.targetRevision,
    revision: a.revision,
    appOfApps: a.appOfApps,
    argocdUrl: a.argocdUrl,
  };
}
