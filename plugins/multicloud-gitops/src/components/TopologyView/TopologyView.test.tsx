/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
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
});
