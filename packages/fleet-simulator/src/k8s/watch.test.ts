import {
  CustomObjectsApi,
  KubeConfig,
  makeInformer,
  KubernetesObject,
} from '@kubernetes/client-node';
import { RunningSimulator, startSimulator } from '../index';
import { request, stream, waitFor } from '../testUtils';

const MC = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
};
const MC_PATH = '/apis/cluster.open-cluster-management.io/v1/managedclusters';

jest.setTimeout(20000);

describe('kubernetes watch', () => {
  let sim: RunningSimulator;
  let kc: KubeConfig;
  beforeAll(async () => {
    sim = await startSimulator({ clusters: 5, seed: 'watch' });
    kc = new KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'hub', server: sim.url, skipTLSVerify: true }],
      users: [{ name: 'u', token: sim.token }],
      contexts: [{ name: 'c', cluster: 'hub', user: 'u' }],
      currentContext: 'c',
    });
  });
  afterAll(() => sim.stop());

  it('feeds a client-node informer ADDED/MODIFIED/DELETED and survives a forced 410', async () => {
    const api = kc.makeApiClient(CustomObjectsApi);
    const informer = makeInformer<KubernetesObject>(kc, MC_PATH, () =>
      api.listClusterCustomObject(MC),
    );
    const events: string[] = [];
    const errors: unknown[] = [];
    informer.on('add', o => events.push(`add ${o.metadata?.name}`));
    informer.on('update', o => events.push(`update ${o.metadata?.name}`));
    informer.on('delete', o => events.push(`delete ${o.metadata?.name}`));
    informer.on('error', e => errors.push(e));
    await informer.start();
    try {
      await waitFor(() => informer.list().length === 6);
      const body = {
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name: 'watched' },
        spec: { hubAcceptsClient: true },
      };
      await request('POST', `${sim.url}${MC_PATH}`, { token: sim.token, body });
      await waitFor(() => events.includes('add watched'));
      await request('PATCH', `${sim.url}${MC_PATH}/watched`, {
        token: sim.token,
        body: { metadata: { labels: { a: 'b' } } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
      await waitFor(() => events.includes('update watched'));
      expect(informer.get('watched')?.metadata?.labels).toEqual({ a: 'b' });

      // force 410: open watches get an ERROR event; the informer relists and keeps going
      const lists = async () =>
        (
          await request('GET', `${sim.url}/_simulator/counters`, {
            token: sim.token,
          })
        ).json['k8s.list'];
      const before = await lists();
      const exp = await request('POST', `${sim.url}/_simulator/watch/expire`, {
        token: sim.token,
      });
      expect(exp.json.expiredWatches).toBeGreaterThanOrEqual(1);
      await waitFor(async () => (await lists()) > before);
      await request('DELETE', `${sim.url}${MC_PATH}/watched`, {
        token: sim.token,
      });
      await waitFor(() => events.includes('delete watched'));
      await request('POST', `${sim.url}/_simulator/mutate`, {
        token: sim.token,
        body: {
          op: 'cluster-unavailable',
          cluster: informer
            .list()
            .find(
              o =>
                !o.metadata?.labels?.['local-cluster'] &&
                (o as any).status?.conditions?.some(
                  (c: any) =>
                    c.type === 'ManagedClusterConditionAvailable' &&
                    c.status === 'True',
                ),
            )!.metadata!.name,
        },
      });
      await waitFor(
        () => events.filter(e => e.startsWith('update')).length >= 2,
      );
      expect(informer.list()).toHaveLength(6);
      expect(errors).toEqual([]);
    } finally {
      await informer.stop();
    }
  });

  it('streams newline-delimited events, BOOKMARKs only on request, and an in-stream ERROR 410 for old RVs', async () => {
    const list = await request('GET', `${sim.url}${MC_PATH}`, {
      token: sim.token,
    });
    const rv = list.json.metadata.resourceVersion;
    const body = {
      apiVersion: 'cluster.open-cluster-management.io/v1',
      kind: 'ManagedCluster',
      metadata: { name: 'raw' },
      spec: { hubAcceptsClient: true },
    };
    setTimeout(
      () => request('POST', `${sim.url}${MC_PATH}`, { token: sim.token, body }),
      100,
    );
    const s = await stream(
      `${sim.url}${MC_PATH}?watch=true&resourceVersion=${rv}`,
      sim.token,
      t => t.includes('"raw"'),
    );
    expect(s.status).toBe(200);
    const ev = JSON.parse(s.text.trim().split('\n')[0]);
    expect(ev.type).toBe('ADDED');
    expect(ev.object).toMatchObject({
      kind: 'ManagedCluster',
      apiVersion: 'cluster.open-cluster-management.io/v1',
      metadata: { name: 'raw' },
    });
    expect(Number(ev.object.metadata.resourceVersion)).toBeGreaterThan(
      Number(rv),
    );

    // without rv: synthetic ADDED for everything, no bookmark unless asked
    const all = await stream(
      `${sim.url}${MC_PATH}?watch=true&timeoutSeconds=1`,
      sim.token,
      () => false,
    );
    const lines = all.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(all.ended).toBe(true); // timeoutSeconds honoured
    expect(lines.every(l => l.type === 'ADDED')).toBe(true);
    expect(lines).toHaveLength(7);

    const bm = await stream(
      `${sim.url}${MC_PATH}?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=8`,
      sim.token,
      t => t.includes('BOOKMARK'),
    );
    const b = bm.text
      .trim()
      .split('\n')
      .map(l => JSON.parse(l))
      .find(l => l.type === 'BOOKMARK');
    expect(b.object).toEqual({
      kind: 'ManagedCluster',
      apiVersion: 'cluster.open-cluster-management.io/v1',
      metadata: { resourceVersion: expect.any(String) },
    });

    await request('POST', `${sim.url}/_simulator/watch/expire`, {
      token: sim.token,
    });
    const old = await stream(
      `${sim.url}${MC_PATH}?watch=true&resourceVersion=${rv}`,
      sim.token,
      t => t.includes('ERROR'),
    );
    expect(old.status).toBe(200);
    const err = JSON.parse(old.text.trim());
    expect(err).toEqual({
      type: 'ERROR',
      object: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: expect.stringMatching(
          /^too old resource version: \d+ \(\d+\)$/,
        ),
        reason: 'Expired',
        code: 410,
      },
    });
  });

  it('sends DELETED/ADDED when objects leave/enter a label-selected watch', async () => {
    const list = await request(
      'GET',
      `${sim.url}${MC_PATH}?labelSelector=team%3Dblue`,
      { token: sim.token },
    );
    expect(list.json.items).toEqual([]);
    const rv = list.json.metadata.resourceVersion;
    const patch = (labels: any) =>
      request('PATCH', `${sim.url}${MC_PATH}/local-cluster`, {
        token: sim.token,
        body: { metadata: { labels } },
        headers: { 'Content-Type': 'application/merge-patch+json' },
      });
    setTimeout(async () => {
      await patch({ team: 'blue' });
      await patch({ other: 'x' });
      await patch({ team: null });
    }, 50);
    const s = await stream(
      `${sim.url}${MC_PATH}?watch=true&labelSelector=team%3Dblue&resourceVersion=${rv}`,
      sim.token,
      t => t.split('\n').filter(Boolean).length >= 3,
    );
    expect(
      s.text
        .trim()
        .split('\n')
        .map(l => JSON.parse(l).type),
    ).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });
});
