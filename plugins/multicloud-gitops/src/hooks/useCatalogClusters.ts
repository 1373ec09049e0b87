import { useCallback, useEffect, useState } from 'react';
import { useApiHolder, useRouteRef } from '@backstage/core-plugin-api';
import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  CLUSTER_ANNOTATION,
  CLUSTER_ENTITY_TYPE,
  HUB_ANNOTATION,
  clusterEntityName,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

const NONE: ReadonlySet<string> = new Set();

/**
 * The hub's managed clusters (by ManagedCluster name) that have a catalog entity.
 *
 * One filter query per hub, whatever the number of clusters on screen, and only the two
 * fields needed to match an entity to its cluster. An entity counts only under the name
 * the catalog module gives it, because that is the name the links point to. Without the
 * catalog (no API, no catalog module, or an error) the set stays empty: the links are an
 * extra and their absence must not break the fleet views.
 */
export function useCatalogClusters(
  hub: string | undefined,
): ReadonlySet<string> {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const [known, setKnown] = useState<{
    hub: string;
    clusters: ReadonlySet<string>;
  }>();

  useEffect(() => {
    if (!catalogApi || !hub) return undefined;
    let cancelled = false;
    catalogApi
      .getEntities({
        filter: {
          kind: 'Resource',
          'spec.type': CLUSTER_ENTITY_TYPE,
          'metadata.namespace': 'default',
          [`metadata.annotations.${HUB_ANNOTATION}`]: hub,
        },
        fields: ['metadata.name', `metadata.annotations.${CLUSTER_ANNOTATION}`],
      })
      .then(({ items }) => {
        if (cancelled) return;
        const clusters = new Set<string>();
        for (const e of items) {
          const cluster = e.metadata.annotations?.[CLUSTER_ANNOTATION];
          if (cluster && e.metadata.name === clusterEntityName(hub, cluster)) {
            clusters.add(cluster);
          }
        }
        setKnown({ hub, clusters });
      })
      .catch(() => {
        // No links rather than an error: the fleet views work without the catalog module.
      });
    return () => {
      cancelled = true;
    };
  }, [catalogApi, hub]);

  return known && known.hub === hub ? known.clusters : NONE;
}

/**
 * Builds the catalog page URL of a hub's cluster entity, or undefined when the app has not
 * bound the catalog's entity route.
 */
export function useClusterEntityLink(): (
  hub: string,
  cluster: string,
) => string | undefined {
  let route:
    | ((params: { kind: string; namespace: string; name: string }) => string)
    | undefined;
  try {
    const resolved = useRouteRef(entityRouteRef);
    route = resolved;
  } catch {
    // The legacy system throws for an unbound route ref; treat it as "no catalog page".
    route = undefined;
  }
  return useCallback(
    (hub: string, cluster: string) =>
      route?.({
        kind: 'resource',
        namespace: 'default',
        name: clusterEntityName(hub, cluster),
      }),
    [route],
  );
}
