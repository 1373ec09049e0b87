/** @jsxImportSource react */
import {
  ApiBlueprint,
  PageBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  createRouteRef,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  FormFieldBlueprint,
  createFormField,
} from '@backstage/plugin-scaffolder-react/alpha';
import CloudQueueIcon from '@material-ui/icons/CloudQueue';
import {
  CLUSTER_ANNOTATION,
  CLUSTER_ENTITY_TYPE,
  HUB_ANNOTATION,
  MULTICLOUD_GITOPS_ANNOTATIONS,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { MulticloudGitopsClient, multicloudGitopsApiRef } from './api';
import {
  gitlabAuthApiRef,
  googleAuthApiRef,
  microsoftAuthApiRef,
  oktaAuthApiRef,
  oneloginAuthApiRef,
} from '@backstage/core-plugin-api';
import {
  KubernetesAuthProviders,
  kubernetesAuthProvidersApiRef,
} from '@backstage/plugin-kubernetes-react';
import { withClusterProxyAuthProvider } from './kubernetes/clusterProxyAuthProvider';

/**
 * Show the card and the tab on entities carrying any of our annotations. A declarative
 * predicate (rather than a function) so app-config can override it per installation.
 */
const hasMulticloudGitopsAnnotation = {
  $any: MULTICLOUD_GITOPS_ANNOTATIONS.map(
    a =>
      ({ [`metadata.annotations.${a}`]: { $exists: true } } as {
        [path: `metadata.${string}`]: { $exists: boolean };
      }),
  ),
};

/**
 * A managed cluster's catalog entity, as the catalog module writes it. Declarative for the
 * same reason as above.
 */
const isManagedClusterEntity = {
  kind: 'resource',
  'spec.type': CLUSTER_ENTITY_TYPE,
  [`metadata.annotations.${HUB_ANNOTATION}`]: { $exists: true },
  [`metadata.annotations.${CLUSTER_ANNOTATION}`]: { $exists: true },
};

/**
 * The hub-wide card and tab, on every annotated entity but a managed cluster's: a cluster
 * carries the hub annotation too, and there the cluster card says what matters.
 */
const hasFleetView = {
  $all: [hasMulticloudGitopsAnnotation, { $not: isManagedClusterEntity }],
};

/** @alpha */
export const multicloudGitopsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: multicloudGitopsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new MulticloudGitopsClient({ discoveryApi, fetchApi }),
    }),
});

/** @alpha */
export const fleetRouteRef = createRouteRef();

/** The fleet page across all hubs; its nav item id is `page:multicloud-gitops`. @alpha */
export const multicloudGitopsPage = PageBlueprint.make({
  params: {
    path: '/multicloud-gitops',
    title: 'Fleet',
    icon: <CloudQueueIcon />,
    routeRef: fleetRouteRef,
    loader: () =>
      import('./components/MulticloudGitopsPage').then(m => (
        <m.MulticloudGitopsPageBody />
      )),
  },
});

/** @alpha */
export const multicloudGitopsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/multicloud-gitops',
    title: 'Fleet',
    group: 'deployment',
    filter: hasFleetView,
    loader: () =>
      import('./components/EntityMulticloudGitopsContent').then(m => (
        <m.EntityMulticloudGitopsContent />
      )),
  },
});

/** @alpha */
export const multicloudGitopsEntityCard = EntityCardBlueprint.make({
  params: {
    filter: hasFleetView,
    loader: () =>
      import('./components/EntityMulticloudGitopsCard').then(m => (
        <m.EntityMulticloudGitopsCard />
      )),
  },
});

/**
 * The card of a managed cluster's entity; its id is `entity-card:multicloud-gitops/cluster`.
 * @alpha
 */
export const multicloudGitopsClusterEntityCard = EntityCardBlueprint.make({
  name: 'cluster',
  params: {
    filter: isManagedClusterEntity,
    loader: () =>
      import('./components/EntityMulticloudGitopsClusterCard').then(m => (
        <m.EntityMulticloudGitopsClusterCard />
      )),
  },
});

/**
 * Scaffolder field `MulticloudGitopsClusterGroupPicker`: the pattern's existing cluster groups
 * from the live fleet, or a new name, checked against the Validated Patterns naming rules.
 * @alpha
 */
export const multicloudGitopsClusterGroupPicker = FormFieldBlueprint.make({
  name: 'cluster-group-picker',
  params: {
    field: () =>
      import('./components/ClusterGroupPicker').then(m =>
        createFormField({
          name: m.CLUSTER_GROUP_PICKER_NAME,
          component: m.ClusterGroupPicker,
          validation: m.clusterGroupPickerValidation,
        }),
      ),
  },
});

/**
 * Teaches the Kubernetes plugin's frontend the auth provider of managed clusters reached
 * through their hub (`CLUSTER_PROXY_AUTH_PROVIDER`), whose token the backend adds: without
 * it, the Kubernetes tab of any entity fails on the first such cluster. It replaces the
 * Kubernetes plugin's `api:kubernetes/auth-providers` with the same providers plus ours; add
 * it to the app's features next to the Kubernetes plugin.
 * @alpha
 */
export const kubernetesClusterProxyAuthModule = createFrontendModule({
  pluginId: 'kubernetes',
  extensions: [
    ApiBlueprint.make({
      name: 'auth-providers',
      params: defineParams =>
        defineParams({
          api: kubernetesAuthProvidersApiRef,
          deps: {
            gitlabAuthApi: gitlabAuthApiRef,
            googleAuthApi: googleAuthApiRef,
            microsoftAuthApi: microsoftAuthApiRef,
            oktaAuthApi: oktaAuthApiRef,
            oneloginAuthApi: oneloginAuthApiRef,
          },
          factory: ({
            gitlabAuthApi,
            googleAuthApi,
            microsoftAuthApi,
            oktaAuthApi,
            oneloginAuthApi,
          }) =>
            withClusterProxyAuthProvider(
              new KubernetesAuthProviders({
                microsoftAuthApi,
                googleAuthApi,
                oidcProviders: {
                  gitlab: gitlabAuthApi,
                  google: googleAuthApi,
                  microsoft: microsoftAuthApi,
                  okta: oktaAuthApi,
                  onelogin: oneloginAuthApi,
                },
              }),
            ),
        }),
    }),
  ],
});

/**
 * The Multicloud GitOps plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'multicloud-gitops',
  title: 'Fleet',
  icon: <CloudQueueIcon />,
  info: { packageJson: () => import('../package.json') },
  routes: { root: fleetRouteRef },
  extensions: [
    multicloudGitopsApi,
    multicloudGitopsPage,
    multicloudGitopsEntityContent,
    multicloudGitopsEntityCard,
    multicloudGitopsClusterEntityCard,
    multicloudGitopsClusterGroupPicker,
  ],
});
