/** @jsxImportSource react */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { HUBS } from '../../__testUtils__/fleet';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import {
  PATTERN_ENTITY,
  currentSearch,
  renderWithEntity,
} from '../../__testUtils__/render';
import { MulticloudGitopsPage } from './MulticloudGitopsPage';

const TWO_HUBS = {
  hubs: [
    HUBS.hubs[0],
    {
      id: 'lab-hub',
      title: 'Lab hub',
      sources: [
        {
          name: 'acm',
          kind: 'acm' as const,
          state: 'error' as const,
          since: '2026-11-25T09:00:00.000Z',
          message: 'hub API unreachable',
        },
      ],
      clusterCount: 0,
      applicationCount: 0,
    },
  ],
};

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('MulticloudGitopsPage', () => {
  it('lists the hubs and shows the selected hub pattern topology', async () => {
    const { api } = createFakeApi({ getHubs: jest.fn(async () => TWO_HUBS) });
    // No System stands for the pattern in the catalog: nothing to check a sync against.
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      catalogEntities: [],
    });

    expect(screen.getByRole('heading', { name: 'Fleet' })).toBeInTheDocument();
    expect(screen.getByRole('tab', { name: 'Production hub' })).toHaveAttribute(
      'aria-selected',
      'true',
    );
    expect(await screen.findByTestId('cluster-row-west-1')).toBeInTheDocument();
    expect(api.getTopology).toHaveBeenCalledWith(
      { pattern: 'multicloud-gitops', hub: 'prod-hub' },
      expect.anything(),
    );
    expect(
      screen.getByText(
        /Pattern multicloud-gitops · 5 clusters · 11 applications/,
      ),
    ).toBeInTheDocument();
    // No pattern System in the catalog: nothing to authorize a sync against, so no actions.
    await userEvent.click(
      screen.getByRole('button', { name: 'Open details of cluster east-1' }),
    );
    expect(
      await screen.findByTestId('drawer-app-hello-world'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Sync / }),
    ).not.toBeInTheDocument();
  });

  it('switches hub through the URL and explains a hub without a pattern', async () => {
    const { api } = createFakeApi({ getHubs: jest.fn(async () => TWO_HUBS) });
    await renderWithEntity(<MulticloudGitopsPage />, {
      api,
      route: '/?group=hub',
    });
    await screen.findByTestId('cluster-row-local-cluster');
    await userEvent.click(screen.getByRole('tab', { name: 'Lab hub' }));
    await waitFor(() =>
      expect(currentSearch(screen).toString()).toBe('hub=lab-hub'),
    );
    expect(
      await screen.findByText('Hub Lab hub has no pattern yet'),
    ).toBeInTheDocument();
    expect(screen.getByText('Error')).toBeInTheDocument();
  });

  it("offers Sync to those the pattern's System allows, and syncs against it", async () => {
    const { api } = createFakeApi({ getHubs: jest.fn(async () => TWO_HUBS) });
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
    const { api } = createFakeApi({ getHubs: jest.fn(async () => TWO_HUBS) });
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
  });

  it('shows an error panel when the hubs cannot be loaded', async () => {
    const { api } = createFakeApi({
      getHubs: jest.fn(async () => Promise.reject(new Error('backend down'))),
    });
    await renderWithEntity(<MulticloudGitopsPage />, { api });
    expect(await screen.findByText('Error: backend down')).toBeInTheDocument();
  });
});
