/** @jsxImportSource react */
// Long because the tab is tested as a user meets it: scope, filters in the URL, drawer, sync
// and source errors, each through the rendered tab.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  APPLICATIONS,
  SOURCES_OK,
  SOURCE_ERROR,
  TOPOLOGY,
  buildLargeTopology,
  buildTopology,
  clusterDetails,
} from '../../__testUtils__/fleet';
import { FleetRequest } from '../../api';
import {
  BASE,
  createEventChannel,
  fleetHandler,
} from '../../__testUtils__/msw';
import {
  PATTERN_ENTITY,
  PLAIN_ENTITY,
  clusterEntity,
  createTestClient,
  currentSearch,
  renderWithEntity,
} from '../../__testUtils__/render';
import {
  EntityMulticloudGitopsContent,
  WHOLE_VIEW_MAX_CLUSTERS,
} from './EntityMulticloudGitopsContent';

const server = setupServer();
registerMswTestHooks(server);

let channel: ReturnType<typeof createEventChannel>;
let topologyRequests = 0;

function serve(topology = TOPOLOGY) {
  channel = createEventChannel();
  topologyRequests = 0;
  server.use(
    channel.handler,
    fleetHandler(() => [topology]),
    http.get(`${BASE}/entity-topology`, ({ request }) => {
      topologyRequests++;
      expect(new URL(request.url).searchParams.get('entityRef')).toBe(
        'system:default/multicloud-gitops',
      );
      return HttpResponse.json(topology);
    }),
    http.get(`${BASE}/hubs/prod-hub/clusters/:cluster`, ({ params }) =>
      HttpResponse.json(clusterDetails(params.cluster as string)),
    ),
  );
}

function render(route = '/') {
  return renderWithEntity(<EntityMulticloudGitopsContent />, {
    api: createTestClient(),
    route,
  });
}

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('EntityMulticloudGitopsContent', () => {
  it('shows the topology: hub, groups, clusters with status text and app counts', async () => {
    serve();
    await render();
    expect(await screen.findByText(/Hub Production hub/)).toBeInTheDocument();
    for (const g of ['hub', 'group-one', 'group-two']) {
      expect(screen.getByTestId(`group-${g}`)).toBeInTheDocument();
    }
    const west = screen.getByTestId('cluster-row-west-1');
    expect(within(west).getByText('Unavailable')).toBeInTheDocument();
    expect(within(west).getByText('2 apps:')).toBeInTheDocument();
    expect(within(west).getByText(/Missing/)).toBeInTheDocument();
    expect(within(west).getByText('2 policy violations')).toBeInTheDocument();
    expect(
      within(screen.getByTestId('cluster-row-edge-2')).getByText(
        'Pending import',
      ),
    ).toBeInTheDocument();
    expect(
      within(screen.getByTestId('cluster-row-edge-2')).getByText(
        'No applications',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Showing 5 of 5 clusters and 11 of 11 applications'),
    ).toBeInTheDocument();
  });

  it('collapses and expands a group', async () => {
    serve();
    await render();
    const header = await screen.findByRole('button', {
      name: /Group group-two/,
    });
    expect(header).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(header);
    expect(header).toHaveAttribute('aria-expanded', 'false');
    expect(screen.queryByTestId('cluster-row-edge-1')).not.toBeInTheDocument();
    await userEvent.click(header);
    expect(screen.getByTestId('cluster-row-edge-1')).toBeInTheDocument();
  });

  it('filters by group and text, and keeps the filters in the URL', async () => {
    serve();
    await render();
    await screen.findByTestId('cluster-row-east-1');

    await userEvent.click(screen.getByRole('button', { name: 'Group: all' }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'group-one' }),
    );
    await userEvent.keyboard('{Escape}');

    await waitFor(() =>
      expect(currentSearch(screen).getAll('group')).toEqual(['group-one']),
    );
    await waitFor(() =>
      expect(
        screen.queryByTestId('cluster-row-edge-1'),
      ).not.toBeInTheDocument(),
    );
    expect(screen.getByTestId('cluster-row-east-1')).toBeInTheDocument();
    expect(screen.getByTestId('cluster-row-west-1')).toBeInTheDocument();

    await userEvent.type(
      screen.getByLabelText('Search clusters and applications'),
      'west',
    );
    await waitFor(() => expect(currentSearch(screen).get('q')).toBe('west'));
    await waitFor(() =>
      expect(
        screen.queryByTestId('cluster-row-east-1'),
      ).not.toBeInTheDocument(),
    );
    expect(
      screen.getByText('Showing 1 of 5 clusters and 2 of 11 applications'),
    ).toBeInTheDocument();

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() => expect(currentSearch(screen).toString()).toBe(''));
    // Clearing them shows the whole fleet again, not only an empty URL.
    expect(
      await screen.findByText(
        'Showing 5 of 5 clusters and 11 of 11 applications',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('cluster-row-edge-1')).toBeInTheDocument();
  });

  it('applies filters from a shared link', async () => {
    serve();
    await render('/?health=Degraded&health=Missing');
    await screen.findByText(/Hub Production hub/);
    expect(screen.getByTestId('cluster-row-east-1')).toBeInTheDocument();
    expect(screen.getByTestId('cluster-row-west-1')).toBeInTheDocument();
    expect(
      screen.queryByTestId('cluster-row-local-cluster'),
    ).not.toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Health: Degraded, Missing' }),
    ).toBeInTheDocument();
  });

  it('shows the application x cluster matrix grouped by cluster group', async () => {
    serve();
    await render();
    await screen.findByText(/Hub Production hub/);
    await userEvent.click(
      screen.getByRole('tab', { name: 'Application matrix' }),
    );
    await waitFor(() =>
      expect(currentSearch(screen).get('view')).toBe('matrix'),
    );
    const matrix = screen.getByRole('region', {
      name: /Applications by cluster: 6 applications on 5 clusters/,
    });
    expect(
      within(matrix).getByRole('button', {
        name: 'hello-world on west-1: Out of sync, Missing',
      }),
    ).toBeInTheDocument();
    expect(
      within(matrix).getByRole('button', {
        name: 'hello-world on east-1: Synced, Degraded, last operation Failed',
      }),
    ).toBeInTheDocument();
    expect(
      within(matrix).getByRole('button', {
        name: 'Cluster edge-2 in group group-two: Pending import',
      }),
    ).toBeInTheDocument();
    // Columns are ordered by group: hub, group-one, group-two.
    const columns = within(matrix)
      .getAllByRole('button', { name: /^Cluster / })
      .map(b => b.getAttribute('aria-label')!.split(' ')[1]);
    expect(columns).toEqual([
      'local-cluster',
      'east-1',
      'west-1',
      'edge-1',
      'edge-2',
    ]);

    // A cell opens the drawer of its cluster.
    await userEvent.click(
      within(matrix).getByRole('button', { name: /hello-world on west-1/ }),
    );
    await waitFor(() =>
      expect(currentSearch(screen).get('cluster')).toBe('west-1'),
    );
    expect(
      await screen.findByRole('heading', { name: 'Cluster west-1' }),
    ).toBeInTheDocument();
  });

  it('moves through the matrix with the arrow keys (one tab stop)', async () => {
    serve();
    await render('/?view=matrix');
    const matrix = await screen.findByRole('region', {
      name: /^Applications by cluster/,
    });
    const tabbable = () =>
      within(matrix)
        .getAllByRole('button', { name: / on / })
        .filter(b => b.tabIndex === 0);
    expect(tabbable().map(b => b.getAttribute('aria-label'))).toEqual([
      'config-demo on local-cluster: Out of sync, Healthy',
    ]);
    tabbable()[0].focus();
    await userEvent.keyboard('{ArrowRight}');
    expect(document.activeElement).toHaveAccessibleName(
      'config-demo on east-1: Synced, Healthy',
    );
    // Down skips rows without an application on that cluster.
    await userEvent.keyboard('{ArrowDown}');
    expect(document.activeElement).toHaveAccessibleName(
      'hello-world on east-1: Synced, Degraded, last operation Failed',
    );
    await userEvent.keyboard('{End}');
    expect(document.activeElement).toHaveAccessibleName(
      'hello-world on edge-1: Synced, Progressing, last operation Running',
    );
    expect(tabbable()).toHaveLength(1);
    await userEvent.keyboard('{Enter}');
    await waitFor(() =>
      expect(currentSearch(screen).get('cluster')).toBe('edge-1'),
    );
  });

  it('opens a cluster drawer with conditions, versions, nodes, policies, apps and links', async () => {
    serve();
    await render();
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Open details of cluster west-1',
      }),
    );
    await waitFor(() =>
      expect(currentSearch(screen).get('cluster')).toBe('west-1'),
    );
    const drawer = await screen.findByRole('presentation');
    expect(
      await within(drawer).findByText('ManagedClusterConditionAvailable'),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByText('ManagedClusterLeaseUpdateStopped'),
    ).toBeInTheDocument();
    expect(within(drawer).getByText('4.16.12')).toBeInTheDocument();
    expect(within(drawer).getByText('west-1-worker-1')).toBeInTheDocument();
    expect(within(drawer).getByText('Not ready')).toBeInTheDocument();
    expect(within(drawer).getByText('hub-argo-ca-policy')).toBeInTheDocument();
    expect(within(drawer).getByText('Non-compliant')).toBeInTheDocument();
    expect(
      within(drawer).getByRole('link', {
        name: 'OpenShift console, Opens in a new window',
      }),
    ).toHaveAttribute(
      'href',
      'https://console-openshift-console.apps.west-1.example.com',
    );
    expect(
      within(drawer).getByRole('link', {
        name: 'ACM console, Opens in a new window',
      }),
    ).toBeInTheDocument();
    expect(
      within(drawer).getByRole('link', {
        name: 'Argo CD, Opens in a new window',
      }),
    ).toBeInTheDocument();
    // Worst application first.
    const rows = within(
      within(drawer).getByRole('table', { name: 'Applications on west-1' }),
    ).getAllByRole('row');
    expect(rows[1]).toHaveTextContent('hello-world');
    expect(
      within(drawer).getByRole('button', {
        name: 'Sync hello-world on west-1',
      }),
    ).toBeInTheDocument();

    await userEvent.click(
      within(drawer).getByRole('button', { name: 'Close cluster details' }),
    );
    await waitFor(() =>
      expect(currentSearch(screen).get('cluster')).toBeNull(),
    );
  });

  it('links clusters the catalog has, asking the catalog once for the topology and the drawer', async () => {
    serve();
    const catalogApi = catalogApiMock({
      entities: [
        PATTERN_ENTITY,
        clusterEntity('prod-hub', 'west-1'),
        clusterEntity('prod-hub', 'edge-1'),
      ],
    });
    const getEntities = jest.spyOn(catalogApi, 'getEntities');
    await renderWithEntity(<EntityMulticloudGitopsContent />, {
      api: createTestClient(),
      catalogApi,
      route: '/?cluster=west-1',
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    });
    const drawer = await screen.findByRole('dialog', {
      name: 'Cluster west-1',
    });
    expect(
      await within(drawer).findByRole('link', { name: 'Catalog page' }),
    ).toHaveAttribute('href', '/catalog/default/resource/prod-hub-west-1');
    for (const [cluster, linked] of [
      ['west-1', true],
      ['edge-1', true],
      ['east-1', false],
      ['edge-2', false],
    ] as const) {
      const row = screen.getByTestId(`cluster-row-${cluster}`);
      // The open drawer is modal, so the page behind it is aria-hidden.
      const link = within(row).queryByRole('link', {
        name: `Catalog page of cluster ${cluster}`,
        hidden: true,
      });
      expect([cluster, Boolean(link)]).toEqual([cluster, linked]);
    }
    expect(getEntities).toHaveBeenCalledTimes(1);
  });

  it('keeps what it knows about a cluster when its details cannot be loaded', async () => {
    serve();
    server.use(
      http.get(`${BASE}/hubs/prod-hub/clusters/:cluster`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'cluster west-1 left the fleet',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    await render('/?cluster=west-1');
    const drawer = await screen.findByRole('dialog', {
      name: 'Cluster west-1',
    });
    // The error panel repeats the message in its title and its details.
    expect(
      (await within(drawer).findAllByText(/cluster west-1 left the fleet/))
        .length,
    ).toBeGreaterThan(0);
    // The topology's summary and live applications are still shown.
    expect(within(drawer).getByText('Unavailable')).toBeInTheDocument();
    expect(
      within(drawer).getByTestId('drawer-app-hello-world'),
    ).toBeInTheDocument();
  });

  it('shows a banner for a source in error, saying since when and why', async () => {
    serve(
      buildTopology(undefined, undefined, {
        sources: [SOURCES_OK[0], SOURCES_OK[1], SOURCE_ERROR],
      }),
    );
    await render();
    const banner = await screen.findByRole('region', {
      name: 'Data source problems',
    });
    expect(
      within(banner).getByText(
        /Error: Argo CD \(argocd\/hub\) is failing since/,
      ),
    ).toBeInTheDocument();
    expect(
      within(banner).getByText(/renew the token of instance "hub"/),
    ).toBeInTheDocument();
    expect(
      within(banner).getByText(/Last successful read:/),
    ).toBeInTheDocument();
    // The rest of the answer is still shown.
    expect(screen.getByTestId('cluster-row-east-1')).toBeInTheDocument();
  });

  it("pages the fleet of a pattern that runs on several hubs, or past the whole view's size", async () => {
    serve();
    const seen: FleetRequest[] = [];
    const second = buildTopology(TOPOLOGY.clusters, TOPOLOGY.applications, {
      hub: { id: 'dr-hub', title: 'DR hub' },
      storeId: 'store-dr',
    });
    server.use(
      channel.handler,
      fleetHandler(() => [TOPOLOGY, second], seen),
    );
    await render();
    expect(
      await screen.findByRole('region', { name: 'Hub DR hub' }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Showing 10 of 10 clusters and 22 of 22 applications'),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('button', {
        name: 'Open details of cluster west-1 on hub dr-hub',
      }),
    ).toBeInTheDocument();
    expect(seen.length).toBeGreaterThan(1);
    expect(
      seen.every(r => r.entityRef === 'system:default/multicloud-gitops'),
    ).toBe(true);
    // The paged view never asks for the whole topology.
    expect(topologyRequests).toBe(0);

    // One hub, but more clusters than the whole view draws.
    const large = buildLargeTopology(WHOLE_VIEW_MAX_CLUSTERS + 1, 1);
    server.use(fleetHandler(() => [large]));
    await render();
    expect(
      await screen.findByText(
        `Showing ${WHOLE_VIEW_MAX_CLUSTERS + 1} of ${
          WHOLE_VIEW_MAX_CLUSTERS + 1
        } clusters and ${WHOLE_VIEW_MAX_CLUSTERS + 1} of ${
          WHOLE_VIEW_MAX_CLUSTERS + 1
        } applications`,
      ),
    ).toBeInTheDocument();
    expect(topologyRequests).toBe(0);
  });

  it('explains which annotation to add when the backend rejects the entity', async () => {
    server.use(
      channel?.handler ?? createEventChannel().handler,
      http.get(`${BASE}/fleet`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message:
                'system:default/multicloud-gitops has validatedpatterns.io/pattern=other but no hub runs it; add validatedpatterns.io/hub',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        ),
      ),
    );
    await render();
    expect(
      await screen.findByText(
        'This entity is not linked to a Multicloud GitOps pattern',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/add validatedpatterns.io\/hub/),
    ).toBeInTheDocument();
  });

  it('shows the empty state without calling the backend when the entity has no annotation', async () => {
    serve();
    await renderWithEntity(<EntityMulticloudGitopsContent />, {
      api: createTestClient(),
      entity: PLAIN_ENTITY,
    });
    expect(
      await screen.findByText(
        'This entity is not linked to a Multicloud GitOps pattern',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Add the validatedpatterns.io\/pattern annotation/),
    ).toBeInTheDocument();
    expect(topologyRequests).toBe(0);
  });

  it('updates live when the backend pushes a change for its hub', async () => {
    let current = TOPOLOGY;
    channel = createEventChannel();
    server.use(
      channel.handler,
      fleetHandler(() => [current]),
      http.get(`${BASE}/entity-topology`, () => HttpResponse.json(current)),
    );
    await render();
    await screen.findByTestId('cluster-row-west-1');
    expect(await screen.findByText('Live')).toBeInTheDocument();

    // west-1 comes back and its applications recover.
    current = buildTopology(
      TOPOLOGY.clusters.map(c =>
        c.name === 'west-1' ? { ...c, status: 'available' as const } : c,
      ),
      APPLICATIONS.map(a =>
        a.cluster === 'west-1'
          ? { ...a, sync: 'Synced' as const, health: 'Healthy' as const }
          : a,
      ),
      { version: 43 },
    );
    channel.send({ hub: 'other-hub', storeId: 'store-a', version: 99 }); // another hub: ignored
    channel.send({ hub: 'prod-hub', storeId: 'store-a', version: 43 });
    await waitFor(() =>
      expect(
        within(screen.getByTestId('cluster-row-west-1')).getByText('Available'),
      ).toBeInTheDocument(),
    );
  });
});
