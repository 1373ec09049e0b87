/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { APPLICATIONS, CLUSTERS } from '../../__testUtils__/fleet';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import {
  PATTERN_ENTITY,
  clusterEntity,
  renderWithEntity,
} from '../../__testUtils__/render';
import { useCatalogClusters } from '../../hooks/useCatalogClusters';
import { ClusterDrawer } from './ClusterDrawer';

/** The drawer as the fleet view wires it: the catalog's answer flows in as a prop. */
function DrawerWithCatalog(props: { cluster: string }) {
  const catalogClusters = useCatalogClusters('prod-hub');
  return (
    <ClusterDrawer
      hub="prod-hub"
      cluster={props.cluster}
      catalogClusters={catalogClusters}
      onClose={() => {}}
    />
  );
}

jest.setTimeout(30_000);

describe('ClusterDrawer', () => {
  it('shows the live summary while details load, then the details', async () => {
    let release: () => void = () => {};
    const { api } = createFakeApi();
    const details = api.getClusterDetails.getMockImplementation()!;
    api.getClusterDetails.mockImplementationOnce(
      (hub, cluster) =>
        new Promise(resolve => {
          release = () => resolve(details(hub, cluster));
        }),
    );
    const onClose = jest.fn();
    await renderWithEntity(
      <ClusterDrawer
        hub="prod-hub"
        cluster="west-1"
        summary={CLUSTERS.find(c => c.name === 'west-1')}
        applications={APPLICATIONS.filter(a => a.cluster === 'west-1')}
        onClose={onClose}
      />,
      { api },
    );
    const drawer = screen.getByRole('dialog', { name: 'Cluster west-1' });
    expect(within(drawer).getByText('Unavailable')).toBeInTheDocument();
    expect(
      within(drawer).getByText(
        /ManagedClusterLeaseUpdateStopped: Registration agent/,
      ),
    ).toBeInTheDocument();
    // The live list has no source yet: topology answers leave it to the details call.
    const row = within(drawer).getByTestId('drawer-app-config-demo');
    expect(within(row).queryByText(/^from /)).not.toBeInTheDocument();
    // Backstage's Progress appears after a short delay, to avoid flashing on fast answers.
    expect(await within(drawer).findByRole('progressbar')).toBeInTheDocument();

    release();
    expect(
      await within(drawer).findByRole('heading', { name: 'Conditions' }),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByRole('heading', { name: 'Nodes (3)' }),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByRole('heading', { name: 'Policies (2)' }),
    ).toBeInTheDocument();
    expect(
      within(within(drawer).getByTestId('drawer-app-config-demo')).getByText(
        'from charts/all/config-demo',
      ),
    ).toHaveAttribute(
      'title',
      'https://github.com/validatedpatterns/multicloud-gitops',
    );
    // No entity: no actions column.
    expect(
      within(drawer).queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close cluster details' }),
    );
    expect(onClose).toHaveBeenCalled();
  });

  it('says which chart and version a chart application deploys, and from which repository', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <ClusterDrawer
        hub="prod-hub"
        cluster="local-cluster"
        summary={CLUSTERS.find(c => c.name === 'local-cluster')}
        applications={APPLICATIONS.filter(a => a.cluster === 'local-cluster')}
        onClose={() => {}}
      />,
      { api },
    );
    const drawer = screen.getByRole('dialog', {
      name: 'Cluster local-cluster',
    });
    const vault = await within(drawer).findByText(
      'from chart hashicorp-vault 0.1.*',
    );
    expect(vault).toHaveAttribute(
      'title',
      'https://charts.validatedpatterns.io',
    );
    // The pattern's app of apps: the clustergroup chart; it still follows the pattern's branch.
    const parent = within(drawer).getByTestId(
      'drawer-app-multicloud-gitops-hub',
    );
    expect(
      within(parent).getByText('from chart clustergroup 0.9.*'),
    ).toBeInTheDocument();
    expect(within(parent).getByText('target main')).toBeInTheDocument();
    // A path application names its path.
    expect(
      within(within(drawer).getByTestId('drawer-app-config-demo')).getByText(
        'from charts/all/config-demo',
      ),
    ).toBeInTheDocument();
  });

  it("shows an application's ComparisonError message in its row, and none where there is none", async () => {
    const { api } = createFakeApi();
    const details = api.getClusterDetails.getMockImplementation()!;
    const MESSAGE =
      'failed to render the clustergroup chart at 0123abc: values-hub.yaml: clusterGroup.applications is not a map or a list';
    api.getClusterDetails.mockImplementation(async (hub, cluster) => {
      const d = await details(hub, cluster);
      return {
        ...d,
        applications: d.applications.map(a =>
          a.appOfApps ? { ...a, sync: 'Unknown', comparisonError: MESSAGE } : a,
        ),
      };
    });
    await renderWithEntity(
      <ClusterDrawer
        hub="prod-hub"
        cluster="local-cluster"
        summary={CLUSTERS.find(c => c.name === 'local-cluster')}
        onClose={() => {}}
      />,
      { api },
    );
    const drawer = screen.getByRole('dialog', {
      name: 'Cluster local-cluster',
    });
    const parent = await within(drawer).findByTestId(
      'drawer-app-multicloud-gitops-hub',
    );
    expect(within(parent).getByTestId('comparison-error')).toHaveTextContent(
      MESSAGE,
    );
    expect(
      within(
        within(drawer).getByTestId('drawer-app-config-demo'),
      ).queryByTestId('comparison-error'),
    ).not.toBeInTheDocument();
  });

  it("links the cluster's catalog page when the catalog has its entity, and not otherwise", async () => {
    const { api } = createFakeApi();
    const catalogEntities = [
      PATTERN_ENTITY,
      clusterEntity('prod-hub', 'west-1'),
    ];
    const mountedRoutes = {
      '/catalog/:namespace/:kind/:name': entityRouteRef,
    };
    const known = await renderWithEntity(
      <DrawerWithCatalog cluster="west-1" />,
      {
        api,
        catalogEntities,
        mountedRoutes,
      },
    );
    const drawer = screen.getByRole('dialog', { name: 'Cluster west-1' });
    expect(
      await within(drawer).findByRole('link', { name: 'Catalog page' }),
    ).toHaveAttribute('href', '/catalog/default/resource/prod-hub-west-1');
    known.unmount();

    await renderWithEntity(<DrawerWithCatalog cluster="east-1" />, {
      api,
      catalogEntities,
      mountedRoutes,
    });
    const other = screen.getByRole('dialog', { name: 'Cluster east-1' });
    // Wait for the details (and so the catalog's answer) before asserting absence.
    expect(
      await within(other).findByRole('link', { name: /ACM console/ }),
    ).toBeInTheDocument();
    expect(
      within(other).queryByRole('link', { name: 'Catalog page' }),
    ).not.toBeInTheDocument();
  });
});
