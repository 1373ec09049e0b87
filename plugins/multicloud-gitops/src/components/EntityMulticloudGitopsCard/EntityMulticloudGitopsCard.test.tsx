/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  TOPOLOGY,
  HUB,
  buildTopology,
  SOURCES_OK,
  SOURCE_ERROR,
  fleetAnswer,
} from '../../__testUtils__/fleet';
import { FleetRequest } from '../../api';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import {
  PATTERN_ENTITY,
  PLAIN_ENTITY,
  renderWithEntity,
} from '../../__testUtils__/render';
import { EntityMulticloudGitopsCard } from './EntityMulticloudGitopsCard';

const mountedRoutes = { '/catalog/:namespace/:kind/:name': entityRouteRef };

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

/** The fake backend's paged answers over `topology`. */
const cardApi = (topology = TOPOLOGY, getFleet?: jest.Mock) =>
  createFakeApi({
    getFleet:
      getFleet ??
      jest.fn(async (r: FleetRequest) => fleetAnswer(r, [topology])),
  });

describe('EntityMulticloudGitopsCard', () => {
  it('summarises hub, sources, clusters and applications, worst problems first', async () => {
    const { api } = cardApi();
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });

    expect(
      await screen.findByText('Hub Production hub · pattern multicloud-gitops'),
    ).toBeInTheDocument();
    // One block of the paged answer, worst clusters first: never the whole fleet.
    expect(api.getFleet.mock.calls.map(([r]) => r)).toEqual([
      expect.objectContaining({
        entityRef: 'system:default/multicloud-gitops',
        sort: 'status',
        offset: 0,
        limit: 100,
        appLimit: 50,
      }),
    ]);
    expect(api.getEntityTopology).not.toHaveBeenCalled();

    const clusters = screen.getByLabelText('Clusters by status');
    expect(within(clusters).getByText('5 clusters')).toBeInTheDocument();
    expect(within(clusters).getByText('Available 3')).toBeInTheDocument();
    expect(within(clusters).getByText('Unavailable 1')).toBeInTheDocument();
    expect(within(clusters).getByText('Pending import 1')).toBeInTheDocument();

    const apps = screen.getByLabelText('Applications by sync and health');
    expect(within(apps).getByText('11 apps:')).toBeInTheDocument();
    expect(within(apps).getByText('Out of sync 2')).toBeInTheDocument();
    expect(within(apps).getByText('Degraded 1')).toBeInTheDocument();

    expect(
      within(screen.getByLabelText('Data sources')).getAllByText('OK'),
    ).toHaveLength(3);

    // Problems: clusters first (unavailable before pending import), then apps worst first.
    expect(screen.getByText('Needs attention (7)')).toBeInTheDocument();
    const list = screen.getByRole('list', { name: 'Problems, worst first' });
    const items = within(list).getAllByRole('link');
    expect(items.map(i => i.textContent)).toEqual([
      'cluster west-1',
      'cluster edge-2',
      'hello-world on east-1',
      'hello-world on west-1',
      'config-demo on west-1',
      'and 2 more in the Fleet tab',
    ]);
    // Each problem says what is wrong in words next to its icon.
    expect(
      within(list)
        .getAllByRole('listitem')
        .map(li => li.textContent),
    ).toEqual([
      'Unavailablecluster west-1',
      'Pending importcluster edge-2',
      'DegradedSyncedhello-world on east-1',
      'MissingOut of synchello-world on west-1',
      'Health unknownSync unknownconfig-demo on west-1',
      'and 2 more in the Fleet tab',
    ]);
    expect(items[0]).toHaveAttribute(
      'href',
      '/catalog/default/system/multicloud-gitops/multicloud-gitops?cluster=west-1&clusterHub=prod-hub',
    );
    expect(screen.getByText('Open the Fleet tab').closest('a')).toHaveAttribute(
      'href',
      '/catalog/default/system/multicloud-gitops/multicloud-gitops',
    );
  });

  it('sums a pattern that runs on several hubs, naming each hub', async () => {
    const dr = buildTopology(TOPOLOGY.clusters, TOPOLOGY.applications, {
      hub: { id: 'dr-hub', title: 'DR hub' },
      storeId: 'store-dr',
    });
    const { api } = createFakeApi({
      getFleet: jest.fn(async (r: FleetRequest) =>
        fleetAnswer(r, [TOPOLOGY, dr]),
      ),
    });
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });
    expect(
      await screen.findByText(
        'Hub Production hub, DR hub · pattern multicloud-gitops',
      ),
    ).toBeInTheDocument();
    const clusters = screen.getByLabelText('Clusters by status');
    expect(within(clusters).getByText('10 clusters')).toBeInTheDocument();
    const sources = screen.getByLabelText('Data sources');
    expect(within(sources).getAllByText(/^DR hub /)).toHaveLength(3);
    expect(screen.getByText('Needs attention (14)')).toBeInTheDocument();
    const links = within(
      screen.getByRole('list', { name: 'Problems, worst first' }),
    ).getAllByRole('link');
    expect(
      links.some(l => l.getAttribute('href')?.endsWith('clusterHub=dr-hub')),
    ).toBe(true);
  });

  it("shows the System's Pattern: what its app of apps last deployed, its conditions and why it is not in sync", async () => {
    const patternStatus = {
      name: 'multicloud-gitops',
      namespace: 'openshift-operators',
      clusterGroupName: 'hub',
      conditions: [
        {
          type: 'Degraded',
          status: 'True',
          message: 'not all applications are healthy',
        },
      ],
      lastError:
        'values-hub.yaml: clusterGroup.applications.vault: chart is required',
      appOfApps: {
        name: 'multicloud-gitops-hub',
        sync: 'OutOfSync' as const,
        health: 'Degraded' as const,
        revision: '0123456789abcdef',
      },
    };
    const { api } = cardApi(
      buildTopology(undefined, undefined, {
        hub: { ...HUB, patternStatus },
      }),
    );
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });
    const row = await screen.findByLabelText('Pattern multicloud-gitops');
    expect(within(row).getByText('0123456')).toBeInTheDocument();
    expect(within(row).getByText('Degraded: True')).toBeInTheDocument();
    expect(within(row).getByText(/out of sync/i)).toBeInTheDocument();
    expect(
      screen.getByLabelText('Why the pattern is not in sync'),
    ).toHaveTextContent(
      'values-hub.yaml: clusterGroup.applications.vault: chart is required',
    );
  });

  it("leaves the Pattern off a Component's card", async () => {
    const { api } = cardApi(
      buildTopology(undefined, undefined, {
        hub: {
          ...HUB,
          patternStatus: {
            name: 'multicloud-gitops',
            namespace: 'openshift-operators',
            conditions: [],
          },
        },
      }),
    );
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
      entity: {
        ...PATTERN_ENTITY,
        kind: 'Component',
        metadata: { ...PATTERN_ENTITY.metadata, name: 'hello-world' },
      },
    });
    await screen.findByLabelText('Clusters by status');
    expect(
      screen.queryByLabelText('Pattern multicloud-gitops'),
    ).not.toBeInTheDocument();
  });

  it('says when a source is failing', async () => {
    const { api } = cardApi(
      buildTopology(undefined, undefined, {
        sources: [SOURCES_OK[0], SOURCES_OK[1], SOURCE_ERROR],
      }),
    );
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });
    const sources = await screen.findByLabelText('Data sources');
    expect(within(sources).getByText(/Error since/)).toBeInTheDocument();
  });

  it('reports a healthy fleet plainly', async () => {
    const healthy = buildTopology(
      TOPOLOGY.clusters.map(c => ({ ...c, status: 'available' as const })),
      TOPOLOGY.applications.map(a => ({
        ...a,
        sync: 'Synced' as const,
        health: 'Healthy' as const,
      })),
    );
    const { api } = cardApi(healthy);
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });
    expect(
      await screen.findByText(
        'No problems: every cluster is available and every application Synced and Healthy.',
      ),
    ).toBeInTheDocument();
  });

  it('shows a skeleton while loading', async () => {
    const { api } = cardApi(
      TOPOLOGY,
      jest.fn(() => new Promise<never>(() => {})),
    );
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      mountedRoutes,
    });
    expect(screen.getByTestId('fleet-skeleton')).toHaveAttribute(
      'aria-busy',
      'true',
    );
  });

  it('names the annotation to add on an entity without one', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(<EntityMulticloudGitopsCard />, {
      api,
      entity: PLAIN_ENTITY,
      mountedRoutes,
    });
    expect(
      screen.getByText(
        'This entity is not linked to a Multicloud GitOps pattern',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/Add the validatedpatterns.io\/pattern annotation/),
    ).toBeInTheDocument();
    expect(api.getEntityTopology).not.toHaveBeenCalled();
  });
});
