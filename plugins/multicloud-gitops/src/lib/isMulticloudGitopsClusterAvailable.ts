import { Entity } from '@backstage/catalog-model';
import {
  CLUSTER_ANNOTATION,
  HUB_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/**
 * True when the entity names a managed cluster of a hub: both `validatedpatterns.io/hub`
 * and `validatedpatterns.io/cluster`, as the catalog module annotates the cluster
 * Resources it creates. Use it to show the cluster card on Resource entity pages.
 * @public
 */
export function isMulticloudGitopsClusterAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return Boolean(
    annotations[HUB_ANNOTATION]?.trim() &&
      annotations[CLUSTER_ANNOTATION]?.trim(),
  );
}
