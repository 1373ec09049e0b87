import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { TopologyChangedEvent } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  HUBS,
  TOPOLOGY,
  clusterDetails,
  fleetAnswer,
} from '../__testUtils__/fleet';
import { BASE, createEventChannel } from '../__testUtils__/msw';
import { MulticloudGitopsClient } from './MulticloudGitopsClient';
import { ChangeStreamState } from './types';

const server = setupServer();
registerMswTestHooks(server);

function makeClient(lingerMs = 0) {
  return new MulticloudGitopsClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi({ injectIdentityAuth: { token: 'user-token' } }),
    changeStream: {
      initialBackoffMs: 10,
      maxBackoffMs: 40,
      failuresBeforePolling: 2,
      lingerMs,
    },
  });
}

describe('MulticloudGitopsClient', () => {
  it('loads hubs and cluster details with the user token', async () => {
    const auth: (string | null)[] = [];
    server.use(
      http.get(`${BASE}/hubs`, ({ request }) => {
        auth.push(request.headers.get('authorization'));
        return HttpResponse.json(HUBS);
      }),
      http.get(`${BASE}/hubs/prod-hub/clusters/west-1`, () =>
        HttpResponse.json(clusterDetails('west-1')),
      ),
    );
    const client = makeClient();
    await expect(client.getHubs()).resolves.toEqual(HUBS);
    expect(auth).toEqual(['Bearer user-token']);
    const details = await client.getClusterDetails('prod-hub', 'west-1');
    expect(details.cluster.status).toBe('unavailable');
  });

  it('revalidates the topology with its ETag and returns the same object on 304', async () => {
    const seen: { query: string; ifNoneMatch: string | null }[] = [];
    server.use(
      http.get(`${BASE}/topology`, ({ request }) => {
        const url = new URL(request.url);
        const ifNoneMatch = request.headers.get('if-none-match');
        seen.push({ query: url.search, ifNoneMatch });
        if (ifNoneMatch === '"v42"')
          return new HttpResponse(null, { status: 304 });
        return HttpResponse.json(TOPOLOGY, { headers: { ETag: '"v42"' } });
      }),
    );
    const client = makeClient();
    const first = await client.getTopology({
      pattern: 'multicloud-gitops',
      hub: 'prod-hub',
    });
    const second = await client.getTopology({
      pattern: 'multicloud-gitops',
      hub: 'prod-hub',
    });
    expect(second).toBe(first);
    expect(seen).toEqual([
      { query: '?pattern=multicloud-gitops&hub=prod-hub', ifNoneMatch: null },
      {
        query: '?pattern=multicloud-gitops&hub=prod-hub',
        ifNoneMatch: '"v42"',
      },
    ]);
  });

  it('asks for a fleet page with each filter value as its own parameter, and revalidates it', async () => {
    const seen: { query: string; ifNoneMatch: string | null }[] = [];
    const answer = fleetAnswer({});
    server.use(
      http.get(`${BASE}/fleet`, ({ request }) => {
        const ifNoneMatch = request.headers.get('if-none-match');
        seen.push({ query: new URL(request.url).search, ifNoneMatch });
        if (ifNoneMatch === '"f1"')
          return new HttpResponse(null, { status: 304 });
        return HttpResponse.json(answer, { headers: { ETag: '"f1"' } });
      }),
    );
    const client = makeClient();
    const request = {
      hubs: ['prod-hub'],
      groups: ['group-one', 'group-two'],
      syncs: ['OutOfSync' as const],
      text: '  east ',
      sort: 'problems' as const,
      offset: 100,
      limit: 100,
      appOffset: 0,
      appLimit: 50,
    };
    const first = await client.getFleet(request);
    expect(first).toEqual(answer);
    expect(await client.getFleet(request)).toBe(first);
    // No filter at all sends no parameter.
    await client.getFleet({});
    expect(seen.map(s => s.query)).toEqual([
      '?hub=prod-hub&group=group-one&group=group-two&sync=OutOfSync&q=east&sort=problems&offset=100&limit=100&appOffset=0&appLimit=50',
      '?hub=prod-hub&group=group-one&group=group-two&sync=OutOfSync&q=east&sort=problems&offset=100&limit=100&appOffset=0&appLimit=50',
      '',
    ]);
    expect(seen[1].ifNoneMatch).toBe('"f1"');
  });

  it('surfaces the backend InputError for an entity without a usable annotation', async () => {
    server.use(
      http.get(`${BASE}/entity-topology`, ({ request }) => {
        expect(new URL(request.url).searchParams.get('entityRef')).toBe(
          'component:default/x',
        );
        return HttpResponse.json(
          {
            error: {
              name: 'InputError',
              message: 'Add the validatedpatterns.io/pattern annotation',
            },
            response: { statusCode: 400 },
          },
          { status: 400 },
        );
      }),
    );
    const error = await makeClient()
      .getEntityTopology('component:default/x')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error).toEqual({
      name: 'InputError',
      message: 'Add the validatedpatterns.io/pattern annotation',
    });
  });

  it('posts sync and refresh with the entity ref and application namespace', async () => {
    const calls: { path: string; body: unknown }[] = [];
    server.use(
      http.post(
        `${BASE}/hubs/:hub/argocd/:instance/applications/:name/:action`,
        async ({ request }) => {
          calls.push({
            path: new URL(request.url).pathname,
            body: await request.json(),
          });
          return HttpResponse.json({
            hub: 'prod-hub',
            instance: 'east-1-gitops',
            application: 'hello-world',
            action: 'sync',
            sync: 'OutOfSync',
            health: 'Progressing',
            operationPhase: 'Running',
            message: 'Sync started',
          });
        },
      ),
    );
    const client = makeClient();
    const request = {
      hub: 'prod-hub',
      instance: 'east-1-gitops',
      name: 'hello-world',
      namespace: 'multicloud-gitops-group-one',
      entityRef: 'component:default/hello-world',
    };
    await client.syncApplication(request);
    await client.refreshApplication(request);
    expect(calls).toEqual([
      {
        path: '/api/multicloud-gitops/v1/hubs/prod-hub/argocd/east-1-gitops/applications/hello-world/sync',
        body: {
          entityRef: 'component:default/hello-world',
          appNamespace: 'multicloud-gitops-group-one',
        },
      },
      {
        path: '/api/multicloud-gitops/v1/hubs/prod-hub/argocd/east-1-gitops/applications/hello-world/refresh',
        body: {
          entityRef: 'component:default/hello-world',
          appNamespace: 'multicloud-gitops-group-one',
        },
      },
    ]);
  });

  it('posts to the cluster when no Argo CD instance owns the application, and refuses a request that names neither', async () => {
    const paths: string[] = [];
    server.use(
      http.post(
        `${BASE}/hubs/:hub/clusters/:cluster/applications/:name/:action`,
        async ({ request }) => {
          paths.push(new URL(request.url).pathname);
          return HttpResponse.json({
            hub: 'prod-hub',
            application: 'hello-world',
            action: 'refresh',
            sync: 'Synced',
            health: 'Healthy',
            message: 'Refresh of hello-world requested',
          });
        },
      ),
    );
    const client = makeClient();
    const answer = await client.refreshApplication({
      hub: 'prod-hub',
      cluster: 'east-1',
      name: 'hello-world',
      entityRef: 'component:default/hello-world',
    });
    expect(answer.instance).toBeUndefined();
    expect(paths).toEqual([
      '/api/multicloud-gitops/v1/hubs/prod-hub/clusters/east-1/applications/hello-world/refresh',
    ]);
    await expect(
      client.syncApplication({
        hub: 'prod-hub',
        name: 'hello-world',
        entityRef: 'component:default/hello-world',
      }),
    ).rejects.toThrow(
      'To sync hello-world, name its Argo CD instance or its cluster',
    );
    expect(paths).toHaveLength(1);
  });

  it('reads spread, history and diff, and posts a rollback with the history id', async () => {
    const seen: string[] = [];
    let posted: unknown;
    const app = '/hubs/prod-hub/clusters/east-1/applications/hello-world';
    server.use(
      http.get(`${BASE}/applications/spread`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json(
          { application: 'hello-world' },
          { headers: { ETag: '"s1"' } },
        );
      }),
      http.get(`${BASE}${app}/history`, ({ request }) => {
        seen.push(new URL(request.url).search);
        return HttpResponse.json({ entries: [] });
      }),
      http.get(`${BASE}${app}/diff`, () =>
        HttpResponse.json({ resources: [] }),
      ),
      http.post(`${BASE}${app}/rollback`, async ({ request }) => {
        posted = await request.json();
        return HttpResponse.json({ action: 'rollback' });
      }),
    );
    const client = makeClient();
    await client.getRevisionSpread({
      name: 'hello-world',
      entityRef: 'component:default/hello-world',
      hub: 'ignored-with-an-entity',
    });
    await client.getRevisionSpread({ name: 'hello-world', hub: 'prod-hub' });
    const ref = {
      hub: 'prod-hub',
      cluster: 'east-1',
      name: 'hello-world',
      namespace: 'openshift-gitops',
    };
    await expect(client.getApplicationHistory(ref)).resolves.toEqual({
      entries: [],
    });
    await expect(client.getApplicationDiff(ref)).resolves.toEqual({
      resources: [],
    });
    await expect(
      client.rollbackApplication({
        ...ref,
        id: 6,
        entityRef: 'component:default/hello-world',
      }),
    ).resolves.toEqual({ action: 'rollback' });
    expect(seen).toEqual([
      '?name=hello-world&entityRef=component%3Adefault%2Fhello-world',
      '?name=hello-world&hub=prod-hub',
      '?appNamespace=openshift-gitops',
    ]);
    expect(posted).toEqual({
      entityRef: 'component:default/hello-world',
      id: 6,
      appNamespace: 'openshift-gitops',
    });
  });

  it('maps a denied sync to a ResponseError carrying NotAllowedError', async () => {
    server.use(
      http.post(
        `${BASE}/hubs/:hub/argocd/:instance/applications/:name/sync`,
        () =>
          HttpResponse.json(
            {
              error: { name: 'NotAllowedError', message: 'nope' },
              response: { statusCode: 403 },
            },
            { status: 403 },
          ),
      ),
    );
    const error = await makeClient()
      .syncApplication({
        hub: 'h',
        instance: 'i',
        name: 'n',
        entityRef: 'component:default/x',
      })
      .catch(e => e);
    expect(error.body.error.name).toBe('NotAllowedError');
  });

  it('streams topology-changed events to all subscribers over one connection and reconnects', async () => {
    const channel = createEventChannel();
    server.use(channel.handler);
    const client = makeClient();
    const a: TopologyChangedEvent[] = [];
    const b: TopologyChangedEvent[] = [];
    const states: ChangeStreamState[] = [];
    const offA = client.subscribe({
      onEvent: e => a.push(e),
      onStateChange: s => states.push(s),
    });
    const offB = client.subscribe({ onEvent: e => b.push(e) });

    await waitUntil(() => states.includes('live'));
    expect(channel.connections).toBe(1);
    channel.send({ hub: 'prod-hub', storeId: 'store-a', version: 43 });
    await waitUntil(() => a.length === 1 && b.length === 1);
    expect(a[0]).toEqual({
      type: 'topology-changed',
      hub: 'prod-hub',
      storeId: 'store-a',
      version: 43,
    });

    // The server drops the stream: the client reconnects on its own.
    channel.closeAll();
    await waitUntil(
      () =>
        channel.connections === 2 &&
        states.filter(s => s === 'live').length === 2,
    );
    // A subscriber after the reconnect is not given the old connection's changes.
    const late: TopologyChangedEvent[] = [];
    client.subscribe({ onEvent: e => late.push(e) })();
    expect(late).toEqual([]);
    channel.send({ hub: 'prod-hub', storeId: 'store-a', version: 44 });
    await waitUntil(() => a.length === 2);

    offA();
    offB();
  });

  it('keeps the stream for a subscriber that comes back within the linger, and closes it after', async () => {
    const channel = createEventChannel();
    server.use(channel.handler);
    const client = makeClient(200);
    const states: ChangeStreamState[] = [];
    const offA = client.subscribe({
      onEvent: () => {},
      onStateChange: s => states.push(s),
    });
    await waitUntil(() => states.includes('live'));

    // New filters: the view leaves and subscribes again in the same commit.
    offA();
    offA(); // a second call is harmless
    const events: TopologyChangedEvent[] = [];
    const statesB: ChangeStreamState[] = [];
    const offB = client.subscribe({
      onEvent: e => events.push(e),
      onStateChange: s => statesB.push(s),
    });
    // Live at once, on the same connection: no reconnect, so no refetch.
    expect(statesB).toEqual(['live']);
    channel.send({ hub: 'prod-hub', storeId: 'store-a', version: 2 });
    await waitUntil(() => events.length === 1);
    expect(channel.connections).toBe(1);

    // A view that subscribes now is told the newest change of each hub, so it can tell
    // whether the answer it loaded before subscribing is older.
    channel.send({ hub: 'other-hub', storeId: 'store-b', version: 7 });
    channel.send({ hub: 'prod-hub', storeId: 'store-a', version: 3 });
    await waitUntil(() => events.length === 3);
    const replayed: TopologyChangedEvent[] = [];
    const offD = client.subscribe({ onEvent: e => replayed.push(e) });
    expect(replayed.map(e => `${e.hub}@${e.version}`)).toEqual([
      'prod-hub@3',
      'other-hub@7',
    ]);
    offD();

    // Nobody left: after the linger the stream is closed; the next subscriber reconnects.
    offB();
    await new Promise(r => setTimeout(r, 300));
    const statesC: ChangeStreamState[] = [];
    const eventsC: TopologyChangedEvent[] = [];
    const offC = client.subscribe({
      onEvent: e => eventsC.push(e),
      onStateChange: s => statesC.push(s),
    });
    expect(statesC[0]).toBe('connecting');
    // A new connection replays nothing from the closed one: the view loads after it anyway.
    expect(eventsC).toEqual([]);
    await waitUntil(() => statesC.includes('live'));
    expect(channel.connections).toBe(2);
    offC();
  });

  it('tells subscribers to poll after repeated failures and recovers when the stream returns', async () => {
    let fail = true;
    const channel = createEventChannel();
    server.use(
      http.get(`${BASE}/events`, () =>
        fail
          ? HttpResponse.json(
              { error: { name: 'Error', message: 'down' } },
              { status: 503 },
            )
          : channel.respond(),
      ),
    );
    const client = makeClient();
    const states: ChangeStreamState[] = [];
    const off = client.subscribe({
      onEvent: () => {},
      onStateChange: s => states.push(s),
    });
    await waitUntil(() => states.includes('polling'));
    fail = false;
    await waitUntil(() => states[states.length - 1] === 'live');
    expect(states.slice(0, 2)).toEqual(['connecting', 'polling']);
    off();
  });
});

async function waitUntil(predicate: () => boolean, timeoutMs = 3000) {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > timeoutMs)
      throw new Error('condition not met in time');
    await new Promise(r => setTimeout(r, 5));
  }
}
