/** @jsxImportSource react */
import { useState } from 'react';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import { historyAnswer, NEW_SHA } from '../../__testUtils__/history';
import { DENY, renderWithEntity } from '../../__testUtils__/render';
import { ClusterDrawer } from '../ClusterDrawer';

// usePermission caches decisions per entity across tests: one entity per test.
let ENTITY_REF = '';
let testNumber = 0;
beforeEach(() => {
  ENTITY_REF = `system:default/what-runs-where-${++testNumber}`;
});

jest.setTimeout(30_000);

const drawer = (cluster: string, focus?: string) => (
  <ClusterDrawer
    hub="prod-hub"
    cluster={cluster}
    entityRef={ENTITY_REF}
    focusApplication={focus}
    onClose={() => {}}
  />
);

describe('what runs where, in the cluster drawer', () => {
  it('shows the spread, the history with commits and, for an OutOfSync application, the diff per resource', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(drawer('west-1', 'hello-world'), { api });

    // The picker's accessible name starts with its label, then the chosen application.
    expect(
      await screen.findByRole('button', {
        name: /^Application\b.*hello-world/,
      }),
    ).toBeInTheDocument();
    const spread = await screen.findByRole('region', {
      name: 'Revisions of hello-world',
    });
    expect(within(spread).getByTestId(`spread-${NEW_SHA}`)).toHaveTextContent(
      '9a8b7c6 on 2 clusters (newest): east-1, edge-1',
    );
    expect(spread).toHaveTextContent('Behind 9a8b7c6: west-1');
    expect(spread).toHaveTextContent('Revision unknown on south-1');
    expect(api.getRevisionSpread).toHaveBeenCalledWith(
      { name: 'hello-world', entityRef: ENTITY_REF },
      expect.anything(),
    );

    const history = await screen.findByRole('table', {
      name: 'Sync history of hello-world',
    });
    const current = within(history).getByTestId('history-7');
    expect(current).toHaveTextContent('9a8b7c6 (running)');
    expect(current).toHaveTextContent('Ana Lima <alima@example.com>');
    expect(current).toHaveTextContent('hello-world: raise replicas to 2');
    expect(within(history).getByTestId('history-6')).toHaveTextContent(
      'Failed to checkout revision 5f3c2a1',
    );
    expect(api.getApplicationHistory).toHaveBeenCalledWith(
      expect.objectContaining({
        hub: 'prod-hub',
        cluster: 'west-1',
        name: 'hello-world',
      }),
      expect.anything(),
    );

    // west-1's hello-world is OutOfSync: the modified resource, collapsed until opened
    const diff = await screen.findByRole('region', {
      name: 'Diff of hello-world',
    });
    expect(diff).toHaveTextContent('1 of 2 resources differ');
    expect(screen.queryByText(/replicas: 4/)).not.toBeInTheDocument();
    await userEvent.click(
      within(diff).getByRole('button', {
        name: 'Diff of Deployment/hello-world/hello-world',
      }),
    );
    expect(
      await within(diff).findByText(/^\+\s+replicas: 4$/),
    ).toBeInTheDocument();
    expect(within(diff).getByText(/^-\s+replicas: 2$/)).toBeInTheDocument();
  });

  it('rolls back to an earlier entry after a confirmation, and shows no diff for a synced application', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(drawer('east-1', 'hello-world'), { api });
    await screen.findByRole('table', { name: 'Sync history of hello-world' });
    // the running entry has no Rollback; the earlier one has
    expect(
      screen.queryByRole('button', {
        name: `Roll back hello-world to 9a8b7c6`,
      }),
    ).not.toBeInTheDocument();
    await userEvent.click(
      screen.getByRole('button', { name: 'Roll back hello-world to 5f3c2a1' }),
    );
    const dialog = await screen.findByRole('dialog', {
      name: 'Roll back hello-world on east-1 to 5f3c2a1?',
    });
    expect(api.rollbackApplication).not.toHaveBeenCalled();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Rollback' }),
    );
    expect(await within(dialog).findByRole('status')).toHaveTextContent(
      'Rollback of hello-world to history entry 6 started',
    );
    expect(api.rollbackApplication).toHaveBeenCalledWith({
      hub: 'prod-hub',
      cluster: 'east-1',
      name: 'hello-world',
      namespace: expect.any(String),
      id: 6,
      entityRef: ENTITY_REF,
    });
    expect(api.getApplicationDiff).not.toHaveBeenCalled();
  });

  it('reads the history again when the drawer details show the application changed, not on every reload', async () => {
    const { api } = createFakeApi();
    // The page hands the drawer its fleet version; a new one reloads the details.
    const Page = () => {
      const [version, setVersion] = useState(1);
      return (
        <>
          <button type="button" onClick={() => setVersion(v => v + 1)}>
            new fleet version
          </button>
          <ClusterDrawer
            hub="prod-hub"
            cluster="east-1"
            entityRef={ENTITY_REF}
            focusApplication="hello-world"
            version={version}
            onClose={() => {}}
          />
        </>
      );
    };
    await renderWithEntity(<Page />, { api });
    await screen.findByRole('table', { name: 'Sync history of hello-world' });
    const reads = () => api.getApplicationHistory.mock.calls.length;
    const before = reads();
    const detailsBefore = await api.getClusterDetails.mock.results[0].value;
    const bump = () =>
      userEvent.click(
        screen.getByRole('button', { name: 'new fleet version', hidden: true }),
      );

    // The same application state: the history is not read again.
    await bump();
    await waitFor(() => expect(api.getClusterDetails).toHaveBeenCalledTimes(2));
    expect(reads()).toBe(before);

    // A rollback finished: the details show the application on another commit.
    api.getClusterDetails.mockImplementation(async () => ({
      ...detailsBefore,
      applications: detailsBefore.applications.map((a: { name: string }) =>
        a.name === 'hello-world'
          ? { ...a, revision: '5f3c2a1'.padEnd(40, '0'), sync: 'OutOfSync' }
          : a,
      ),
    }));
    await bump();
    await waitFor(() => expect(reads()).toBe(before + 1), { timeout: 15000 });
  });

  it('offers no Rollback without the sync permission', async () => {
    const denied = createFakeApi();
    await renderWithEntity(drawer('east-1', 'hello-world'), {
      api: denied.api,
      authorize: DENY,
    });
    await screen.findByRole('table', { name: 'Sync history of hello-world' });
    expect(
      screen.queryByRole('button', { name: /^Roll back / }),
    ).not.toBeInTheDocument();
  });

  it('says why a rollback is not offered while Argo CD would refuse it', async () => {
    const { api } = createFakeApi();
    api.getApplicationHistory.mockImplementation(async app =>
      historyAnswer(app, {
        rollbackAllowed: false,
        rollbackReason:
          'Argo CD takes no rollback while auto-sync is on: turn auto-sync off in the repository first',
      }),
    );
    await renderWithEntity(drawer('east-1', 'hello-world'), { api });
    expect(
      await screen.findByText(/No rollback: Argo CD takes no rollback/),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Roll back / }),
    ).not.toBeInTheDocument();
  });

  it('shows why the diff is unavailable, and a history that cannot be read', async () => {
    const { api } = createFakeApi();
    api.getApplicationDiff.mockImplementation(async app => ({
      hub: app.hub,
      cluster: app.cluster,
      application: app.name,
      unavailable:
        "The hub can read hello-world on west-1 but not compare its resources: configure the cluster's Argo CD instance to see the diff",
      resources: [],
    }));
    api.getApplicationHistory.mockRejectedValue(
      await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: {
              name: 'ServiceUnavailableError',
              message: 'Cluster west-1 is not available',
            },
          }),
          { status: 503, headers: { 'Content-Type': 'application/json' } },
        ) as any,
      ),
    );
    await renderWithEntity(drawer('west-1', 'hello-world'), { api });
    expect(await screen.findByRole('note')).toHaveTextContent(
      "No diff: The hub can read hello-world on west-1 but not compare its resources: configure the cluster's Argo CD instance",
    );
    await waitFor(() =>
      expect(
        screen.getByText(/Cannot load the history of hello-world/),
      ).toHaveTextContent('Cluster west-1 is not available'),
    );
  });

  it('loads nothing from Argo CD until an application is chosen', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(drawer('east-1'), { api });
    await screen.findByTestId('drawer-app-hello-world');
    expect(api.getApplicationHistory).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: /application/i }));
    await userEvent.click(
      await screen.findByRole('option', { name: 'config-demo' }),
    );
    await screen.findByRole('table', { name: 'Sync history of config-demo' });
    expect(api.getApplicationHistory).toHaveBeenCalledTimes(1);
  });
});
