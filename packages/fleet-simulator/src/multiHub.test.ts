import net from 'net';
import {
  resolveHubOptions,
  RunningSimulators,
  startSimulator,
  startSimulators,
} from './index';
import { request } from './testUtils';

jest.setTimeout(30000);

const MC = '/apis/cluster.open-cluster-management.io/v1/managedclusters';
const SEARCH_APPS =
  'query searchResult($input: [SearchInput]) { searchResult: search(input: $input) { count items } }';

/** A port nobody listens on now, with `count - 1` free ones after it. */
async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const servers: net.Server[] = [];
    try {
      for (let i = 0; i < count; i++) {
        const s = net.createServer();
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(base + i, '127.0.0.1', () => resolve());
        });
        servers.push(s);
      }
      return base;
    } catch {
      // taken: try another range
    } finally {
      await Promise.all(
        servers.map(s => new Promise(r => s.close(() => r(undefined)))),
      );
    }
  }
  throw new Error('no free port range');
}

/** Whether anything accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise(resolve => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const names = (list: any) =>
  list.json.items.map((i: any) => i.metadata.name).sort();

describe('several hubs', () => {
  let sims: RunningSimulators;
  let base: number;

  beforeAll(async () => {
    base = await freePorts(2);
    sims = await startSimulators({
      hubs: 2,
      port: base,
      clusters: 8,
      groups: 2,
      seed: 7,
    });
  });
  afterAll(() => sims?.stop());

  it('gives each hub its own consecutive port, name and tokens', () => {
    const [one, two] = sims.hubs;
    expect(sims.hubs).toHaveLength(2);
    expect(one.url).toBe(`http://127.0.0.1:${base}`);
    expect(two.url).toBe(`http://127.0.0.1:${base + 1}`);
    expect(one.hubName).toBe('hub-1');
    expect(two.hubName).toBe('hub-2');
    expect(one.token).toBe('fleet-simulator-token');
    expect(two.token).toBe('fleet-simulator-token-2');
    expect(two.readOnlyToken).toBe('fleet-simulator-token-2-read-only');
    expect(two.argocd.url).toBe(`${two.url}/argocd/local-cluster`);
    expect(two.searchUrl).toBe(`${two.url}/searchapi/graphql`);
    expect(two.clusterProxyUrl).toBe(`${two.url}/cluster-proxy`);
  });

  it('answers each hub with its own token and refuses the other hub’s (k8s 401, Search 403)', async () => {
    const [one, two] = sims.hubs;
    for (const [hub, other] of [
      [one, two],
      [two, one],
    ]) {
      expect(
        (await request('GET', `${hub.url}${MC}`, { token: hub.token })).status,
      ).toBe(200);
      expect(
        (await request('GET', `${hub.url}${MC}`, { token: other.token }))
          .status,
      ).toBe(401);
      expect(
        (
          await request('GET', `${hub.url}${MC}`, {
            token: other.readOnlyToken,
          })
        ).status,
      ).toBe(401);
      // ACM Search's TokenReview says "not authenticated": 403, as upstream answers
      const search = await request('POST', hub.searchUrl, {
        token: other.token,
      });
      expect(search.status).toBe(403);
      expect(search.json).toEqual({ message: 'Invalid token' });
    }
  });

  it('has a different fleet on each hub, both with their own local-cluster', async () => {
    const [one, two] = sims.hubs;
    const a = await request('GET', `${one.url}${MC}`, { token: one.token });
    const b = await request('GET', `${two.url}${MC}`, { token: two.token });
    expect(a.json.items).toHaveLength(9);
    expect(b.json.items).toHaveLength(9);
    expect(names(a)).toContain('local-cluster');
    expect(names(b)).toContain('local-cluster');
    const ids = (l: any) =>
      l.json.items.map((i: any) => i.metadata.labels.clusterID).sort();
    expect(ids(a)).not.toEqual(ids(b));
    // the spokes themselves differ (names, clouds or regions), not only their ids
    expect(
      a.json.items.map(
        (i: any) => `${i.metadata.name}/${i.metadata.labels.region}`,
      ),
    ).not.toEqual(
      b.json.items.map(
        (i: any) => `${i.metadata.name}/${i.metadata.labels.region}`,
      ),
    );
  });

  it('shows the hub name where ACM shows the hub cluster’s own name', async () => {
    for (const hub of sims.hubs) {
      const local = await request('GET', `${hub.url}${MC}/local-cluster`, {
        token: hub.token,
      });
      const claims = Object.fromEntries(
        local.json.status.clusterClaims.map((c: any) => [c.name, c.value]),
      );
      expect(claims['consoleurl.cluster.open-cluster-management.io']).toBe(
        `https://console-openshift-console.apps.${hub.hubName}.fleet.example.com`,
      );
      expect(
        JSON.parse(claims['infrastructure.openshift.io']).infraName,
      ).toMatch(new RegExp(`^${hub.hubName}-`));
      expect(local.json.spec.managedClusterClientConfigs[0].url).toBe(
        `https://api.${hub.hubName}.fleet.example.com:6443`,
      );
      const patterns = await request(
        'GET',
        `${hub.url}/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/patterns`,
        { token: hub.token },
      );
      expect(patterns.json.items[0].status.clusterName).toBe(hub.hubName);
      const settings = await request(
        'GET',
        `${hub.argocd.url}/api/v1/settings`,
      );
      expect(settings.json.url).toContain(`.apps.${hub.hubName}.`);
    }
  });

  it('has its own ACM Search and Argo CD on each hub', async () => {
    const spokeApps = async (hub: (typeof sims.hubs)[0]) => {
      const r = await request('POST', hub.searchUrl, {
        token: hub.token,
        body: {
          operationName: 'searchResult',
          query: SEARCH_APPS,
          variables: {
            input: [
              {
                filters: [{ property: 'kind', values: ['Application'] }],
                limit: -1,
              },
            ],
          },
        },
      });
      expect(r.status).toBe(200);
      return r.json.data.searchResult[0].items
        .map((i: any) => i._uid)
        .sort() as string[];
    };
    const [one, two] = sims.hubs;
    const uidsOne = await spokeApps(one);
    const uidsTwo = await spokeApps(two);
    expect(uidsOne.length).toBeGreaterThan(6);
    expect(uidsTwo.length).toBeGreaterThan(6);
    expect(uidsOne.filter(u => uidsTwo.includes(u))).toEqual([]);

    const argoApps = async (hub: (typeof sims.hubs)[0]) => {
      const r = await request('GET', `${hub.argocd.url}/api/v1/applications`, {
        token: hub.token,
      });
      expect(r.status).toBe(200);
      return r.json.items.map((a: any) => a.metadata.uid).sort();
    };
    const argoOne = await argoApps(one);
    const argoTwo = await argoApps(two);
    expect(argoOne.length).toBeGreaterThan(0);
    expect(argoOne).not.toEqual(argoTwo);
    // an Argo CD session of one hub is unknown to the other
    const login = await request('POST', `${one.argocd.url}/api/v1/session`, {
      body: { username: one.argocd.username, password: one.argocd.password },
    });
    expect(
      (
        await request('GET', `${one.argocd.url}/api/v1/applications`, {
          token: login.json.token,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await request('GET', `${two.argocd.url}/api/v1/applications`, {
          token: login.json.token,
        })
      ).status,
    ).toBe(401);
  });

  it('keeps admin mutations to the hub they were made on', async () => {
    const [one, two] = sims.hubs;
    const labelled = async (hub: (typeof sims.hubs)[0]) =>
      (
        await request('GET', `${hub.url}${MC}/local-cluster`, {
          token: hub.token,
        })
      ).json.metadata.labels.environment;
    const m = await request('POST', `${one.url}/_simulator/mutate`, {
      token: one.token,
      body: {
        op: 'cluster-labels',
        cluster: 'local-cluster',
        labels: { environment: 'only-on-hub-1' },
      },
    });
    expect(m.status).toBe(200);
    expect(await labelled(one)).toBe('only-on-hub-1');
    expect(await labelled(two)).toBeUndefined();
    // and the other hub's admin API does not take the first hub's token
    const denied = await request('POST', `${two.url}/_simulator/mutate`, {
      token: one.token,
      body: {
        op: 'cluster-labels',
        cluster: 'local-cluster',
        labels: { environment: 'x' },
      },
    });
    expect(denied.status).toBe(401);
  });
});

describe('startSimulators', () => {
  it('stop() closes every port', async () => {
    const sims = await startSimulators({ hubs: 3, clusters: 1 });
    const ports = sims.hubs.map(h => Number(new URL(h.url).port));
    expect(new Set(ports).size).toBe(3);
    for (const p of ports) expect(await listening(p)).toBe(true);
    await sims.stop();
    for (const p of ports) expect(await listening(p)).toBe(false);
  });

  it('makes the same fleets from the same seed, and hub 1 the one-hub fleet', async () => {
    const fleet = async (hub: {
      url: string;
      token: string;
    }): Promise<string[]> =>
      (
        await request('GET', `${hub.url}${MC}`, { token: hub.token })
      ).json.items.map(
        (i: any) => i.metadata.labels.clusterID ?? i.metadata.name,
      );
    const a = await startSimulators({ hubs: 2, clusters: 4, seed: 'same' });
    const b = await startSimulators({ hubs: 2, clusters: 4, seed: 'same' });
    const single = await startSimulator({ clusters: 4, seed: 'same' });
    try {
      expect(await fleet(a.hubs[1])).toEqual(await fleet(b.hubs[1]));
      expect(await fleet(a.hubs[0])).toEqual(await fleet(single));
      expect(await fleet(a.hubs[0])).not.toEqual(await fleet(a.hubs[1]));
    } finally {
      await Promise.all([a.stop(), b.stop(), single.stop()]);
    }
  });

  it('stops the hubs it started when a later one cannot listen', async () => {
    const base = await freePorts(2);
    const blocker = net.createServer();
    await new Promise<void>(r => blocker.listen(base + 1, '127.0.0.1', r));
    try {
      await expect(startSimulators({ hubs: 2, port: base })).rejects.toThrow(
        /EADDRINUSE/,
      );
      expect(await listening(base)).toBe(false);
    } finally {
      await new Promise(r => blocker.close(r));
    }
  });

  it('takes given names and tokens, and checks the per-hub options', () => {
    const hubs = resolveHubOptions({
      hubs: 2,
      hubNames: ['east', 'west'],
      tokens: ['t-east', 't-west'],
      seed: 3,
    });
    expect(hubs.map(h => [h.hubName, h.token, h.seed, h.port])).toEqual([
      ['east', 't-east', 3, 0],
      ['west', 't-west', '3:hub-2', 0],
    ]);
    expect(
      resolveHubOptions({ hubs: 3, token: 'mine', port: 7008 }).map(h => [
        h.token,
        h.port,
      ]),
    ).toEqual([
      ['mine', 7008],
      ['mine-2', 7009],
      ['mine-3', 7010],
    ]);
    expect(() => resolveHubOptions({ hubs: 0 })).toThrow(
      'hubs must be an integer from 1 to 10',
    );
    expect(() => resolveHubOptions({ hubs: 11 })).toThrow(
      'hubs must be an integer from 1 to 10',
    );
    expect(() => resolveHubOptions({ hubs: 2, tokens: ['a'] })).toThrow(
      'tokens must have one entry per hub (2), got 1',
    );
    expect(() => resolveHubOptions({ hubs: 2, tokens: ['a', 'a'] })).toThrow(
      'tokens must not repeat an entry',
    );
    expect(() =>
      resolveHubOptions({ hubs: 2, hubNames: ['a', 'Not_A_Label'] }),
    ).toThrow(/hub name "Not_A_Label" must be a DNS-1123 label/);
    expect(() => resolveHubOptions({ hubs: 3, port: 65534 })).toThrow(
      /room for 3 consecutive ports/,
    );
  });

  it('leaves a single startSimulator() hub unnamed and its local-cluster as before', async () => {
    const sim = await startSimulator({ clusters: 0 });
    try {
      expect(sim.hubName).toBeUndefined();
      expect(sim.token).toBe('fleet-simulator-token');
      const local = await request('GET', `${sim.url}${MC}/local-cluster`, {
        token: sim.token,
      });
      expect(local.json.spec.managedClusterClientConfigs[0].url).toBe(
        'https://api.local-cluster.fleet.example.com:6443',
      );
    } finally {
      await sim.stop();
    }
  });
});
