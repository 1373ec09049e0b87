/** @jsxImportSource react */
import { screen } from '@testing-library/react';
import { Route, Routes } from 'react-router-dom';
import { Entity } from '@backstage/catalog-model';
import { createFakeApi } from './__testUtils__/fakeApi';
import { clusterEntity, renderWithEntity } from './__testUtils__/render';
import {
  EntityMulticloudGitopsCard,
  EntityMulticloudGitopsClusterCard,
  EntityMulticloudGitopsContent,
  MulticloudGitopsClient,
  MulticloudGitopsPage,
  MulticloudGitopsClusterGroupPickerFieldExtension,
  isMulticloudGitopsAvailable,
  isMulticloudGitopsClusterAvailable,
  multicloudGitopsApiRef,
  multicloudGitopsPlugin,
} from './index';

const entity = (annotations?: Record<string, string>): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'x', annotations },
});

describe('legacy plugin', () => {
  it('exports the plugin, its extensions and the API', () => {
    expect(multicloudGitopsPlugin.getId()).toBe('multicloud-gitops');
    expect(multicloudGitopsApiRef.id).toBe('plugin.multicloud-gitops.service');
    expect(MulticloudGitopsClient).toBeDefined();
    for (const c of [
      EntityMulticloudGitopsCard,
      EntityMulticloudGitopsClusterCard,
      EntityMulticloudGitopsContent,
      MulticloudGitopsPage,
      MulticloudGitopsClusterGroupPickerFieldExtension,
    ]) {
      expect(c).toBeDefined();
    }
    const apis = [...multicloudGitopsPlugin.getApis()];
    expect(apis.map(a => a.api.id)).toEqual([
      'plugin.multicloud-gitops.service',
    ]);
  });

  it('isMulticloudGitopsAvailable looks for any of our annotations', () => {
    expect(isMulticloudGitopsAvailable(entity())).toBe(false);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'backstage.io/kubernetes-id': 'x' }),
      ),
    ).toBe(false);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'validatedpatterns.io/pattern': 'mcg' }),
      ),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(entity({ 'argocd/app-name': 'hello-world' })),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(entity({ 'argocd/app-selector': 'app=x' })),
    ).toBe(true);
    expect(
      isMulticloudGitopsAvailable(
        entity({ 'validatedpatterns.io/pattern': '' }),
      ),
    ).toBe(false);
  });

  it('isMulticloudGitopsClusterAvailable wants both the hub and the cluster annotation', () => {
    expect(
      isMulticloudGitopsClusterAvailable(clusterEntity('prod-hub', 'east-1')),
    ).toBe(true);
    expect(
      isMulticloudGitopsClusterAvailable(
        entity({ 'validatedpatterns.io/hub': 'prod-hub' }),
      ),
    ).toBe(false);
    expect(
      isMulticloudGitopsClusterAvailable(
        entity({ 'validatedpatterns.io/cluster': 'east-1' }),
      ),
    ).toBe(false);
    expect(
      isMulticloudGitopsClusterAvailable(
        entity({
          'validatedpatterns.io/hub': 'prod-hub',
          'validatedpatterns.io/cluster': ' ',
        }),
      ),
    ).toBe(false);
  });
});

describe('legacy extensions', () => {
  // The exported components are lazy plugin extensions; render them the way a legacy
  // EntityPage does, to prove they load and find their API.
  jest.setTimeout(30_000);

  it('renders the card and the tab extensions', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <>
        <EntityMulticloudGitopsCard />
        <EntityMulticloudGitopsContent />
      </>,
      { api },
    );
    expect(
      await screen.findByText('Hub Production hub · pattern multicloud-gitops'),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('cluster-row-west-1')).toBeInTheDocument();
  });

  it('renders the cluster card extension on a cluster entity', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(<EntityMulticloudGitopsClusterCard />, {
      api,
      entity: clusterEntity('prod-hub', 'edge-1'),
    });
    expect(
      await screen.findByRole('region', { name: 'Nodes (3)' }),
    ).toBeInTheDocument();
    expect(api.getClusterDetails).toHaveBeenCalledWith(
      'prod-hub',
      'edge-1',
      expect.anything(),
    );
  });

  it('renders the fleet page extension', async () => {
    const { api } = createFakeApi();
    // Mounted on a route, as a legacy App.tsx does.
    await renderWithEntity(
      <Routes>
        <Route path="/multicloud-gitops" element={<MulticloudGitopsPage />} />
      </Routes>,
      { api, route: '/multicloud-gitops' },
    );
    expect(
      await screen.findByRole('heading', { name: 'Fleet' }),
    ).toBeInTheDocument();
    expect(await screen.findByTestId('cluster-row-east-1')).toBeInTheDocument();
  });
});
