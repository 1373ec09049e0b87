/*
 * (Over 400 lines: one fleet and one set of service stand-ins serve every route's tests.)
 *
 * The router over a store filled directly: what each route answers, for whom, and what it
 * says when the input is wrong. Upstreams are not involved; plugin.test.ts runs the plugin
 * end to end on the fleet simulator.
 */
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import type {
  FleetResponse,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import express from 'express';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { once } from 'node:events';
import request from 'supertest';
import {
  addArgoInstance,
  argoApp,
  hubSettings,
  patternCr,
  published,
  searchApp,
  storeWithClusters,
} from '../__testUtils__/fleet';
import {
  CLUSTER_OWNER,
  countingCatalog,
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from '../__testUtils__/services';
import { UpstreamError } from '../http/httpClient';
import { toManagedCluster } from '../store/records';
import { TopologyService } from '../topology/TopologyService';
import { ArgoActions, createRouter, HubApplicationActions } from './router';

const PATTERN = { 'validatedpatterns.io/pattern': 'multicloud-gitops' };

/** The hub runs multicloud-gitops with Argo CD `hub-gitops`; Search reports the spokes. */
function fleet() {
  const store = storeWithClusters();
  addArgoInstance(
    store,
    'hub-gitops',
    ['hello-world', 'config-demo', 'multicloud-gitops-hub'].map(name =>
      argoApp(name, 'hub-gitops', PATTERN),
    ),
  );
  store.replaceSearchApps([
    searchApp('hello-world', 'east'),
    searchApp('hello-world', 'west'),
    searchApp('config-demo', 'east'),
  ]);
  const settings = hubSettings({
    pattern: undefined,
    argocd: [
      { name: 'hub-gitops', url: 'https://argo', uiUrl: 'https://argo-ui' },
    ],
  });
  return { store, service: new TopologyService([{ settings, store }]) };
}

async function routerApp(
  accessCacheTtlMs = 10000,
  pushStreamsPerUser?: number,
  rateLimit?: { requestsPerMinute: number; burst: number },
) {
  const { store, service } = fleet();
  const policy = permissionPolicy();
  const auditor = recordingAuditor();
  const catalog = countingCatalog();
  const argoCalls: string[] = [];
  let argoFails: Error | undefined;
  const argo: ArgoActions = {
    async sync(name, appNamespace) {
      argoCalls.push(`sync ${name} ${appNamespace}`);
      if (argoFails) throw argoFails;
      return {
        sync: 'Synced',
        health: 'Progressing',
        operationPhase: 'Running',
      };
    },
    async refresh(name, appNamespace) {
      argoCalls.push(`refresh ${name} ${appNamespace}`);
      if (argoFails) throw argoFails;
      return { sync: 'OutOfSync', health: 'Healthy' };
    },
  };
  const hubCalls: string[] = [];
  const throughHub: HubApplicationActions = {
    async sync(cluster, name, namespace, initiatedBy) {
      hubCalls.push(`sync ${cluster} ${name} ${namespace} ${initiatedBy}`);
      return {
        sync: 'OutOfSync',
        health: 'Healthy',
        operationPhase: 'Running',
      };
    },
    async refresh(cluster, name, namespace) {
      hubCalls.push(`refresh ${cluster} ${name} ${namespace}`);
      return { sync: 'Synced', health: 'Healthy' };
    },
  };
  const router = await createRouter({
    service,
    argoInstance: (hub, instance) => {
      if (instance !== 'hub-gitops')
        throw new NotFoundError(`Hub "${hub}" has no Argo CD instance`);
      return argo;
    },
    hubActions: hub => {
      if (hub !== 'hub') throw new NotFoundError(`Unknown hub "${hub}"`);
      return throughHub;
    },
    // A request without a token is anonymous, as in a real backend.
    httpAuth: mockServices.httpAuth({
      defaultCredentials: mockCredentials.none(),
    }),
    permissions: policy.service,
    catalog: catalog.service,
    auditor: auditor.service,
    logger: mockServices.logger.mock(),
    accessCacheTtlMs,
    pushStreamsPerUser,
    rateLimit,
  });
  const app = express().use(router).use(mockErrorHandler());
  await published();
  return {
    app,
    store,
    policy,
    auditEvents: auditor.events,
    lookups: catalog.lookups,
    argoCalls,
    hubCalls,
    failArgo: (e?: Error) => {
      argoFails = e;
    },
  };
}

const user = (ref = OWNER) => mockCredentials.user.header(ref);

describe('router: reads', () => {
  let r: Awaited<ReturnType<typeof routerApp>>;
  beforeAll(async () => {
    r = await routerApp();
  });
  const get = (path: string, ref?: string) =>
    request(r.app).get(path).set('Authorization', user(ref));

  it("answers a pattern's topology from the store, and 304 to a client that has it", async () => {
    const res = await get('/v1/topology?pattern=multicloud-gitops');
    expect(res.status).toBe(200);
    const t: TopologyResponse = res.body;
    expect(t.hub.clusterName).toBe('the-hub');
    expect(t.clusters.map(c => c.name)).toEqual(['the-hub', 'east', 'west']);
    expect(t.applications.map(a => `${a.cluster}/${a.name}`)).toEqual([
      'east/config-demo',
      'east/hello-world',
      'the-hub/config-demo',
      'the-hub/hello-world',
      'the-hub/multicloud-gitops-hub',
      'west/hello-world',
    ]);
    expect(t.storeId).toBe(r.store.id);
    const again = await get('/v1/topology?hub=hub&group=group-one').set(
      'If-None-Match',
      res.headers.etag,
    );
    // Another scope is another view, with another ETag.
    expect(again.status).toBe(200);
    expect(again.body.clusters.map((c: any) => c.name)).toEqual(['east']);
    const same = await get('/v1/topology?pattern=multicloud-gitops').set(
      'If-None-Match',
      res.headers.etag,
    );
    expect(same.status).toBe(304);
  });

  it('lists the hubs with their sources and counts', async () => {
    const res = await get('/v1/hubs');
    expect(res.status).toBe(200);
    expect(res.body.hubs).toEqual([
      expect.objectContaining({
        id: 'hub',
        pattern: 'multicloud-gitops',
        clusterCount: 3,
        applicationCount: 6,
        sources: [expect.objectContaining({ name: 'argocd/hub-gitops' })],
      }),
    ]);
  });

  it('narrows the view to a Component by argocd/app-name', async () => {
    const res = await get(
      '/v1/entity-topology?entityRef=component:default/hello-world',
    );
    expect(res.status).toBe(200);
    const t: TopologyResponse = res.body;
    expect(t.applications.length).toBeGreaterThan(0);
    expect(new Set(t.applications.map(a => a.name))).toEqual(
      new Set(['hello-world']),
    );
    expect(t.clusters.map(c => c.name).sort()).toEqual(
      [...new Set(t.applications.map(a => a.cluster))].sort(),
    );
    expect(t.scope?.entityRef).toBe('component:default/hello-world');
  });

  it('narrows the view to the Argo CD instances of argocd/instance-name, a comma list', async () => {
    const res = await get(
      '/v1/entity-topology?entityRef=component:default/hub-apps',
    );
    expect(res.status).toBe(200);
    const t: TopologyResponse = res.body;
    // hub-gitops serves the hub's applications; Search-only ones have no instance.
    expect(t.applications.length).toBeGreaterThan(0);
    expect(new Set(t.applications.map(a => a.instance))).toEqual(
      new Set(['hub-gitops']),
    );
    expect(t.clusters.map(c => c.name)).toEqual(['the-hub']);
  });

  it('returns cluster details with the links to its consoles and Argo CD', async () => {
    const res = await get('/v1/hubs/hub/clusters/the-hub');
    expect(res.status).toBe(200);
    expect(res.body.cluster.labels).toEqual({
      'local-cluster': 'true',
      clusterGroup: 'hub',
    });
    expect(res.body.applications.map((a: any) => a.name)).toEqual([
      'config-demo',
      'hello-world',
      'multicloud-gitops-hub',
    ]);
    expect(res.body.links).toEqual([
      { title: 'Argo CD (hub-gitops)', url: 'https://argo-ui', kind: 'argocd' },
    ]);
  });

  it.each([
    [
      '/v1/entity-topology?entityRef=component:default/missing',
      404,
      'No catalog entity component:default/missing',
    ],
    [
      '/v1/entity-topology?entityRef=not a ref!!',
      400,
      'is not an entity reference',
    ],
    ['/v1/entity-topology', 400, 'entityRef'],
    [
      '/v1/entity-topology?entityRef=component:default/no-annotations',
      400,
      'add validatedpatterns.io/pattern',
    ],
    [
      '/v1/entity-topology?entityRef=component:default/bad-selector',
      400,
      'argocd/app-selector',
    ],
    [
      '/v1/entity-topology?entityRef=component:default/bad-instance',
      400,
      'argocd/instance-name: "Not Valid!" is not a valid Argo CD instance name',
    ],
    [
      '/v1/topology?pattern=multicloud-gitops&hub=nope',
      404,
      'Unknown hub "nope"',
    ],
    [
      '/v1/topology?pattern=other-pattern',
      404,
      'No hub runs pattern "other-pattern"',
    ],
    ['/v1/topology?pattern=multicloud-gitops&x[y]=1', 400, 'unknown parameter'],
    ['/v1/topology?pattern=UPPER_case', 400, 'pattern must be lower-case'],
    ['/v1/topology', 400, 'give pattern=NAME'],
    [
      '/v1/hubs/hub/clusters/nope',
      404,
      'Hub "hub" has no managed cluster "nope"',
    ],
    ['/v1/hubs/nope/clusters/local-cluster', 404, 'Unknown hub "nope"'],
  ])('GET %s -> %i naming what to fix', async (path, status, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it('asks the permission policy and the catalog once per caller and entity, not on every view', async () => {
    const carol = 'user:default/carol';
    r.policy.calls.length = 0;
    r.lookups.length = 0;
    const url = '/v1/entity-topology?entityRef=component:default/hello-world';
    const views = await Promise.all(
      Array.from({ length: 8 }, () => get(url, carol)),
    );
    for (let i = 0; i < 8; i++) views.push(await get(url, carol));
    expect(views.every(v => v.status === 200)).toBe(true);
    // 16 views, concurrent and sequential: one read decision for carol.
    expect(
      r.policy.calls.filter(c =>
        c.startsWith('multicloud-gitops.topology.read'),
      ),
    ).toEqual([`multicloud-gitops.topology.read ${carol}`]);
    expect(r.lookups).toEqual([`component:default/hello-world ${carol}`]);
    // Another caller is asked for itself.
    expect((await get(url, 'user:default/dave')).status).toBe(200);
    expect(r.policy.calls).toContain(
      'multicloud-gitops.topology.read user:default/dave',
    );
    // A rejection is not remembered: fixing the annotation takes effect on the next view.
    r.lookups.length = 0;
    const bad =
      '/v1/entity-topology?entityRef=component:default/no-annotations';
    for (let i = 0; i < 2; i++) {
      const res = await get(bad, carol);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/no Multicloud GitOps annotation/);
    }
    expect(r.lookups).toEqual([
      `component:default/no-annotations ${carol}`,
      `component:default/no-annotations ${carol}`,
    ]);
  });

  it('asks on every view when the access cache is off', async () => {
    const off = await routerApp(0);
    const url = '/v1/entity-topology?entityRef=component:default/hello-world';
    for (let i = 0; i < 3; i++)
      await request(off.app).get(url).set('Authorization', user()).expect(200);
    expect(off.lookups).toHaveLength(3);
    expect(
      off.policy.calls.filter(c =>
        c.startsWith('multicloud-gitops.topology.read'),
      ),
    ).toHaveLength(3);
  });
});

describe('router: the fleet, one page at a time', () => {
  let r: Awaited<ReturnType<typeof routerApp>>;
  beforeAll(async () => {
    r = await routerApp();
  });
  const get = (path: string, ref?: string) =>
    request(r.app).get(path).set('Authorization', user(ref));

  it('answers a page of clusters and a matrix window, filtered on the server, and 304 when unchanged', async () => {
    const res = await get('/v1/fleet?limit=2&appLimit=1&appOffset=1&sort=name');
    expect(res.status).toBe(200);
    const f: FleetResponse = res.body;
    expect(f.hubs.map(h => [h.hub.id, h.pattern, h.storeId])).toEqual([
      ['hub', 'multicloud-gitops', r.store.id],
    ]);
    expect(f.clusters.total).toBe(3);
    expect(f.clusters.items.map(c => `${c.hub}/${c.name}`)).toEqual([
      'hub/east',
      'hub/the-hub',
    ]);
    expect(f.applicationNames).toEqual({
      offset: 1,
      total: 3,
      items: ['hello-world'],
    });
    expect(f.applications.map(a => `${a.cluster}/${a.name}`)).toEqual([
      'east/hello-world',
      'the-hub/hello-world',
    ]);
    const same = await get(
      '/v1/fleet?limit=2&appLimit=1&appOffset=1&sort=name',
    ).set('If-None-Match', res.headers.etag);
    expect(same.status).toBe(304);
    const filtered = await get('/v1/fleet?group=group-one,group-two&q=west');
    expect(filtered.body.clusters.items.map((c: any) => c.name)).toEqual([
      'west',
    ]);
    expect(filtered.headers.etag).not.toBe(res.headers.etag);
  });

  it("answers a System's fleet from its pattern, and a page past the end with no rows", async () => {
    const res = await get(
      '/v1/fleet?entityRef=system:default/multicloud-gitops&offset=3',
    );
    expect(res.status).toBe(200);
    expect(res.body.clusters).toEqual({ offset: 3, total: 3, items: [] });
    expect(res.body.scope.entityRef).toBe('system:default/multicloud-gitops');
    const component = await get(
      '/v1/fleet?entityRef=component:default/hello-world&appLimit=10',
    );
    expect(
      new Set(component.body.applications.map((a: any) => a.name)),
    ).toEqual(new Set(['hello-world']));
  });

  it.each([
    ['/v1/fleet?status=broken', 400, 'status must be one of available'],
    ['/v1/fleet?sync=Synced,Nope', 400, 'sync must be one of'],
    ['/v1/fleet?health=healthy', 400, 'health must be one of'],
    ['/v1/fleet?limit=201', 400, 'limit must be at most 200'],
    ['/v1/fleet?limit=0', 400, 'limit must be at least 1'],
    ['/v1/fleet?appLimit=101', 400, 'appLimit must be at most 100'],
    ['/v1/fleet?offset=-1', 400, 'offset must be a whole number'],
    ['/v1/fleet?offset=1e3', 400, 'offset must be a whole number'],
    ['/v1/fleet?sort=random', 400, 'sort must be one of topology'],
    ['/v1/fleet?group=Not%20A%20Group', 400, 'group must be lower-case'],
    [`/v1/fleet?q=${'x'.repeat(201)}`, 400, 'q is too long'],
    ['/v1/fleet?hub=nope', 404, 'Unknown hub nope in this view'],
    ['/v1/fleet?pattern=other', 404, 'No hub runs pattern "other"'],
    ['/v1/fleet?url=http://x', 400, 'unknown parameter(s) url'],
    [
      `/v1/fleet?${Array.from({ length: 101 }, (_, i) => `group=g${i}`).join(
        '&',
      )}`,
      400,
      'group: too many values',
    ],
    [
      `/v1/entity-topology?entityRef=component:default/${'x'.repeat(1100)}`,
      400,
      'entityRef is too long',
    ],
    [
      '/v1/fleet?entityRef=system:default/multicloud-gitops&pattern=x',
      400,
      'give entityRef or pattern, not both',
    ],
    [
      '/v1/fleet?entityRef=component:default/no-annotations',
      400,
      'add validatedpatterns.io/pattern',
    ],
    [
      '/v1/fleet?entityRef=component:default/missing',
      404,
      'component:default/missing',
    ],
  ])('GET %s -> %i naming what to fix', async (path, status, message) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toContain(message);
  });

  it('needs a caller who may read the topology', async () => {
    expect((await request(r.app).get('/v1/fleet')).status).toBe(401);
    r.policy.denyReads = true;
    try {
      const res = await get('/v1/fleet', 'user:default/someone-new');
      expect(res.status).toBe(403);
    } finally {
      r.policy.denyReads = false;
    }
  });
});

describe('router: the request-rate limit', () => {
  it("answers 429 with Retry-After past a caller's rate, and not to another caller", async () => {
    const r = await routerApp(10000, undefined, {
      requestsPerMinute: 60,
      burst: 2,
    });
    const get = (ref?: string) =>
      request(r.app).get('/v1/hubs').set('Authorization', user(ref));
    expect((await get()).status).toBe(200);
    expect((await get()).status).toBe(200);
    const refused = await get();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.body.error.message).toContain('multicloudGitops.rateLimit');
    expect((await get('user:default/someone-else')).status).toBe(200);
    // Actions count too.
    const sync = await request(r.app)
      .post('/v1/hubs/hub/argocd/hub-gitops/applications/hello-world/sync')
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world' });
    expect(sync.status).toBe(429);
    expect(r.argoCalls).toEqual([]);
  });
});

describe("router: a cluster's details", () => {
  it('answers 304 to a client that has them, and new details after the store changes', async () => {
    const r = await routerApp();
    const get = (path: string) =>
      request(r.app).get(path).set('Authorization', user());
    const first = await get('/v1/hubs/hub/clusters/east');
    expect(first.status).toBe(200);
    expect(first.body.applications.map((a: any) => a.sync)).toEqual([
      'Synced',
      'Synced',
    ]);
    const same = await get('/v1/hubs/hub/clusters/east').set(
      'If-None-Match',
      first.headers.etag,
    );
    expect(same.status).toBe(304);
    // Another cluster is another answer, even at the same store version.
    const west = await get('/v1/hubs/hub/clusters/west').set(
      'If-None-Match',
      first.headers.etag,
    );
    expect(west.status).toBe(200);
    expect(west.body.cluster.name).toBe('west');

    r.store.replaceSearchApps([
      searchApp('hello-world', 'east', { syncStatus: 'OutOfSync' }),
      searchApp('hello-world', 'west'),
      searchApp('config-demo', 'east'),
    ]);
    await published();
    const changed = await get('/v1/hubs/hub/clusters/east').set(
      'If-None-Match',
      first.headers.etag,
    );
    expect(changed.status).toBe(200);
    expect(changed.headers.etag).not.toBe(first.headers.etag);
    expect(
      changed.body.applications.map((a: any) => `${a.name} ${a.sync}`),
    ).toEqual(['config-demo Synced', 'hello-world OutOfSync']);
  });
});

describe('router: push channel', () => {
  it('refuses a caller more push streams than the limit, and counts a closed one out', async () => {
    const { app } = await routerApp(10000, 2);
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const open = async (ref = OWNER) => {
      const req = http.get({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        path: '/v1/events',
        headers: { authorization: user(ref) },
      });
      const res = (await once(req, 'response'))[0] as http.IncomingMessage;
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        body += d;
      });
      if (res.statusCode !== 200) await once(res, 'end');
      return { req, status: res.statusCode, body: () => body };
    };
    try {
      const first = await open();
      const second = await open();
      const third = await open();
      expect([first.status, second.status, third.status]).toEqual([
        200, 200, 429,
      ]);
      expect(JSON.parse(third.body()).error.message).toContain(
        'multicloudGitops.pushStreamsPerUser',
      );
      // Another caller has a limit of its own.
      expect((await open('user:default/someone-else')).status).toBe(200);
      first.req.destroy();
      // The server sees the close on its next turn.
      let again = await open();
      while (again.status !== 200) {
        await new Promise(r => setTimeout(r, 5));
        again = await open();
      }
      expect(again.status).toBe(200);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("says which store changed and its version, first for every hub, then on each of the store's announcements", async () => {
    const { app, store } = await routerApp();
    const server = http.createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    let text = '';
    const received = () =>
      [...text.matchAll(/^data: (.*)$/gm)].map(m => JSON.parse(m[1]));
    const req = http.get({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      path: '/v1/events',
      headers: { authorization: user(), accept: 'text/event-stream' },
    });
    try {
      const res = (await once(req, 'response'))[0] as http.IncomingMessage;
      expect(res.headers['content-type']).toBe('text/event-stream');
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      while (received().length < 1) await new Promise(r => setTimeout(r, 5));
      expect(received()).toEqual([
        {
          type: 'topology-changed',
          hub: 'hub',
          storeId: store.id,
          version: store.version,
        },
      ]);
      const before = store.version;
      store.upsert('patterns', 'ns/mcg', patternCr('multicloud-gitops', 'ns'));
      while (received().length < 2) await new Promise(r => setTimeout(r, 5));
      expect(received()[1]).toEqual({
        type: 'topology-changed',
        hub: 'hub',
        storeId: store.id,
        version: before + 1,
      });
    } finally {
      req.destroy();
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('router: sync and refresh', () => {
  let r: Awaited<ReturnType<typeof routerApp>>;
  beforeEach(async () => {
    r = await routerApp();
  });
  const post = (app: string, action: string, ref = OWNER, body?: object) =>
    request(r.app)
      .post(`/v1/hubs/hub/argocd/hub-gitops/applications/${app}/${action}`)
      .set('Authorization', user(ref))
      .send(body ?? { entityRef: 'component:default/hello-world' });

  it("lets the entity's owner sync its application, denies others, and audits both", async () => {
    const denied = await post('hello-world', 'sync', 'user:default/bob');
    expect(denied.status).toBe(403);
    const ok = await post('hello-world', 'sync');
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({
      hub: 'hub',
      instance: 'hub-gitops',
      application: 'hello-world',
      action: 'sync',
      sync: 'Synced',
      health: 'Progressing',
      operationPhase: 'Running',
      message: 'Sync of hello-world started',
    });
    expect(r.argoCalls).toEqual(['sync hello-world openshift-gitops']);
    expect(r.auditEvents.map(e => [e.eventId, e.outcome, e.meta])).toEqual([
      [
        'application-sync',
        'fail',
        expect.objectContaining({ entityRef: 'component:default/hello-world' }),
      ],
      [
        'application-sync',
        'success',
        expect.objectContaining({ application: 'hello-world' }),
      ],
    ]);
  });

  it("lets a cluster's owners sync what runs on their cluster, and says so in the audit", async () => {
    // hello-world on hub-gitops runs on the hub cluster, whose entity carol owns.
    const ok = await post('hello-world', 'sync', CLUSTER_OWNER);
    expect(ok.status).toBe(200);
    expect(r.argoCalls).toEqual(['sync hello-world openshift-gitops']);
    expect(r.auditEvents.map(e => [e.outcome, e.meta])).toEqual([
      [
        'success',
        expect.objectContaining({
          grantedBy: 'resource:default/hub-the-hub',
        }),
      ],
    ]);
    // Owning the cluster grants nothing over an application the entity does not have.
    const other = await post('config-demo', 'sync', CLUSTER_OWNER);
    expect(other.status).toBe(403);
    expect(other.body.error.message).toContain(
      'nor is the cluster the application runs on yours',
    );
    expect(r.argoCalls).toHaveLength(1);
  });

  it('refreshes in the namespace the caller names', async () => {
    const res = await post('hello-world', 'refresh', OWNER, {
      entityRef: 'component:default/hello-world',
      appNamespace: 'openshift-gitops',
    });
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('Refresh of hello-world requested');
    expect(r.argoCalls).toEqual(['refresh hello-world openshift-gitops']);
  });

  it('refuses an application that is not part of the entity, or another hub than the entity is on', async () => {
    const other = await post('config-demo', 'refresh');
    expect(other.status).toBe(404);
    expect(other.body.error.message).toContain(
      'is not part of component:default/hello-world',
    );
    const elsewhere = await request(r.app)
      .post('/v1/hubs/other/argocd/hub-gitops/applications/hello-world/sync')
      .set('Authorization', user())
      .send({ entityRef: 'component:default/hello-world' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.error.message).toContain(
      'component:default/hello-world belongs to hub hub, not other',
    );
    expect(r.argoCalls).toEqual([]);
    expect(r.auditEvents.map(e => e.outcome)).toEqual(['fail', 'fail']);
  });

  it("passes on Argo CD's refusal as 409 and its failure as 503", async () => {
    r.failArgo(
      new UpstreamError(
        'HTTP 400 from https://argo/api/v1/applications/hello-world/sync: another operation is already in progress',
        400,
      ),
    );
    const busy = await post('hello-world', 'sync');
    expect(busy.status).toBe(409);
    expect(busy.body.error.message).toBe(
      'Argo CD hub-gitops refused to sync hello-world: another operation is already in progress',
    );
    r.failArgo(new UpstreamError('cannot reach https://argo: ECONNREFUSED'));
    const down = await post('hello-world', 'sync');
    expect(down.status).toBe(503);
    expect(down.body.error.message).toBe(
      'Argo CD hub-gitops: cannot reach https://argo: ECONNREFUSED',
    );
  });

  it('needs a user, and names what is wrong in the request', async () => {
    const anonymous = await request(r.app)
      .post('/v1/hubs/hub/argocd/hub-gitops/applications/hello-world/sync')
      .send({ entityRef: 'component:default/hello-world' });
    expect(anonymous.status).toBe(401);
    const noRef = await post('hello-world', 'sync', OWNER, {});
    expect(noRef.status).toBe(400);
    expect(noRef.body.error.message).toContain('Invalid body');
    const badName = await post('Hello_World', 'sync');
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toContain(
      'application name must be lower-case letters',
    );
  });
});

describe('router: sync and refresh of an application on a managed cluster', () => {
  let r: Awaited<ReturnType<typeof routerApp>>;
  beforeEach(async () => {
    r = await routerApp();
  });
  const post = (
    cluster: string,
    app: string,
    action: string,
    ref = OWNER,
    body?: object,
  ) =>
    request(r.app)
      .post(`/v1/hubs/hub/clusters/${cluster}/applications/${app}/${action}`)
      .set('Authorization', user(ref))
      .send(body ?? { entityRef: 'component:default/hello-world' });

  it("carries an owner's sync and refresh through the hub when no Argo CD instance serves the cluster, and audits them", async () => {
    const sync = await post('east', 'hello-world', 'sync');
    expect(sync.status).toBe(200);
    expect(sync.body).toEqual({
      hub: 'hub',
      application: 'hello-world',
      action: 'sync',
      sync: 'OutOfSync',
      health: 'Healthy',
      operationPhase: 'Running',
      message: 'Sync of hello-world started',
    });
    const refresh = await post('west', 'hello-world', 'refresh');
    expect(refresh.status).toBe(200);
    expect(r.hubCalls).toEqual([
      `sync east hello-world openshift-gitops ${OWNER}`,
      'refresh west hello-world openshift-gitops',
    ]);
    expect(r.argoCalls).toEqual([]);
    expect(r.auditEvents.map(e => [e.eventId, e.outcome, e.meta])).toEqual([
      [
        'application-sync',
        'success',
        expect.objectContaining({
          cluster: 'east',
          application: 'hello-world',
          through: 'hub',
        }),
      ],
      [
        'application-refresh',
        'success',
        expect.objectContaining({ cluster: 'west', through: 'hub' }),
      ],
    ]);
  });

  it('gives a non-owner no sync, and carries nothing', async () => {
    const denied = await post(
      'east',
      'hello-world',
      'sync',
      'user:default/bob',
    );
    expect(denied.status).toBe(403);
    expect(r.hubCalls).toEqual([]);
    expect(r.auditEvents.map(e => e.outcome)).toEqual(['fail']);
  });

  it('lets a configured Argo CD instance that serves the application win over the hub', async () => {
    const res = await post('the-hub', 'hello-world', 'sync');
    expect(res.status).toBe(200);
    expect(res.body.instance).toBe('hub-gitops');
    expect(r.argoCalls).toEqual(['sync hello-world openshift-gitops']);
    expect(r.hubCalls).toEqual([]);
  });

  it('refuses an unavailable cluster and an application the cluster does not run', async () => {
    r.store.upsert(
      'clusters',
      'east',
      toManagedCluster({
        metadata: { name: 'east', labels: { clusterGroup: 'group-one' } },
        spec: { hubAcceptsClient: true },
        status: {
          conditions: [
            { type: 'ManagedClusterJoined', status: 'True' },
            { type: 'ManagedClusterConditionAvailable', status: 'Unknown' },
          ],
        },
      }),
    );
    await published();
    const details = await request(r.app)
      .get('/v1/hubs/hub/clusters/east')
      .set('Authorization', user());
    expect(details.body.hubActions).toBe(false);
    const down = await post('east', 'hello-world', 'sync');
    expect(down.status).toBe(503);
    expect(down.body.error.message).toBe(
      'Cluster east is not available: the hub cannot carry the sync of hello-world to it now',
    );
    const elsewhere = await post('west', 'config-demo', 'sync');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).toBe(
      'Application config-demo on cluster west is not part of component:default/hello-world',
    );
    expect(r.hubCalls).toEqual([]);
    const west = await request(r.app)
      .get('/v1/hubs/hub/clusters/west')
      .set('Authorization', user());
    expect(west.body.hubActions).toBe(true);
  });
});
