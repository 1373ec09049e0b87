import { HUB_CLUSTER_LABEL } from './annotations';

/**
 * The hub's own ManagedCluster among a hub's managed clusters: the one labelled
 * `local-cluster=true`, whatever its name (newer ACM lets admins rename `local-cluster`).
 *
 * @remarks
 * A healthy hub labels exactly one cluster. Should two carry the label, the one whose name
 * sorts first is returned, so the choice does not depend on the order the clusters were read.
 *
 * @public
 */
export function findHubCluster<
  T extends { name: string; labels: Readonly<Record<string, string>> },
>(clusters: Iterable<T>): T | undefined {
  let found: T | undefined;
  for (const c of clusters) {
    if (c.labels[HUB_CLUSTER_LABEL] !== 'true') continue;
    if (!found || c.name < found.name) found = c;
  }
  return found;
}

/**
 * The page of one managed cluster in its hub's ACM console.
 *
 * @param hubConsoleUrl - the hub's OpenShift console, without a trailing slash
 * @param cluster - the ManagedCluster's name
 * @public
 */
export function acmClusterConsoleUrl(
  hubConsoleUrl: string,
  cluster: string,
): string {
  // ACM's route takes the cluster's namespace and name, which are the same for a ManagedCluster.
  const c = encodeURIComponent(cluster);
  return `${hubConsoleUrl}/multicloud/infrastructure/clusters/details/${c}/${c}/overview`;
}
