/** @jsxImportSource react */
import { ReactElement } from 'react';
import { useLocation } from 'react-router-dom';
import { Entity } from '@backstage/catalog-model';
import { EntityProvider, catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  MockFetchApi,
  TestApiProvider,
  mockApis,
  renderInTestApp,
} from '@backstage/test-utils';
import {
  CLUSTER_ANNOTATION,
  CLUSTER_ENTITY_TYPE,
  HUB_ANNOTATION,
  clusterEntityName,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  MulticloudGitopsApi,
  MulticloudGitopsClient,
  multicloudGitopsApiRef,
} from '../api';

export const PATTERN_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'System',
  metadata: {
    name: 'multicloud-gitops',
    namespace: 'default',
    annotations: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
  },
  spec: { owner: 'group:default/platform' },
};

export const PLAIN_ENTITY: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'unrelated', namespace: 'default' },
  spec: {
    type: 'service',
    owner: 'group:default/team-a',
    lifecycle: 'production',
  },
};

/** A managed cluster's entity as the catalog module writes it. */
export function clusterEntity(hub: string, cluster: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: clusterEntityName(hub, cluster),
      namespace: 'default',
      annotations: { [HUB_ANNOTATION]: hub, [CLUSTER_ANNOTATION]: cluster },
    },
    spec: { type: CLUSTER_ENTITY_TYPE, owner: 'group:default/platform' },
  };
}

/** The real client against msw handlers, as the legacy app would wire it. */
export function createTestClient() {
  return new MulticloudGitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
    changeStream: {
      initialBackoffMs: 20,
      maxBackoffMs: 50,
      failuresBeforePolling: 2,
    },
  });
}

/** Renders the current query string so tests can assert what lands in the URL. */
function LocationProbe() {
  const location = useLocation();
  return <output data-testid="location-search">{location.search}</output>;
}

type Authorize = NonNullable<
  Parameters<typeof mockApis.permission>[0]
>['authorize'];
/** Permission decisions without importing the enum from a package we do not depend on. */
export const ALLOW = 'ALLOW' as unknown as Authorize;
export const DENY = 'DENY' as unknown as Authorize;

export async function renderWithEntity(
  element: ReactElement,
  options: {
    api: MulticloudGitopsApi;
    entity?: Entity;
    /** What the catalog holds (the fleet page looks up the pattern's System). */
    catalogEntities?: Entity[];
    /** Replaces the in-memory catalog built from `catalogEntities` (to spy on it). */
    catalogApi?: typeof catalogApiRef.T;
    authorize?: Authorize;
    route?: string;
    mountedRoutes?: Parameters<typeof renderInTestApp>[1] extends infer O
      ? O extends { mountedRoutes?: infer M }
        ? M
        : never
      : never;
  },
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [multicloudGitopsApiRef, options.api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: options.authorize ?? ALLOW }),
        ],
        [
          catalogApiRef,
          options.catalogApi ??
            catalogApiMock({
              entities: options.catalogEntities ?? [PATTERN_ENTITY],
            }),
        ],
      ]}
    >
      <EntityProvider entity={options.entity ?? PATTERN_ENTITY}>
        {element}
        <LocationProbe />
      </EntityProvider>
    </TestApiProvider>,
    {
      routeEntries: [options.route ?? '/'],
      mountedRoutes: options.mountedRoutes,
    },
  );
}

export function currentSearch(container: {
  getByTestId(id: string): HTMLElement;
}) {
  return new URLSearchParams(
    container.getByTestId('location-search').textContent ?? '',
  );
}
