'use strict';
// Benchmark-only stand-in for @backstage-community/plugin-ocm-common (not served by the
// package registry reached here). Same public API as its API report: the permissions
// `ocm.cluster.read` and `ocm.entity.read` (action read) and the two annotation names.
// Types have no run-time part. The peer plugin itself is installed unmodified.
const { createPermission } = require('@backstage/plugin-permission-common');

const ocmClusterReadPermission = createPermission({
  name: 'ocm.cluster.read',
  attributes: { action: 'read' },
});
const ocmEntityReadPermission = createPermission({
  name: 'ocm.entity.read',
  attributes: { action: 'read' },
});

module.exports = {
  ANNOTATION_CLUSTER_ID: 'janus-idp.io/ocm-cluster-id',
  ANNOTATION_PROVIDER_ID: 'janus-idp.io/ocm-provider-id',
  ocmClusterReadPermission,
  ocmEntityReadPermission,
  ocmEntityPermissions: [ocmClusterReadPermission, ocmEntityReadPermission],
};
