/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { TOPOLOGY } from '../../__testUtils__/fleet';
import { EMPTY_FILTERS, applyFilters } from '../../lib/filters';
import { TopologyView } from './TopologyView';

describe('TopologyView', () => {
  it('shows the hub, then its groups with the hub group first, then clusters', async () => {
    const onSelect = jest.fn();
    await renderInTestApp(
      <TopologyView
        topology={TOPOLOGY}
        fleet={applyFilters(TOPOLOGY, EMPTY_FILTERS)}
        onSelectCluster={onSelect}
      />,
    );
    const hub = screen.getByRole('region', { name: 'Hub Production hub' });
    expect(
      within(hub).getByText(
        'Pattern multicloud-gitops · 5 clusters in 3 groups',
      ),
    ).toBeInTheDocument();
    expect(
      within(hub).getByRole('link', { name: /ACM console/ }),
    ).toBeInTheDocument();

    const groups = screen.getAllByTestId(/^group-/).map(g => g.dataset.testid);
    expect(groups).toEqual(['group-hub', 'group-group-one', 'group-group-two']);

    const row = screen.getByTestId('cluster-row-local-cluster');
    expect(within(row).getByText(/Upgrade 4\.16\.14/)).toBeInTheDocument();
    expect(within(row).getByText(/3 policies compliant/)).toBeInTheDocument();
    await userEvent.click(
      within(row).getByRole('button', {
        name: 'Open details of cluster local-cluster',
      }),
    );
    expect(onSelect).toHaveBeenCalledWith('local-cluster');
  });

  it('says so when nothing matches', async () => {
    await renderInTestApp(
      <TopologyView
        topology={TOPOLOGY}
        fleet={applyFilters(TOPOLOGY, {
          ...EMPTY_FILTERS,
          text: 'no-such-thing',
        })}
        onSelectCluster={() => {}}
      />,
    );
    expect(
      screen.getByText('No cluster matches the filters.'),
    ).toBeInTheDocument();
  });

  it('links the clusters the catalog has to their entity pages', async () => {
    await renderInTestApp(
      <TopologyView
        topology={TOPOLOGY}
        fleet={applyFilters(TOPOLOGY, EMPTY_FILTERS)}
        catalogClusters={new Set(['west-1', 'local-cluster'])}
        onSelectCluster={() => {}}
      />,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    const west = screen.getByTestId('cluster-row-west-1');
    expect(
      within(west).getByRole('link', {
        name: 'Catalog page of cluster west-1',
      }),
    ).toHaveAttribute('href', '/catalog/default/resource/prod-hub-west-1');
    // The hub cluster is a cluster entity of its hub too.
    expect(
      within(screen.getByTestId('cluster-row-local-cluster')).getByRole(
        'link',
        { name: 'Catalog page of cluster local-cluster' },
      ),
    ).toHaveAttribute(
      'href',
      '/catalog/default/resource/prod-hub-local-cluster',
    );
    const east = screen.getByTestId('cluster-row-east-1');
    expect(within(east).queryByRole('link')).not.toBeInTheDocument();
  });

  it('shows no catalog link when the app has no catalog entity route', async () => {
    await renderInTestApp(
      <TopologyView
        topology={TOPOLOGY}
        fleet={applyFilters(TOPOLOGY, EMPTY_FILTERS)}
        catalogClusters={new Set(['west-1'])}
        onSelectCluster={() => {}}
      />,
    );
    expect(
      within(screen.getByTestId('cluster-row-west-1')).queryByRole('link'),
    ).not.toBeInTheDocument();
  });
});
