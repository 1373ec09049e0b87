import { screen } from '@testing-library/react';
import { renderTestApp, mockApis } from '@backstage/frontend-test-utils';
import { createTestEntityPage } from '@backstage/plugin-catalog-react/testUtils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { multicloudGitopsApiRef } from './api';
import { createFakeApi } from './__testUtils__/fakeApi';
import {
  PATTERN_ENTITY,
  PLAIN_ENTITY,
  clusterEntity,
} from './__testUtils__/render';
import plugin, {
  multicloudGitopsClusterEntityCard,
  multicloudGitopsEntityCard,
  multicloudGitopsEntityContent,
  multicloudGitopsPage,
} from './alpha';

function apis() {
  const { api } = createFakeApi();
  return [
    [multicloudGitopsApiRef, api],
    [permissionApiRef, mockApis.permission()],
  ] as const;
}

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('new frontend system plugin', () => {
  it('declares the plugin and its extensions with stable ids', () => {
    expect(plugin.id).toBe('multicloud-gitops');
    // The ids are what app-config (app.extensions) and the nav refer to.
    expect(plugin.getExtension('page:multicloud-gitops')).toBeDefined();
    expect(
      plugin.getExtension('entity-content:multicloud-gitops'),
    ).toBeDefined();
    expect(plugin.getExtension('entity-card:multicloud-gitops')).toBeDefined();
    expect(
      plugin.getExtension('entity-card:multicloud-gitops/cluster'),
    ).toBeDefined();
    expect(plugin.getExtension('api:multicloud-gitops')).toBeDefined();
    expect(
      plugin.getExtension(
        'scaffolder-form-field:multicloud-gitops/cluster-group-picker',
      ),
    ).toBeDefined();
    expect(multicloudGitopsPage).toBeDefined();
  });

  it('renders the card on an entity with the pattern annotation', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: PATTERN_ENTITY }),
        multicloudGitopsEntityCard,
      ],
      apis: apis(),
    });
    // The first render of a whole app with lazy extensions is slow on a busy machine.
    expect(
      await screen.findByText(
        'Hub Production hub · pattern multicloud-gitops',
        {},
        { timeout: 10_000 },
      ),
    ).toBeInTheDocument();
  });

  it('renders the tab content on an entity with the pattern annotation', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: PATTERN_ENTITY }),
        multicloudGitopsEntityContent,
      ],
      apis: apis(),
    });
    expect(
      await screen.findByTestId('cluster-row-west-1', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
  });

  it('renders the cluster card, and not the hub-wide card, on a managed cluster entity', async () => {
    const fake = apis();
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: clusterEntity('prod-hub', 'west-1') }),
        multicloudGitopsEntityCard,
        multicloudGitopsClusterEntityCard,
      ],
      apis: fake,
    });
    expect(
      await screen.findByText('Cluster west-1', {}, { timeout: 10_000 }),
    ).toBeInTheDocument();
    // The hub-wide card is titled Fleet; the cluster card shares its subheader.
    expect(
      screen.queryByText('Fleet', { exact: true }),
    ).not.toBeInTheDocument();
    expect(
      await screen.findByRole('region', { name: 'Nodes (3)' }),
    ).toBeInTheDocument();
  });

  it('shows the cluster card only on kubernetes-cluster Resources with both annotations', async () => {
    const group = clusterEntity('prod-hub', 'group-one');
    group.spec = { ...group.spec, type: 'cluster-group' };
    const noCluster = clusterEntity('prod-hub', 'east-1');
    delete noCluster.metadata.annotations!['validatedpatterns.io/cluster'];
    for (const entity of [group, noCluster, PATTERN_ENTITY]) {
      const { unmount } = renderTestApp({
        extensions: [
          createTestEntityPage({ entity }),
          multicloudGitopsEntityCard,
          multicloudGitopsClusterEntityCard,
        ],
        apis: apis(),
      });
      // The overview card (shown on all three) has loaded, so a cluster card would have too.
      expect(
        await screen.findByText(
          'Hub Production hub · pattern multicloud-gitops',
          {},
          { timeout: 10_000 },
        ),
      ).toBeInTheDocument();
      expect(screen.queryByText(/^Cluster /)).not.toBeInTheDocument();
      expect(
        screen.queryByText('This entity does not name a managed cluster'),
      ).not.toBeInTheDocument();
      unmount();
    }
  });

  it('leaves entities without our annotations alone', async () => {
    renderTestApp({
      extensions: [
        createTestEntityPage({ entity: PLAIN_ENTITY }),
        multicloudGitopsEntityCard,
      ],
      apis: apis(),
    });
    // Give lazy loaders a chance to run before asserting absence.
    await new Promise(r => setTimeout(r, 50));
    expect(screen.queryByText(/Production hub/)).not.toBeInTheDocument();
    expect(
      screen.queryByText(/not linked to a Multicloud GitOps pattern/),
    ).not.toBeInTheDocument();
  });
});
