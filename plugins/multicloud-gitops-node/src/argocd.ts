/*
 * Which configured Argo CD instance serves which cluster. An instance that lists `clusters`
 * serves those managed clusters; one that lists none is the hub's own Argo CD and serves the
 * hub cluster.
 */
import { ArgoInstanceSettings } from './hubConfig';

/**
 * The Argo CD instance that runs on the hub: the first one configured without `clusters`.
 *
 * @public
 */
export function hubArgoInstance(
  instances: readonly ArgoInstanceSettings[],
): ArgoInstanceSettings | undefined {
  return instances.find(a => !a.clusters?.length);
}

/**
 * The Argo CD instance serving each cluster, by cluster name. An instance with `clusters`
 * serves those; one without serves the hub cluster, which is left out while it is not known.
 *
 * @remarks
 * Should two instances claim a cluster, the first configured keeps it, so the hub cluster is
 * served by the same instance {@link hubArgoInstance} returns unless another names it.
 *
 * @param instances - the hub's configured Argo CD instances, in config order
 * @param hubCluster - the name of the hub's own ManagedCluster, if known
 * @public
 */
export function argoInstancesByCluster(
  instances: readonly ArgoInstanceSettings[],
  hubCluster: string | undefined,
): Map<string, ArgoInstanceSettings> {
  const servedBy = new Map<string, ArgoInstanceSettings>();
  for (const a of instances) {
    const served = a.clusters?.length ? a.clusters : [hubCluster ?? ''];
    for (const c of served) if (c && !servedBy.has(c)) servedBy.set(c, a);
  }
  return servedBy;
}
