/*
 * (Over 400 lines: one simulator and one backend, the slow part to start, serve every test.)
 *
 * The backend plugin against the real fleet simulator (no hand-written upstream mocks):
 * the wiring through the backend, auth, and what only the whole chain from upstream to
 * answer shows: topology, push channel, degradation per source, credentials, sync. The
 * router, scoping, views and sources are tested on their own beside their modules.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import {
  applicationKey,
  type TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import fs from 'node:fs';
import http from 'node:http';
import { join as joinPath } from 'node:path';
import request from 'supertest';
import YAML from 'yaml';
import zlib from 'node:zlib';
import {
  OWNER,
  permissionPolicy,
  recordingAuditor,
} from './__testUtils__/services';
import {
  simAdmin,
  simHub,
  simulatorTeardown,
  SIX_CLUSTER_FLEET,
  testServiceFactories,
  until as untilWithin,
} from './__testUtils__/simulator';
import { multicloudGitopsPlugin } from './plugin';

const OTHER = 'user:default/bob';

// The policy and auditor stand-ins, served to the test backend with the catalog's.
const policy = permissionPolicy();
const auditor = recordingAuditor();
const auditEvents = auditor.events;

describe('multicloud-gitops backend plugin on the fleet simulator', () => {
  let sim: RunningSimulator;
  let server: any;
  const user = (ref = OWNER) => mockCredentials.user.header(ref);

  const admin = async (path: string, body?: unknown, method = 'POST') => {
    const res = await simAdmin(sim, path, body, method);
    if (!res.ok) throw new Error(`admin ${path}: ${res.status} ${res.text}`);
    return res.body;
  };

  const topology = async (): Promise<TopologyResponse> => {
    const res = await request(server)
      .get('/api/multicloud-gitops/v1/topology?pattern=multicloud-gitops')
      .set('Authorization', user());
    expect(res.status).toBe(200);
    return res.body;
  };

  const until = <T>(
    fn: () => Promise<T | undefined | false>,
    timeoutMs = 10000,
  ) => untilWithin(fn, timeoutMs);

  const sourceState = async (name: string) =>
    (await topology()).sources.find(s => s.name === name);

  /** The plugin and its services; a second call makes a second replica on the same hub. */
  const features = () => [
    multicloudGitopsPlugin,
    ...testServiceFactories(policy.service, auditor.service),
    mockServices.rootConfig.factory({
      data: {
        multicloudGitops: {
          // The plugin only reads: give it the read-only token, as a real hub would.
          hubs: [simHub(sim, sim.readOnlyToken)],
        },
      },
    }),
  ];

  beforeAll(async () => {
    sim = await startSimulator(SIX_CLUSTER_FLEET);
    const backend = await startTestBackend({ features: features() });
    server = backend.server;
    await until(async () => {
      const t = await topology();
      return (
        t.sources.every(s => s.state === 'ok') && t.applications.length > 0
      );
    }, 20000);
  });

  simulatorTeardown(() => ({ server, sim }), policy);

  it('serves the generated fleet: hub, groups, statuses and applications joined to clusters', async () => {
    const t = await topology();
    expect(t.pattern).toBe('multicloud-gitops');
    expect(t.hub.clusterName).toBe('local-cluster');
    expect(t.clusters).toHaveLength(7);
    expect(t.clusters[0]).toMatchObject({ name: 'local-cluster', isHub: true });
    expect(t.groups.map(g => g.name)).toEqual([
      'hub',
      'group-one',
      'group-two',
    ]);
    const statuses = new Set(t.clusters.map(c => c.status));
    expect(statuses).toEqual(
      new Set(['available', 'unavailable', 'pending-import']),
    );
    const names = new Set(t.clusters.map(c => c.name));
    for (const app of t.applications) {
      expect(names.has(app.cluster)).toBe(true);
      expect(['Synced', 'OutOfSync', 'Unknown']).toContain(app.sync);
    }
    // The hub's applications come from its Argo CD instance, the spokes' from Search.
    expect(
      t.applications.some(
        a => a.cluster === 'local-cluster' && a.instance === 'hub-gitops',
      ),
    ).toBe(true);
    expect(
      t.applications.some(
        a => a.cluster !== 'local-cluster' && a.instance === undefined,
      ),
    ).toBe(true);
    // Argo CD's own applications carry the deployed revision, from the list as from the
    // stream, the multi-source app of apps too (status.sync.revisions).
    for (const a of t.applications.filter(x => x.instance === 'hub-gitops'))
      expect([a.name, a.revision]).toEqual([
        a.name,
        expect.stringMatching(/^[0-9a-f]{40}$/),
      ]);
    expect(
      t.applications.some(
        a => a.appOfApps && a.name === 'multicloud-gitops-group-one',
      ),
    ).toBe(true);
    expect(t.applicationRollup.total).toBe(t.applications.length);
    // The list shape stays small on a large fleet: no labels, source or destination.
    expect(t.clusters.some(c => 'labels' in c)).toBe(false);
    for (const key of ['labels', 'repoURL', 'path', 'destinationServer'])
      expect(t.applications.some(a => key in a)).toBe(false);
  });

  it('answers a repeat view with 304 and makes no upstream request for it', async () => {
    const first = await request(server)
      .get('/api/multicloud-gitops/v1/topology?pattern=multicloud-gitops')
      .set('Authorization', user());
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    await admin('counters/reset');
    for (let i = 0; i < 20; i++) {
      await request(server)
        .get(
          '/api/multicloud-gitops/v1/entity-topology?entityRef=system:default/multicloud-gitops',
        )
        .set('Authorization', user())
        .expect(200);
    }
    const second = await request(server)
      .get('/api/multicloud-gitops/v1/topology?pattern=multicloud-gitops')
      .set('Authorization', user())
      .set('If-None-Match', etag);
    expect([200, 304]).toContain(second.status);
    const counters = await admin('counters', undefined, 'GET');
    // Only the periodic Search poll (1 s here) may have run meanwhile: nothing per view.
    expect(
      counters['k8s.list'] +
        counters['argocd.list'] +
        counters['argocd.session'] +
        counters['k8s.get'],
    ).toBe(0);
    expect(counters.search).toBeLessThanOrEqual(3);
  });

  it('serves views compressed (Brotli or gzip) once per version, identical to the plain answer', async () => {
    const TOPOLOGY = `/api/multicloud-gitops/v1/topology?pattern=multicloud-gitops`;
    const plainView = () =>
      request(server)
        .get(TOPOLOGY)
        .set('Authorization', user())
        .set('Accept-Encoding', 'identity');
    // Browsers offer Brotli. Read with plain http so that no client library decodes the
    // body on the way.
    const raw = (encoding: string) =>
      new Promise<{ headers: http.IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          http
            .get(
              `http://127.0.0.1:${server.port()}${TOPOLOGY}`,
              {
                headers: { authorization: user(), 'accept-encoding': encoding },
              },
              res => {
                const chunks: Buffer[] = [];
                res.on('data', (c: Buffer) => chunks.push(c));
                res.on('end', () =>
                  resolve({
                    headers: res.headers,
                    body: Buffer.concat(chunks),
                  }),
                );
              },
            )
            .on('error', reject);
        },
      );
    // The fleet may still be settling from an earlier test (a sync's operation finishing), so
    // the answers are compared within one store version: the plain answer before and after
    // the compressed ones carries the same ETag.
    const { plain, zipped, br } = await until(async () => {
      const before = await plainView();
      const gz = await request(server)
        .get(TOPOLOGY)
        .set('Authorization', user())
        .set('Accept-Encoding', 'gzip, deflate');
      const b = await raw('gzip, deflate, br, zstd');
      const after = await plainView();
      return (
        before.headers.etag === after.headers.etag && {
          plain: before,
          zipped: gz,
          br: b,
        }
      );
    });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toMatch(/Accept-Encoding/);
    expect(zipped.body).toEqual(plain.body);
    expect(zipped.headers.etag).toBe(plain.headers.etag);
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(zlib.brotliDecompressSync(br.body).toString())).toEqual(
      plain.body,
    );
    expect(br.headers.etag).toBe(plain.headers.etag);
  });

  it('follows a spoke application pointed at another revision (Search)', async () => {
    const before = await topology();
    const app = before.applications.find(
      a => a.name === 'hello-world' && a.instance === undefined,
    )!;
    expect(app.targetRevision).not.toBe('release-2.1');
    await admin('mutate', {
      op: 'app-state',
      cluster: app.cluster,
      app: 'hello-world',
      targetRevision: 'release-2.1',
    });
    try {
      // Sync and health did not change: the revision alone must make a new version.
      const after = await until(async () => {
        const t = await topology();
        return (
          t.applications.find(a => applicationKey(a) === applicationKey(app))
            ?.targetRevision === 'release-2.1' && t
        );
      }, 8000);
      expect(after.version).toBeGreaterThan(before.version);
    } finally {
      await admin('mutate', {
        op: 'app-state',
        cluster: app.cluster,
        app: 'hello-world',
        targetRevision: app.targetRevision ?? 'HEAD',
      });
      // Leave the fleet as found: the next tests count versions.
      await until(
        async () =>
          (
            await topology()
          ).applications.find(a => applicationKey(a) === applicationKey(app))
            ?.targetRevision === app.targetRevision,
        8000,
      );
    }
  }, 20000);

  it('makes no new version for upstream updates that change nothing it shows', async () => {
    const t = await topology();
    const target = t.clusters.find(c => !c.isHub)!;
    // An annotation on a ManagedCluster: a MODIFIED watch event, nothing a view shows.
    const patch = await fetch(
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters/${target.name}`,
      {
        method: 'PATCH',
        headers: {
          authorization: `Bearer ${sim.token}`,
          'content-type': 'application/merge-patch+json',
        },
        body: JSON.stringify({
          metadata: { annotations: { 'example.com/touched': 'yes' } },
        }),
      },
    );
    expect(patch.status).toBe(200);
    // A compaction: every watch gets 410 and the plugin relists everything.
    await admin('counters/reset');
    await admin('watch/expire');
    await until(async () => {
      const c = await admin('counters', undefined, 'GET');
      return c['k8s.list'] >= 2 && c;
    }, 8000);
    await new Promise(r => setTimeout(r, 1500));
    const after = await topology();
    expect(after.version).toBe(t.version);
    // A real change still makes one.
    await admin('mutate', { op: 'cluster-unavailable', cluster: target.name });
    try {
      await until(async () => (await topology()).version > t.version, 5000);
    } finally {
      await admin('mutate', { op: 'cluster-available', cluster: target.name });
    }
  }, 30000);

  it('pushes a cluster going unavailable within 3 s', async () => {
    const t = await topology();
    const target = t.clusters.find(c => c.status === 'available' && !c.isHub)!;
    const port = server.port();
    const events: string[] = [];
    const req = http.get({
      host: '127.0.0.1',
      port,
      path: '/api/multicloud-gitops/v1/events',
      headers: { authorization: user(), accept: 'text/event-stream' },
    });
    const stream = await new Promise<http.IncomingMessage>(
      (resolve, reject) => {
        req.on('response', resolve);
        req.on('error', reject);
      },
    );
    stream.setEncoding('utf8');
    stream.on('data', (d: string) => events.push(d));
    await until(async () => events.join('').includes('topology-changed'), 3000);
    const before = events.length;
    const t0 = Date.now();
    await admin('mutate', { op: 'cluster-unavailable', cluster: target.name });
    try {
      await until(async () => events.length > before, 3000);
      // A client told about the change and refetching sees it.
      const after = await topology();
      expect(after.clusters.find(c => c.name === target.name)?.status).toBe(
        'unavailable',
      );
      expect(Date.now() - t0).toBeLessThan(3000);
    } finally {
      req.destroy();
    }
    await admin('mutate', { op: 'cluster-available', cluster: target.name });
  });

  it('keeps answering with the ACM part intact when Argo CD is down, and recovers', async () => {
    const clustersBefore = (await topology()).clusters.length;
    await admin('faults', {
      family: 'argocd',
      status: 503,
      dropConnections: true,
    });
    const failing = await until(async () => {
      const s = await sourceState('argocd/hub-gitops');
      return s?.state === 'error' ? s : undefined;
    }, 15000);
    expect(failing.message).toMatch(/Argo CD hub-gitops/);
    const t = await topology();
    expect(t.clusters).toHaveLength(clustersBefore);
    expect(t.sources.find(s => s.name === 'acm')?.state).toBe('ok');
    await admin('faults', undefined, 'DELETE');
    await until(
      async () => (await sourceState('argocd/hub-gitops'))?.state === 'ok',
      40000,
    );
  }, 60000);

  it('says which credential was rejected when the hub token is revoked, and recovers when restored', async () => {
    await admin('tokens/revoke', { token: sim.readOnlyToken });
    await admin('watch/expire');
    const failing = await until(async () => {
      const s = await sourceState('search');
      return s?.state === 'error' ? s : undefined;
    }, 15000);
    expect(failing.message).toContain(
      'multicloudGitops.hubs[0].serviceAccountToken',
    );
    expect(failing.message).not.toContain(sim.readOnlyToken);
    const acm = await until(async () => {
      const s = await sourceState('acm');
      return s?.state === 'error' ? s : undefined;
    }, 15000);
    expect(acm.message).toContain(
      'rejected the token multicloudGitops.hubs[0].serviceAccountToken (401 Unauthorized)',
    );
    await admin('tokens/restore', { token: sim.readOnlyToken });
    await until(async () => (await sourceState('acm'))?.state === 'ok', 40000);
    await until(
      async () => (await sourceState('search'))?.state === 'ok',
      40000,
    );
  }, 60000);

  it('refuses callers without credentials (401) and without permission (403)', async () => {
    await request(server).get('/api/multicloud-gitops/v1/hubs').expect(401);
    await request(server)
      .get('/api/multicloud-gitops/v1/hubs')
      .set('Authorization', mockCredentials.none.header())
      .expect(401);
    policy.denyReads = true;
    try {
      // A caller not seen in the last accessCacheSeconds: the policy is asked now.
      const res = await request(server)
        .get('/api/multicloud-gitops/v1/hubs')
        .set('Authorization', user('user:default/mallory'));
      expect(res.status).toBe(403);
      expect(res.body.error.message).toContain(
        'multicloud-gitops.topology.read',
      );
    } finally {
      policy.denyReads = false;
    }
  });

  it('lets the owner sync an application of the entity, denies others, and audits both', async () => {
    const t = await topology();
    const app = t.applications.find(
      a => a.instance === 'hub-gitops' && a.name === 'hello-world',
    )!;
    expect(app).toBeDefined();
    const path = `/api/multicloud-gitops/v1/hubs/hub/argocd/hub-gitops/applications/${app.name}/sync`;
    const denied = await request(server)
      .post(path)
      .set('Authorization', user(OTHER))
      .send({ entityRef: 'component:default/hello-world' });
    expect(denied.status).toBe(403);
    const ok = await request(server)
      .post(path)
      .set('Authorization', user(OWNER))
      .send({ entityRef: 'component:default/hello-world' });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      application: 'hello-world',
      action: 'sync',
      instance: 'hub-gitops',
    });
    const syncs = auditEvents.filter(e => e.eventId === 'application-sync');
    expect(syncs.map(e => e.outcome)).toEqual(['fail', 'success']);
    // An owner of one entity cannot sync an application that is not part of it.
    const other = t.applications.find(
      a => a.instance === 'hub-gitops' && a.name !== 'hello-world',
    )!;
    const res = await request(server)
      .post(
        `/api/multicloud-gitops/v1/hubs/hub/argocd/hub-gitops/applications/${other.name}/refresh`,
      )
      .set('Authorization', user(OWNER))
      .send({ entityRef: 'component:default/hello-world' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain(
      'is not part of component:default/hello-world',
    );
  });

  it('answers as the OpenAPI document beside the router says', async () => {
    // The document is what integrators read: a field added, renamed or left out of an
    // answer without it fails here. Merge keys (<<) share the list shape with the details.
    const doc = YAML.parse(
      fs.readFileSync(joinPath(__dirname, 'routes', 'openapi.yaml'), 'utf8'),
      { merge: true },
    );
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv); // date-time and uri are checked, not ignored
    ajv.addSchema({ components: doc.components }, 'openapi');
    const check = (schema: string, body: unknown) => {
      const validate = ajv.getSchema(`openapi#/components/schemas/${schema}`)!;
      const ok = validate(body);
      expect(ok ? [] : validate.errors!.slice(0, 5)).toEqual([]);
    };
    const get = async (url: string) => {
      const res = await request(server).get(url).set('Authorization', user());
      expect(res.status).toBe(200);
      return res.body;
    };
    check('HubsResponse', await get('/api/multicloud-gitops/v1/hubs'));
    const t = await get(
      '/api/multicloud-gitops/v1/topology?pattern=multicloud-gitops',
    );
    check('TopologyResponse', t);
    check(
      'TopologyResponse',
      await get(
        '/api/multicloud-gitops/v1/entity-topology?entityRef=component:default/hello-world',
      ),
    );
    check(
      'FleetResponse',
      await get(
        '/api/multicloud-gitops/v1/fleet?limit=20&appLimit=20&sort=problems',
      ),
    );
    // The hub (Argo CD's own view: multi-source chart apps with chartVersion) and two spokes.
    const hub = t.clusters.find((c: { isHub: boolean }) => c.isHub);
    const spokes = t.clusters.filter((c: { isHub: boolean }) => !c.isHub);
    for (const c of [hub, ...spokes.slice(0, 2)])
      check(
        'ClusterDetails',
        await get(`/api/multicloud-gitops/v1/hubs/hub/clusters/${c.name}`),
      );
  });

  it('returns cluster details with conditions, versions, nodes, policies, apps and links', async () => {
    const t = await topology();
    const c = t.clusters.find(x => x.status === 'available' && !x.isHub)!;
    const res = await request(server)
      .get(`/api/multicloud-gitops/v1/hubs/hub/clusters/${c.name}`)
      .set('Authorization', user());
    expect(res.status).toBe(200);
    expect(
      res.body.conditions.some(
        (x: any) => x.type === 'ManagedClusterConditionAvailable',
      ),
    ).toBe(true);
    expect(res.body.nodes.length).toBeGreaterThan(0);
    expect(res.body.applications.every((a: any) => a.cluster === c.name)).toBe(
      true,
    );
    // Details carry what the list leaves out.
    expect(res.body.cluster.labels.clusterGroup).toBe(c.group);
    const app = res.body.applications.find(
      (a: any) => a.name === 'config-demo',
    );
    expect(app.repoURL).toMatch(/^https:\/\//);
    expect(app.path).toBe('charts/all/config-demo');
    expect(app.labels).toEqual(expect.any(Object));
    // Search indexes only spec.source: a multi-source chart app has no source there, and
    // the "HEAD" Search fills in is not passed off as its target.
    const eso = res.body.applications.find(
      (a: any) => a.name === 'golang-external-secrets',
    );
    expect(eso).toBeDefined();
    expect(eso.repoURL).toBeUndefined();
    expect(eso.targetRevision).toBeUndefined();
    expect(res.body.links.map((l: any) => l.kind)).toContain(
      'openshift-console',
    );
    expect(JSON.stringify(res.body)).not.toContain(sim.token);
    expect(JSON.stringify(res.body)).not.toContain(sim.argocd.password);
  });

  it("names a chart application's chart and version from Argo CD, and the pattern branch it follows", async () => {
    const res = await request(server)
      .get('/api/multicloud-gitops/v1/hubs/hub/clusters/local-cluster')
      .set('Authorization', user());
    expect(res.status).toBe(200);
    const byName = new Map(res.body.applications.map((a: any) => [a.name, a]));
    // values-hub.yaml: acm {chart: acm, chartVersion: 0.2.*}, multi-source behind the pattern repo
    expect(byName.get('acm')).toMatchObject({
      repoURL: 'https://charts.validatedpatterns.io',
      chart: 'acm',
      chartVersion: '0.2.*',
      targetRevision: 'main',
      revision: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(byName.get('multicloud-gitops-hub')).toMatchObject({
      appOfApps: true,
      chart: 'clustergroup',
      chartVersion: '0.9.*',
      targetRevision: 'main',
    });
    expect(byName.get('hello-world')).toMatchObject({
      path: 'charts/all/hello-world',
      targetRevision: 'main',
    });
    expect((byName.get('hello-world') as any).chartVersion).toBeUndefined();
  });
});
