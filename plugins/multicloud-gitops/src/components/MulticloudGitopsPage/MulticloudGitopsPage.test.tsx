/** @jsxImportSource react */
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { FleetRequest } from '../../api';
import {
  TOPOLOGY,
  buildLargeTopology,
  buildTopology,
  fleetAnswer,
} from '../../__testUtils__/fleet';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import {
  PATTERN_ENTITY,
  currentSearch,
  renderWithEntity,
} from '../../__testUtils__/render';
import { MulticloudGitopsPage } from './MulticloudGitopsPage';

/** A second hub that has no cluster yet and whose hub API is unreachable. */
const LAB = buildTopology([], [], {
  hub: { id: 'lab-hub', title: 'Lab hub' },
  pattern: '',
  storeId: 'store-lab',
  sources: [
    {
      name: 'acm',
      kind: 'acm',
      state: 'error',
      since: '2026-11-25T09:00:00.000Z',
      message: 'hub API unreachable',
    },
  ],
});

function fleetOf(...topologies: (typeof TOPOLOGY)[]) {
  return createFakeApi({
    getFleet: jest.fn(async (r: FleetRequest) => fleetAnswer(r, topologies)),
  });
}

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('MulticloudGitopsPage', () => {
  it('shows every hub with its groups and the clusters of all hubs, one page at a time', async () => {
    const { api } = fleetOf(TOPOLOGY, LAB);
    // No System stands for the pattern in the catalog: nothing to check a sync against.
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      catalogEntities: [],
    });
    expect(screen.getByRole('heading', { name: 'Fleet' })).toBeInTheDocument();
    const prod = await screen.findByRole('region', {
      name: 'Hub Production hub',
    });
    expect(
      within(prod).getByText(
        /Pattern multicloud-gitops · 5 clusters · 11 applications/,
      ),
    ).toBeInTheDocument();
    const lab = screen.getByRole('region', { name: 'Hub Lab hub' });
    expect(
      within(lab).getByText(/No pattern detected yet/),
    ).toBeInTheDocument();
    // The lab hub's source error is a banner, and says why.
    expect(screen.getByText(/hub API unreachable/)).toBeInTheDocument();
    expect(await screen.findByTestId('cluster-row-west-1')).toBeInTheDocument();
    expect(
      screen.getByText('Showing 5 of 5 clusters and 11 of 11 applications'),
    ).toBeInTheDocument();
    // One page of rows, no application window: the list needs roll-ups only.
    expect(api.getFleet).toHaveBeenCalledWith(
      expect.objectContaining({ offset: 0, limit: 100, appLimit: 0 }),
      expect.anything(),
    );
    // No pattern System in the catalog: nothing to authorize a sync against, so no actions.
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Open details of cluster east-1 on hub prod-hub',
      }),
    );
    expect(
      await screen.findByTestId('drawer-app-hello-world'),
    ).toBeInTheDocument();
    expect(currentSearch(screen).get('clusterHub')).toBe('prod-hub');
    expect(
      screen.queryByRole('button', { name: /^Sync / }),
    ).not.toBeInTheDocument();
  });

  it('narrows to a group from the overview and sorts on the backend, both kept in the URL', async () => {
    const { api } = fleetOf(TOPOLOGY, LAB);
    await renderWithEntity(<MulticloudGitopsPage />, { api });
    await screen.findByTestId('cluster-row-west-1');
    await userEvent.click(screen.getByTestId('group-group-one'));
    await waitFor(() =>
      expect(currentSearch(screen).getAll('group')).toEqual(['group-one']),
    );
    await waitFor(() =>
      expect(screen.queryByTestId('cluster-row-local-cluster')).toBeNull(),
    );
    expect(screen.getByTestId('group-group-one')).toHaveAttribute(
      'aria-pressed',
      'true',
    );
    expect(api.getFleet).toHaveBeenLastCalledWith(
      expect.objectContaining({ groups: ['group-one'] }),
      expect.anything(),
    );

    await userEvent.click(
      screen.getByRole('button', { name: /Sort clusters by/ }),
    );
    await userEvent.click(
      screen.getByRole('option', { name: 'Most problems first' }),
    );
    await waitFor(() =>
      expect(currentSearch(screen).get('sort')).toBe('problems'),
    );
    await waitFor(() =>
      expect(api.getFleet).toHaveBeenLastCalledWith(
        expect.objectContaining({ groups: ['group-one'], sort: 'problems' }),
        expect.anything(),
      ),
    );
  });

  it('asks only for the pages on screen of a large fleet', async () => {
    const large = buildLargeTopology(1000, 2);
    const { api } = fleetOf(large);
    await renderWithEntity(<MulticloudGitopsPage />, { api });
    expect(
      await screen.findByText(
        'Showing 1,000 of 1,000 clusters and 2,000 of 2,000 applications',
      ),
    ).toBeInTheDocument();
    await screen.findByTestId('cluster-row-cluster-0000');
    const offsets = api.getFleet.mock.calls.map(([r]) => r.offset);
    expect(new Set(offsets)).toEqual(new Set([0]));
    // The table says how many rows it has, though only a screenful is drawn.
    expect(screen.getByRole('table', { name: 'Clusters' })).toHaveAttribute(
      'aria-rowcount',
      '1001',
    );
    expect(screen.getAllByRole('row').length).toBeLessThan(40);
  });

  it('loads the matrix by windows of clusters and application names', async () => {
    const { api } = fleetOf(TOPOLOGY, LAB);
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      route: '/?view=matrix',
    });
    expect(
      await screen.findByRole('button', {
        name: /^hello-world on west-1: /,
      }),
    ).toBeInTheDocument();
    expect(api.getFleet).toHaveBeenCalledWith(
      expect.objectContaining({
        offset: 0,
        limit: 100,
        appOffset: 0,
        appLimit: 50,
      }),
      expect.anything(),
    );
  });

  it("offers Sync to those the pattern's System allows, and syncs against it", async () => {
    const { api } = fleetOf(TOPOLOGY, LAB);
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      catalogEntities: [PATTERN_ENTITY],
      route: '/?hub=prod-hub&cluster=east-1',
    });
    const drawer = await screen.findByRole('dialog', {
      name: 'Cluster east-1',
    });
    const row = await within(drawer).findByTestId('drawer-app-hello-world');
    await userEvent.click(
      await within(row).findByRole('button', {
        name: 'Sync hello-world on east-1',
      }),
    );
    const confirm = await screen.findByRole('dialog', {
      name: /Sync hello-world on east-1\?/,
    });
    await userEvent.click(
      within(confirm).getByRole('button', { name: 'Sync' }),
    );
    await waitFor(() =>
      expect(api.syncApplication).toHaveBeenCalledWith(
        expect.objectContaining({
          hub: 'prod-hub',
          name: 'hello-world',
          entityRef: 'system:default/multicloud-gitops',
        }),
      ),
    );
  });

  it('opens the cluster named in a deep link (the onboard-cluster template links here)', async () => {
    const { api } = fleetOf(TOPOLOGY, LAB);
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      route: '/?hub=prod-hub&cluster=west-1',
    });
    expect(
      await screen.findByRole('dialog', { name: 'Cluster west-1' }),
    ).toBeInTheDocument();
    expect(api.getClusterDetails).toHaveBeenCalledWith(
      'prod-hub',
      'west-1',
      expect.anything(),
    );
    // The link narrows the list to its hub.
    expect(api.getFleet).toHaveBeenCalledWith(
      expect.objectContaining({ hubs: ['prod-hub'] }),
      expect.anything(),
    );
  });

  it('asks again for what is on screen when a hub in view announces a newer version', async () => {
    let current = TOPOLOGY;
    const fake = createFakeApi({
      getFleet: jest.fn(async (r: FleetRequest) => fleetAnswer(r, [current])),
    });
    await renderWithEntity(<MulticloudGitopsPage />, { api: fake.api });
    await screen.findByTestId('cluster-row-west-1');
    const calls = fake.api.getFleet.mock.calls.length;
    // An event for a version the view already has changes nothing.
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 42 }));
    // Another hub's event neither.
    act(() => fake.emit({ hub: 'other-hub', storeId: 'x', version: 99 }));
    current = buildTopology(
      TOPOLOGY.clusters.filter(c => c.name !== 'west-1'),
      TOPOLOGY.applications.filter(a => a.cluster !== 'west-1'),
      { version: 43 },
    );
    act(() => fake.emit({ hub: 'prod-hub', storeId: 'store-a', version: 43 }));
    await waitFor(() =>
      expect(screen.queryByTestId('cluster-row-west-1')).toBeNull(),
    );
    expect(fake.api.getFleet.mock.calls.length).toBe(calls + 1);
  });

  it('shows an error panel with a retry when the fleet cannot be loaded', async () => {
    const getFleet = jest
      .fn()
      .mockRejectedValueOnce(new Error('backend down'))
      .mockImplementation(async (r: FleetRequest) => fleetAnswer(r));
    const { api } = createFakeApi({ getFleet });
    await renderWithEntity(<MulticloudGitopsPage />, { api });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('cluster-row-west-1')).toBeInTheDocument();
  });
});
