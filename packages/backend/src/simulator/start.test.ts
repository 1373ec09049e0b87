import net from 'node:net';
import http from 'node:http';
import { ConfigReader } from '@backstage/config';
import { readSimulatorConfig } from './config';
import { startConfiguredHubs } from './start';

jest.setTimeout(30000);

/** A port with the next one free too (the hubs take consecutive ports). */
async function freePortPair(): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 40000);
    const servers: net.Server[] = [];
    try {
      for (const port of [base, base + 1]) {
        const s = net.createServer();
        await new Promise<void>((resolve, reject) => {
          s.once('error', reject);
          s.listen(port, '127.0.0.1', () => resolve());
        });
        servers.push(s);
      }
      return base;
    } catch {
      // taken: try another pair
    } finally {
      await Promise.all(
        servers.map(s => new Promise(r => s.close(() => r(undefined)))),
      );
    }
  }
  throw new Error('no two free consecutive ports');
}

/** GET with node:http (the test setup blocks global fetch). */
function get(
  url: string,
  token: string,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get(
        url,
        { headers: { Authorization: `Bearer ${token}` }, agent: false },
        res => {
          let text = '';
          res.on('data', c => (text += c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }),
          );
        },
      )
      .on('error', reject);
  });
}

const MC = '/apis/cluster.open-cluster-management.io/v1/managedclusters';

describe('startConfiguredHubs', () => {
  it('starts simulator.hubs hubs on consecutive ports from simulator.port, and stops them all', async () => {
    const port = await freePortPair();
    const config = readSimulatorConfig(
      new ConfigReader({
        multicloudGitops: {
          simulator: { enabled: true, hubs: 2, port, clusters: 2 },
        },
      }),
    )!;
    const hubs = await startConfiguredHubs(config, () => undefined);
    try {
      expect(hubs.urls).toEqual([
        `http://127.0.0.1:${port}`,
        `http://127.0.0.1:${port + 1}`,
      ]);
      const one = await get(`${hubs.urls[0]}${MC}`, 'fleet-simulator-token');
      const two = await get(`${hubs.urls[1]}${MC}`, 'fleet-simulator-token-2');
      expect(one.status).toBe(200);
      expect(two.status).toBe(200);
      expect(one.body.items).toHaveLength(3);
      expect(two.body.items).toHaveLength(3);
      // the second hub is a hub of its own: the first hub's token is unknown there
      expect(
        (await get(`${hubs.urls[1]}${MC}`, 'fleet-simulator-token')).status,
      ).toBe(401);
    } finally {
      await hubs.stop();
    }
    await expect(
      get(`${hubs.urls[1]}${MC}`, 'fleet-simulator-token-2'),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('runs one hub as before when simulator.hubs is unset', async () => {
    const config = readSimulatorConfig(
      new ConfigReader({
        multicloudGitops: {
          simulator: { enabled: true, port: 0, clusters: 0 },
        },
      }),
    )!;
    const hubs = await startConfiguredHubs(config, () => undefined);
    try {
      expect(hubs.urls).toHaveLength(1);
      const local = await get(
        `${hubs.urls[0]}${MC}/local-cluster`,
        'fleet-simulator-token',
      );
      expect(local.body.spec.managedClusterClientConfigs[0].url).toBe(
        'https://api.local-cluster.fleet.example.com:6443',
      );
    } finally {
      await hubs.stop();
    }
  });
});
