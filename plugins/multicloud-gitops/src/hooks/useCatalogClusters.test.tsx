/** @jsxImportSource react */
import { ReactNode } from 'react';
import { renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { CLUSTER_ANNOTATION } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { PATTERN_ENTITY, clusterEntity } from '../__testUtils__/render';
import { useCatalogClusters } from './useCatalogClusters';

function render(catalogApi?: typeof catalogApiRef.T, hub = 'prod-hub') {
  const wrapper = ({ children }: { children: ReactNode }) =>
    catalogApi ? (
      <TestApiProvider apis={[[catalogApiRef, catalogApi]]}>
        {children}
      </TestApiProvider>
    ) : (
      <TestApiProvider apis={[]}>{children}</TestApiProvider>
    );
  return renderHook(() => useCatalogClusters(hub), { wrapper });
}

describe('useCatalogClusters', () => {
  it('returns the clusters of the hub that have an entity, from one catalog query', async () => {
    const renamed: Entity = {
      ...clusterEntity('prod-hub', 'edge-1'),
      metadata: {
        ...clusterEntity('prod-hub', 'edge-1').metadata,
        name: 'hand-written-edge-1',
      },
    };
    const catalogApi = catalogApiMock({
      entities: [
        PATTERN_ENTITY,
        clusterEntity('prod-hub', 'west-1'),
        clusterEntity('prod-hub', 'local-cluster'),
        // Another hub's cluster of the same name is a different entity.
        clusterEntity('test-hub', 'east-1'),
        // Links point at the catalog module's name; an entity under another name is not it.
        renamed,
      ],
    });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    const { result } = render(catalogApi);
    await waitFor(() =>
      expect([...result.current].sort()).toEqual(['local-cluster', 'west-1']),
    );
    expect(getEntities).toHaveBeenCalledTimes(1);
    expect(getEntities).toHaveBeenCalledWith({
      filter: {
        kind: 'Resource',
        'spec.type': 'kubernetes-cluster',
        'metadata.namespace': 'default',
        'metadata.annotations.validatedpatterns.io/hub': 'prod-hub',
      },
      fields: ['metadata.name', `metadata.annotations.${CLUSTER_ANNOTATION}`],
    });
  });

  it('is empty, without failing, when the app has no catalog or the catalog fails', async () => {
    const none = render(undefined);
    expect(none.result.current.size).toBe(0);

    const failing = catalogApiMock.mock({
      getEntities: jest.fn().mockRejectedValue(new Error('catalog down')),
    });
    const { result } = render(failing);
    await waitFor(() => expect(failing.getEntities).toHaveBeenCalled());
    expect(result.current.size).toBe(0);
  });
});
