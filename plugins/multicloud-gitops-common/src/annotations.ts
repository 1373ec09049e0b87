/**
 * Catalog annotations read by the Multicloud GitOps plugins.
 *
 * The `validatedpatterns.io/pattern` key is the same label Validated Patterns puts on the
 * Argo CD applications it creates, so one string joins the catalog, the hub and Argo CD.
 * The `argocd/*` keys are the Argo CD plugins' conventions; we honour them as filters so
 * one entity can carry both plugins.
 */

/** @public */
export const PATTERN_ANNOTATION = 'validatedpatterns.io/pattern';
/** @public */
export const HUB_ANNOTATION = 'validatedpatterns.io/hub';
/** @public */
export const CLUSTER_GROUP_ANNOTATION = 'validatedpatterns.io/cluster-group';
/** @public */
export const ARGOCD_APP_NAME_ANNOTATION = 'argocd/app-name';
/** @public */
export const ARGOCD_APP_SELECTOR_ANNOTATION = 'argocd/app-selector';
/** @public */
export const ARGOCD_INSTANCE_ANNOTATION = 'argocd/instance-name';
/** @public */
export const ARGOCD_PROJECT_ANNOTATION = 'argocd/project-name';

/** The label Validated Patterns puts on each Argo CD application it deploys. @public */
export const PATTERN_LABEL = 'validatedpatterns.io/pattern';
/** The ManagedCluster label that places a cluster in a cluster group. @public */
export const CLUSTER_GROUP_LABEL = 'clusterGroup';
/** The ManagedCluster label that marks the hub itself. @public */
export const HUB_CLUSTER_LABEL = 'local-cluster';
/** Name of the bucket for managed clusters that carry no `clusterGroup` label. @public */
export const UNGROUPED = '(ungrouped)';

/** Every annotation that makes an entity eligible for our views. @public */
export const MULTICLOUD_GITOPS_ANNOTATIONS = [
  PATTERN_ANNOTATION,
  HUB_ANNOTATION,
  CLUSTER_GROUP_ANNOTATION,
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
] as const;
