/*
 * How hubs, cluster groups and managed clusters are named in the catalog. The catalog
 * module writes these entities and the frontend links to them, so both derive the names
 * here. Names are unique across hubs: two hubs may each have a cluster called `east-1`,
 * and the Kubernetes plugin keys clusters by entity name.
 */

/** Annotation on a cluster entity: the ManagedCluster's name on its hub. @public */
export const CLUSTER_ANNOTATION = 'validatedpatterns.io/cluster';

/** `spec.type` of a hub or managed cluster entity (the Kubernetes plugin's type). @public */
export const CLUSTER_ENTITY_TYPE = 'kubernetes-cluster';
/** `spec.type` of a cluster-group entity. @public */
export const CLUSTER_GROUP_ENTITY_TYPE = 'cluster-group';

/**
 * The Kubernetes plugin auth provider (`kubernetes.io/auth-provider`) under which the
 * Kubernetes backend module reaches a managed cluster through its hub's cluster-proxy
 * with the hub's token.
 * @public
 */
export const CLUSTER_PROXY_AUTH_PROVIDER = 'multicloudGitopsHub';

const ENTITY_NAME_MAX = 63;

// FNV-1a: a short, stable suffix that keeps shortened names distinct.
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

function joinName(parts: string[]): string {
  const name = parts.join('-');
  if (name.length <= ENTITY_NAME_MAX) return name;
  const hash = shortHash(parts.join('\u0000'));
  const head = name
    .slice(0, ENTITY_NAME_MAX - hash.length - 1)
    .replace(/[-_.]+$/, '');
  return `${head}-${hash}`;
}

/** Catalog name of a managed cluster (the hub cluster included) of a hub. @public */
export function clusterEntityName(hub: string, cluster: string): string {
  return joinName([hub, cluster]);
}

/** Catalog name of a hub's cluster group. @public */
export function clusterGroupEntityName(hub: string, group: string): string {
  return joinName([hub, 'group', group]);
}

/** Entity reference of a managed cluster's catalog entity. @public */
export function clusterEntityRef(hub: string, cluster: string): string {
  return `resource:default/${clusterEntityName(hub, cluster)}`;
}
