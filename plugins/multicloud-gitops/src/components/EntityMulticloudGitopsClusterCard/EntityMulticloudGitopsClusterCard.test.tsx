/** @jsxImportSource react */
import { screen, within } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  SOURCE_ERROR,
  SOURCES_OK,
  clusterDetails,
} from '../../__testUtils__/fleet';
import { BASE, createEventChannel } from '../../__testUtils__/msw';
import {
  clusterEntity,
  createTestClient,
  renderWithEntity,
} from '../../__testUtils__/render';
import { EntityMulticloudGitopsClusterCard } from './EntityMulticloudGitopsClusterCard';

const server = setupServer();
registerMswTestHooks(server);

let detailRequests: string[] = [];

function serve(
  respond: (cluster: string) => Response = c =>
    HttpResponse.json(clusterDetails(c)),
) {
  detailRequests = [];
  server.use(
    createEventChannel().handler,
    http.get(`${BASE}/hubs/:hub/clusters/:cluster`, ({ params }) => {
      detailRequests.push(`${params.hub}/${params.cluster}`);
      return respond(params.cluster as string);
    }),
  );
}

function render(entity: Entity) {
  return renderWithEntity(<EntityMulticloudGitopsClusterCard />, {
    api: createTestClient(),
    entity,
  });
}

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('EntityMulticloudGitopsClusterCard', () => {
  it("shows the cluster's status, versions, links, nodes, policies and applications", async () => {
    serve();
    await render(clusterEntity('prod-hub', 'west-1'));

    expect(
      await screen.findByText('Hub Production hub · pattern multicloud-gitops'),
    ).toBeInTheDocument();
    expect(detailRequests).toEqual(['prod-hub/west-1']);
    expect(screen.getByText('Cluster west-1')).toBeInTheDocument();
    // Status in words (beside its icon) and why.
    expect(screen.getByText('Unavailable')).toBeInTheDocument();
    // The reason stands under the status, not only in the conditions table.
    const reasons = screen.getAllByText(
      'ManagedClusterLeaseUpdateStopped: Registration agent stopped updating its lease.',
    );
    expect(reasons.some(r => !r.closest('section'))).toBe(true);
    expect(screen.getByText(/Group group-one/)).toBeInTheDocument();

    const versions = screen.getByRole('region', { name: 'Versions' });
    expect(within(versions).getByText('4.16.12')).toBeInTheDocument();
    expect(within(versions).getByText('v1.29.8')).toBeInTheDocument();
    expect(
      within(versions).getByText('OpenShift · Azure · westeurope'),
    ).toBeInTheDocument();

    const openIn = screen.getByRole('navigation', { name: 'Open in' });
    expect(
      within(openIn)
        .getAllByRole('link')
        .map(l => [l.textContent, l.getAttribute('href')]),
    ).toEqual([
      [
        'OpenShift console, Opens in a new window',
        'https://console-openshift-console.apps.west-1.example.com',
      ],
      [
        'ACM console, Opens in a new window',
        expect.stringContaining('/details/west-1/west-1/overview'),
      ],
      [
        'Argo CD, Opens in a new window',
        expect.stringContaining('applications?cluster=west-1'),
      ],
    ]);
    // On its own entity page the cluster does not link to itself.
    expect(
      within(openIn).queryByRole('link', { name: 'Catalog page' }),
    ).not.toBeInTheDocument();

    const nodes = screen.getByRole('region', { name: 'Nodes (3)' });
    expect(within(nodes).getByText('Not ready')).toBeInTheDocument();
    const policies = screen.getByRole('region', { name: 'Policies (2)' });
    expect(within(policies).getByText('Non-compliant')).toBeInTheDocument();

    const apps = screen.getByRole('table', { name: 'Applications on west-1' });
    const hello = within(apps).getByTestId('drawer-app-hello-world');
    expect(within(hello).getByText('Out of sync')).toBeInTheDocument();
    expect(within(hello).getByText('Missing')).toBeInTheDocument();
    // No Sync/Refresh: a cluster entity is not what the sync permission is granted on.
    expect(
      within(apps).queryByRole('columnheader', { name: 'Actions' }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('region', { name: 'Data source problems' }),
    ).not.toBeInTheDocument();
  });

  it('names the cluster and the hub when the hub no longer has the cluster', async () => {
    serve(c =>
      HttpResponse.json(
        {
          error: {
            name: 'NotFoundError',
            message: `Hub "prod-hub" has no managed cluster "${c}"`,
          },
          response: { statusCode: 404 },
        },
        { status: 404 },
      ),
    );
    await render(clusterEntity('prod-hub', 'gone-1'));
    expect(
      await screen.findByText('Cluster gone-1 is not on hub prod-hub'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Hub "prod-hub" has no managed cluster "gone-1"\. The hub no longer lists/,
      ),
    ).toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Versions' })).toBeNull();
  });

  it('says which annotation to add, without asking the backend', async () => {
    serve();
    const entity = clusterEntity('prod-hub', 'west-1');
    delete entity.metadata.annotations!['validatedpatterns.io/cluster'];
    await render(entity);
    expect(
      screen.getByText('This entity does not name a managed cluster'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /Add the validatedpatterns\.io\/cluster annotation to this entity's catalog-info\.yaml/,
      ),
    ).toBeInTheDocument();
    expect(detailRequests).toEqual([]);
  });

  it('relays what to fix when the backend rejects an annotation', async () => {
    serve(() =>
      HttpResponse.json(
        {
          error: {
            name: 'InputError',
            message: 'cluster "East_1" is not a DNS-1123 label',
          },
          response: { statusCode: 400 },
        },
        { status: 400 },
      ),
    );
    await render(clusterEntity('prod-hub', 'East_1'));
    expect(
      await screen.findByText('cluster "East_1" is not a DNS-1123 label'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('This entity does not name a managed cluster'),
    ).toBeInTheDocument();
  });

  it('shows a banner for a source in error above the details', async () => {
    serve(c =>
      HttpResponse.json({
        ...clusterDetails(c),
        sources: [...SOURCES_OK.slice(0, 2), SOURCE_ERROR],
      }),
    );
    await render(clusterEntity('prod-hub', 'east-1'));
    const banners = await screen.findByRole('region', {
      name: 'Data source problems',
    });
    expect(
      within(banners).getByText(/Argo CD \(argocd\/hub\) is failing since/),
    ).toBeInTheDocument();
    expect(screen.getByText('Cluster east-1')).toBeInTheDocument();
    expect(
      screen.getByRole('region', { name: 'Nodes (3)' }),
    ).toBeInTheDocument();
  });
});
