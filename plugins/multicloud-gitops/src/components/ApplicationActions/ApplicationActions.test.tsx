/** @jsxImportSource react */
import { useState } from 'react';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ResponseError } from '@backstage/errors';
import {
  ApplicationActionResponse,
  ApplicationSummary,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { applicationKey } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { APPLICATIONS } from '../../__testUtils__/fleet';
import { createFakeApi } from '../../__testUtils__/fakeApi';
import { DENY, renderWithEntity } from '../../__testUtils__/render';
import { ClusterDrawer } from '../ClusterDrawer';
import { ApplicationActions } from './ApplicationActions';

const HELLO_EAST = APPLICATIONS.find(
  a => applicationKey(a) === 'east-1/multicloud-gitops-group-one/hello-world',
)!;
// usePermission caches decisions per request (SWR, keyed by permission and resource), and
// that cache outlives a test; a distinct entity per test keeps decisions from leaking.
let ENTITY_REF = '';
let testNumber = 0;
beforeEach(() => {
  ENTITY_REF = `system:default/pattern-${++testNumber}`;
});

let setApp: (a: ApplicationSummary) => void = () => {};
function Harness() {
  const [app, set] = useState(HELLO_EAST);
  setApp = set;
  return (
    <ApplicationActions
      application={app}
      hub="prod-hub"
      entityRef={ENTITY_REF}
    />
  );
}

// Whole-app renders with MUI are slow on a shared 2-core machine; the default 5 s is
// too tight there, though each test takes about a second on an idle one.
jest.setTimeout(30_000);

describe('ApplicationActions', () => {
  it('hides Sync and Refresh when the permission is denied', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <ClusterDrawer
        hub="prod-hub"
        cluster="east-1"
        entityRef={ENTITY_REF}
        onClose={() => {}}
      />,
      { api, authorize: DENY },
    );
    expect(
      await screen.findByTestId('drawer-app-hello-world'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Sync / }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Refresh / }),
    ).not.toBeInTheDocument();
  });

  it('shows Sync and Refresh per application when allowed', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <ClusterDrawer
        hub="prod-hub"
        cluster="east-1"
        entityRef={ENTITY_REF}
        onClose={() => {}}
      />,
      { api },
    );
    expect(
      await screen.findByRole('button', { name: 'Sync hello-world on east-1' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Refresh config-demo on east-1' }),
    ).toBeInTheDocument();
  });

  it('confirms, calls the API, shows progress and follows the operation to its end', async () => {
    let resolve: (r: ApplicationActionResponse) => void = () => {};
    const { api } = createFakeApi({
      syncApplication: jest.fn(
        () => new Promise<ApplicationActionResponse>(r => (resolve = r)),
      ),
    });
    await renderWithEntity(<Harness />, { api });

    await userEvent.click(
      screen.getByRole('button', { name: 'Sync hello-world on east-1' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(
      within(dialog).getByText('Sync hello-world on east-1?'),
    ).toBeInTheDocument();
    expect(api.syncApplication).not.toHaveBeenCalled();

    await userEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    expect(api.syncApplication).toHaveBeenCalledWith({
      hub: 'prod-hub',
      instance: 'east-1-gitops',
      name: 'hello-world',
      namespace: 'multicloud-gitops-group-one',
      entityRef: ENTITY_REF,
    });
    expect(
      within(dialog).getByText('Asking Argo CD to sync…'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('progressbar', {
        name: 'Asking Argo CD to sync hello-world on east-1',
      }),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByRole('button', { name: 'Close' }),
    ).toBeDisabled();

    await act(async () =>
      resolve({
        hub: 'prod-hub',
        instance: 'east-1-gitops',
        application: 'hello-world',
        action: 'sync',
        sync: 'OutOfSync',
        health: 'Progressing',
        operationPhase: 'Running',
        message: 'Sync operation started (revision main)',
      }),
    );
    expect(
      within(dialog).getByText('Sync operation started (revision main)'),
    ).toBeInTheDocument();
    // The fixture's previous operation Failed; until fresh data arrives the dialog shows the
    // call's own answer, not that stale phase.
    expect(within(dialog).getByText('Operation: Running')).toBeInTheDocument();

    // The live application (from the event stream) reports the running operation ...
    act(() =>
      setApp({
        ...HELLO_EAST,
        operationPhase: 'Running',
        health: 'Progressing',
      }),
    );
    expect(within(dialog).getByText('Operation: Running')).toBeInTheDocument();
    expect(
      within(dialog).getByRole('progressbar', {
        name: 'Operation on hello-world on east-1 in progress',
      }),
    ).toBeInTheDocument();

    // ... and its end.
    act(() =>
      setApp({
        ...HELLO_EAST,
        operationPhase: 'Succeeded',
        sync: 'Synced',
        health: 'Healthy',
      }),
    );
    expect(
      within(dialog).getByText('Operation: Succeeded'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('progressbar')).not.toBeInTheDocument();
    expect(within(dialog).getByText('Healthy')).toBeInTheDocument();

    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Close' }),
    );
    await waitFor(() =>
      expect(screen.queryByRole('dialog')).not.toBeInTheDocument(),
    );
  });

  it('explains why there are no buttons for an application only Search reported', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <ApplicationActions
        application={{ ...HELLO_EAST, instance: undefined }}
        hub="prod-hub"
        entityRef={ENTITY_REF}
      />,
      { api },
    );
    expect(
      await screen.findByText('No Argo CD instance configured'),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: /^Sync / }),
    ).not.toBeInTheDocument();
  });

  it('offers Sync through the hub for an application no Argo CD instance serves, when the backend says the hub can act', async () => {
    const { api } = createFakeApi();
    await renderWithEntity(
      <ApplicationActions
        application={{ ...HELLO_EAST, instance: undefined }}
        hub="prod-hub"
        entityRef={ENTITY_REF}
        hubActions
      />,
      { api },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: 'Sync hello-world on east-1' }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent(
      "Hub prod-hub carries the request to the cluster's Argo CD (ACM ManagedClusterAction).",
    );
    await userEvent.click(within(dialog).getByRole('button', { name: 'Sync' }));
    expect(api.syncApplication).toHaveBeenCalledWith({
      hub: 'prod-hub',
      cluster: 'east-1',
      name: 'hello-world',
      namespace: 'multicloud-gitops-group-one',
      entityRef: ENTITY_REF,
    });
    expect(
      await within(dialog).findByText('Sync operation started'),
    ).toBeInTheDocument();
    expect(within(dialog).getByText('Operation: Running')).toBeInTheDocument();
  });

  it('gives a user without the permission no Sync through the hub either', async () => {
    const { api } = createFakeApi();
    const asked: unknown[] = [];
    const deny = ((request: unknown) => {
      asked.push(request);
      return DENY;
    }) as unknown as typeof DENY;
    await renderWithEntity(
      <ApplicationActions
        application={{ ...HELLO_EAST, instance: undefined }}
        hub="prod-hub"
        entityRef={ENTITY_REF}
        hubActions
      />,
      { api, authorize: deny },
    );
    await waitFor(() => expect(asked).toHaveLength(1));
    // let the decision reach the component
    await act(async () => {});
    expect(
      screen.queryByRole('button', { name: /^Sync / }),
    ).not.toBeInTheDocument();
    expect(
      screen.queryByText('No Argo CD instance configured'),
    ).not.toBeInTheDocument();
    expect(api.syncApplication).not.toHaveBeenCalled();
  });

  it('explains a refusal from the backend and offers to try again', async () => {
    const response = new Response(
      JSON.stringify({
        error: {
          name: 'NotAllowedError',
          message:
            'You may not sync applications of system:default/multicloud-gitops',
        },
        response: { statusCode: 403 },
      }),
      {
        status: 403,
        statusText: 'Forbidden',
        headers: { 'Content-Type': 'application/json' },
      },
    );
    const error = await ResponseError.fromResponse(response);
    const { api } = createFakeApi({
      refreshApplication: jest.fn(async () => Promise.reject(error)),
    });
    await renderWithEntity(<Harness />, { api });

    await userEvent.click(
      screen.getByRole('button', { name: 'Refresh hello-world on east-1' }),
    );
    await userEvent.click(
      within(screen.getByRole('dialog')).getByRole('button', {
        name: 'Refresh',
      }),
    );
    expect(
      await screen.findByText(
        /You are not allowed to refresh this application: You may not sync/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Try again' }),
    ).toBeInTheDocument();
  });
});
