import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { createScaffolderFieldExtension } from '@backstage/plugin-scaffolder-react';
import { MulticloudGitopsClient, multicloudGitopsApiRef } from './api';
import {
  CLUSTER_GROUP_PICKER_NAME,
  ClusterGroupPicker,
  clusterGroupPickerValidation,
} from './components/ClusterGroupPicker';
import { rootRouteRef } from './routes';
import type { EntityMulticloudGitopsCardProps } from './components/EntityMulticloudGitopsCard';

/**
 * The Multicloud GitOps plugin for the legacy frontend system.
 * @public
 */
export const multicloudGitopsPlugin = createPlugin({
  id: 'multicloud-gitops',
  apis: [
    createApiFactory({
      api: multicloudGitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MulticloudGitopsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/**
 * The fleet page across all hubs (mount it on a route, e.g. `/multicloud-gitops`).
 * @public
 */
export const MulticloudGitopsPage: () => JSX.Element =
  multicloudGitopsPlugin.provide(
    createRoutableExtension({
      name: 'MulticloudGitopsPage',
      component: () =>
        import('./components/MulticloudGitopsPage').then(
          m => m.MulticloudGitopsPage,
        ),
      mountPoint: rootRouteRef,
    }),
  );

/**
 * The entity tab: topology, application matrix and cluster details for the entity.
 * Use inside `EntityLayout.Route path="/multicloud-gitops"`.
 * @public
 */
export const EntityMulticloudGitopsContent: () => JSX.Element =
  multicloudGitopsPlugin.provide(
    createComponentExtension({
      name: 'EntityMulticloudGitopsContent',
      component: {
        lazy: () =>
          import('./components/EntityMulticloudGitopsContent').then(
            m => m.EntityMulticloudGitopsContent,
          ),
      },
    }),
  );

/**
 * The overview card for an entity page.
 * @public
 */
export const EntityMulticloudGitopsCard: (
  props: EntityMulticloudGitopsCardProps,
) => JSX.Element = multicloudGitopsPlugin.provide(
  createComponentExtension({
    name: 'EntityMulticloudGitopsCard',
    component: {
      lazy: () =>
        import('./components/EntityMulticloudGitopsCard').then(
          m => m.EntityMulticloudGitopsCard,
        ),
    },
  }),
);

/**
 * The card of a managed cluster's catalog entity (a Resource of type `kubernetes-cluster`
 * with the `validatedpatterns.io/hub` and `validatedpatterns.io/cluster` annotations):
 * status, versions, console links, nodes, policies and applications. Guard it with
 * `isMulticloudGitopsClusterAvailable`.
 * @public
 */
export const EntityMulticloudGitopsClusterCard: () => JSX.Element =
  multicloudGitopsPlugin.provide(
    createComponentExtension({
      name: 'EntityMulticloudGitopsClusterCard',
      component: {
        lazy: () =>
          import('./components/EntityMulticloudGitopsClusterCard').then(
            m => m.EntityMulticloudGitopsClusterCard,
          ),
      },
    }),
  );

/**
 * Scaffolder field `MulticloudGitopsClusterGroupPicker` for the legacy frontend system: put
 * it inside `<ScaffolderFieldExtensions>` of the scaffolder page. It offers the pattern's
 * existing cluster groups and checks a new name against the Validated Patterns rules.
 * @public
 */
export const MulticloudGitopsClusterGroupPickerFieldExtension =
  multicloudGitopsPlugin.provide(
    createScaffolderFieldExtension({
      name: CLUSTER_GROUP_PICKER_NAME,
      component: ClusterGroupPicker,
      validation: clusterGroupPickerValidation,
    }),
  );
