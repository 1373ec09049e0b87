import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the fleet topology (hubs, clusters, applications, policies).
 * A basic permission: the topology is not tied to one catalog entity.
 * @public
 */
export const topologyReadPermission = createPermission({
  name: 'multicloud-gitops.topology.read',
  attributes: { action: 'read' },
});

/**
 * Sync or refresh an Argo CD application from the portal. A resource permission on the
 * catalog entity the application belongs to, so policies can use the catalog's rules
 * (for example "is owner") to decide.
 * @public
 */
export const applicationSyncPermission = createPermission({
  name: 'multicloud-gitops.application.sync',
  attributes: { action: 'update' },
  // Same string as RESOURCE_TYPE_CATALOG_ENTITY in @backstage/plugin-catalog-common;
  // spelled out so this isomorphic package does not pull in the catalog's client code.
  resourceType: 'catalog-entity',
});

/** @public */
export const multicloudGitopsPermissions = [
  topologyReadPermission,
  applicationSyncPermission,
];
