import { mockServices } from '@backstage/backend-test-utils';
import { ArgoInstanceSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import http from 'node:http';
import { standIn, until } from '../__testUtils__/http';
import { HubStore } from '../store/HubStore';
import { ArgoSource } from './ArgoSource';
import { MAX_ANSWER_BYTES } from './limits';

const app = (name: string, sync = 'Synced') => ({
  metadata: { name, namespace: 'openshift-gitops', labels: {} },
  spec: { project: 'default', destination: { name: 'in-cluster' } },
  status: { sync: { status: sync }, health: { status: 'Healthy' } },
});

/**
 * A stand-in Argo CD: sessions for admin/secret (a new token each), a list, and an
 * application stream the test writes events to.
 */
async function argoCd() {
  const state = {
    valid: new Set<string>(),
    sessions: 0,
    listed: [] as string[],
    items: [app('a'), app('b'), { metadata: {} }] as unknown[],
    stream: undefined as http.ServerResponse | undefined,
    synced: [] as unknown[],
  };
  const json = (res: http.ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = await standIn((req, body, res) => {
    const url = new URL(req.url!, 'http://x');
    if (url.pathname === '/api/v1/session') {
      const { username, password } = JSON.parse(body);
      if (username !== 'admin' || password !== 'secret')
        return json(res, 401, { message: 'invalid username or password' });
      const token = `session-${++state.sessions}`;
      state.valid.add(token);
      return json(res, 200, { token });
    }
    const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (!state.valid.has(token))
      return json(res, 401, { message: 'invalid session' });
    if (url.pathname === '/api/v1/applications') {
      state.listed.push(url.searchParams.get('fields') ?? '');
      return json(res, 200, {
        metadata: { resourceVersion: '7' },
        items: state.items,
      });
    }
    if (url.pathname === '/api/v1/stream/applications') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('\n');
      state.stream = res;
      return undefined;
    }
    if (url.pathname === '/api/v1/applications/a/sync') {
      state.synced.push(JSON.parse(body));
      return json(res, 200, app('a', 'OutOfSync'));
    }
    return json(res, 404, { message: 'not found' });
  });
  const send = (type: string, application: unknown) =>
    state.stream!.write(
      `data: ${JSON.stringify({ result: { type, application } })}\n\n`,
    );
  return { server, state, send };
}

describe('ArgoSource', () => {
  let argo: Awaited<ReturnType<typeof argoCd>>;
  let source: ArgoSource | undefined;
  const warnings: string[] = [];
  const start = (settings: Partial<ArgoInstanceSettings>) => {
    const store = new HubStore('hub', 0);
    const logger = mockServices.logger.mock();
    logger.warn.mockImplementation((m: string) => {
      warnings.push(m);
    });
    source = new ArgoSource({
      store,
      settings: {
        name: 'gitops',
        url: argo.server.url,
        uiUrl: argo.server.url,
        ...settings,
      },
      logger,
      credentialKey:
        'password of account "admin" (multicloudGitops.hubs[0].argocd[0].password)',
    });
    source.start();
    return { store, source };
  };
  beforeEach(async () => {
    argo = await argoCd();
    warnings.length = 0;
  });
  afterEach(async () => {
    await source?.stop();
    source = undefined;
    await argo.server.close();
  });

  it('lists the applications once, projected, then follows their stream', async () => {
    const { store } = start({ username: 'admin', password: 'secret' });
    const status = await until(() => {
      const s = store.source('argocd/gitops');
      return s?.state === 'ok' && s;
    });
    expect(status).toMatchObject({
      message: '1 malformed application(s) skipped',
      skipped: 1,
    });
    expect(argo.state.listed).toHaveLength(1);
    expect(argo.state.listed[0]).toContain('items.status.sync.revision');
    const apps = () => store.argoApps.get('gitops')!;
    expect([...apps().keys()]).toEqual([
      'openshift-gitops/a',
      'openshift-gitops/b',
    ]);

    await until(() => argo.state.stream);
    const version = store.version;
    // A reconcile that changes nothing we keep makes no new version.
    argo.send('MODIFIED', app('a'));
    argo.send('MODIFIED', app('a', 'OutOfSync'));
    argo.send('DELETED', app('b'));
    await until(() => apps().size === 1);
    expect(apps().get('openshift-gitops/a')?.sync).toBe('OutOfSync');
    expect(store.version).toBe(version + 2);
    // One session for all of it.
    expect(argo.state.sessions).toBe(1);
  });

  it('logs in again once when its session expired', async () => {
    const { store, source: s } = start({
      username: 'admin',
      password: 'secret',
    });
    await until(() => store.source('argocd/gitops')?.state === 'ok');
    argo.state.valid.clear();
    const after = await s.sync('a', 'openshift-gitops');
    expect(after.sync).toBe('OutOfSync');
    expect(argo.state.synced).toEqual([
      { prune: false, dryRun: false, appNamespace: 'openshift-gitops' },
    ]);
    expect(argo.state.sessions).toBe(2);
  });

  it('names the rejected credential by its key, never by its value', async () => {
    const { store } = start({ username: 'admin', password: 'wrong' });
    const failing = await until(() => {
      const st = store.source('argocd/gitops');
      return st?.state === 'error' && st;
    });
    expect(failing.message).toBe(
      `Argo CD gitops at ${argo.server.url} rejected the password of account "admin" (multicloudGitops.hubs[0].argocd[0].password) (401): renew it`,
    );
    expect(JSON.stringify(failing)).not.toContain('wrong');
    expect(warnings).toEqual([failing.message]);
  });

  it('refuses an oversized list as it streams in, with the reason, and keeps no part of it', async () => {
    // one application padded past the cap: valid JSON, too large to buffer
    argo.state.items = [{ ...app('huge'), pad: 'x'.repeat(MAX_ANSWER_BYTES) }];
    const { store } = start({ username: 'admin', password: 'secret' });
    const failing = await until(() => {
      const st = store.source('argocd/gitops');
      return st?.state === 'error' && st;
    });
    expect(failing.message).toMatch(
      `answer from ${argo.server.url} is larger than 32 MiB: refused`,
    );
    expect(failing.since).toBeDefined();
    expect(store.argoApps.get('gitops')?.size ?? 0).toBe(0);
  });

  it('closes a stream whose event grows past the cap, with the reason, instead of buffering on', async () => {
    const { store } = start({ username: 'admin', password: 'secret' });
    await until(() => argo.state.stream);
    const mib = `data: ${'x'.repeat(1024 * 1024)}`;
    for (let i = 0; i <= MAX_ANSWER_BYTES / (1024 * 1024); i++)
      argo.state.stream!.write(mib);
    const failing = await until(() => {
      const st = store.source('argocd/gitops');
      return st?.state === 'error' && st;
    });
    expect(failing.message).toContain(
      `event from ${argo.server.url}/api/v1/stream/applications is larger than 32 MiB: refused`,
    );
  });

  it('reads an event whose blank line is split across two chunks', async () => {
    const { store } = start({ username: 'admin', password: 'secret' });
    await until(() => argo.state.stream);
    const event = (name: string) =>
      `data: ${JSON.stringify({
        result: { type: 'ADDED', application: app(name) },
      })}\n`;
    argo.state.stream!.write(event('c'));
    await new Promise(r => setTimeout(r, 50));
    argo.state.stream!.write(`\n${event('d')}`);
    await new Promise(r => setTimeout(r, 50));
    argo.state.stream!.write('\n');
    await until(() => store.argoApps.get('gitops')?.size === 4);
    expect([...store.argoApps.get('gitops')!.keys()]).toContain(
      'openshift-gitops/d',
    );
  });
});
