/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp } from '@backstage/test-utils';
import { buildLargeTopology } from '../../__testUtils__/fleet';
import { EMPTY_FILTERS, applyFilters } from '../../lib/filters';
import { ApplicationMatrix } from '../ApplicationMatrix';
import { TopologyView } from './TopologyView';

/**
 * The fleet the spec sizes us for: 2,000 clusters x 20 applications. jsdom is much slower
 * than a browser, so these tests check the structural guarantees (collapsed groups,
 * virtualised lists and grid); the browser benchmark (bench/frontend.bench.js) measures time.
 */
const big = buildLargeTopology(2000, 20, 8);

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('at fleet scale', () => {
  it('starts with big groups collapsed and virtualises an expanded group', async () => {
    const fleet = applyFilters(big, EMPTY_FILTERS);
    await renderInTestApp(
      <TopologyView topology={big} fleet={fleet} onSelectCluster={() => {}} />,
    );
    const headers = screen.getAllByRole('button', { name: /^Group group-/ });
    expect(headers).toHaveLength(8);
    for (const h of headers)
      expect(h).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryAllByTestId(/^cluster-row-/)).toHaveLength(0);

    await userEvent.click(headers[0]);
    const rows = within(screen.getByTestId('group-group-0')).getAllByTestId(
      /^cluster-row-/,
    );
    // 250 clusters in the group, only a window of them in the DOM.
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(20);
  });

  it('renders the 2,000-column matrix as a virtual grid', async () => {
    const fleet = applyFilters(big, EMPTY_FILTERS);
    // How fast is for bench/frontend.bench.js; this checks that the grid is virtual.
    const { rerender, container } = await renderInTestApp(<div />);
    rerender(
      <ApplicationMatrix
        topology={big}
        fleet={fleet}
        onSelectCluster={() => {}}
      />,
    );
    expect(
      screen.getByRole('region', {
        name: 'Applications by cluster: 20 applications on 2000 clusters',
      }),
    ).toBeInTheDocument();
    // (A CSS query: role queries over thousands of nodes are slow in jsdom.)
    const cells = container.querySelectorAll(
      'button[aria-label*=" on cluster-"]',
    );
    expect(cells.length).toBeGreaterThan(100);
    // Visible window plus overscan, not 40,000 cells.
    expect(cells.length).toBeLessThan(1000);
  });

  it('re-renders the topology for a narrower filter: one group left', async () => {
    const all = applyFilters(big, EMPTY_FILTERS);
    const { rerender } = await renderInTestApp(
      <TopologyView topology={big} fleet={all} onSelectCluster={() => {}} />,
    );
    expect(screen.getByTestId('group-group-0')).toBeInTheDocument();
    const narrowed = applyFilters(big, {
      ...EMPTY_FILTERS,
      groups: ['group-3'],
      healths: ['Degraded'],
    });
    rerender(
      <TopologyView
        topology={big}
        fleet={narrowed}
        onSelectCluster={() => {}}
      />,
    );
    expect(screen.queryByTestId('group-group-0')).not.toBeInTheDocument();
    const headers = screen.getAllByRole('button', { name: /^Group group-/ });
    expect(headers).toHaveLength(1);
    expect(headers[0]).toHaveAccessibleName(/^Group group-3/);
    // Still a big group: collapsed, so no row is rendered until it is opened.
    expect(screen.queryAllByTestId(/^cluster-row-/)).toHaveLength(0);
  });
});
