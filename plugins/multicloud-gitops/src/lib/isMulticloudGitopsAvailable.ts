import { Entity } from '@backstage/catalog-model';
import { MULTICLOUD_GITOPS_ANNOTATIONS } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/**
 * True when the entity carries any annotation our views understand; use it to show the
 * tab and the card only where they have something to say.
 * @public
 */
export function isMulticloudGitopsAvailable(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return MULTICLOUD_GITOPS_ANNOTATIONS.some(a => Boolean(annotations[a]));
}
