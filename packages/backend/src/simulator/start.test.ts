import net from 'node:net';
import http from 'node:http';
import { ConfigReader } from '@backstage/config';
import { readSimulatorConfig } from './config';
import { startConfiguredHubs } from './start';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLocalGitHttpHandler } from '@multicloud-gitops-backstage/plugin-scaffolder-backend-module-multicloud-gitops';

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

  it('writes the seeded pattern to the local repositories, and the seeded Pattern follows it: a new commit reaches every cluster of the group', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'follow-local-git-'));
    const handler = createLocalGitHttpHandler({ rootDir: dir });
    const gitServer = http.createServer((req, res) => void handler(req, res));
    await new Promise<void>(r => gitServer.listen(0, '127.0.0.1', r));
    const baseUrl = `http://127.0.0.1:${
      (gitServer.address() as net.AddressInfo).port
    }`;
    const config = readSimulatorConfig(
      new ConfigReader({
        multicloudGitops: {
          simulator: {
            enabled: true,
            port: 0,
            clusters: 2,
            groups: 1,
            patternPoll: '100ms',
          },
          localGit: { rootDir: dir, baseUrl },
        },
      }),
    )!;
    const lines: string[] = [];
    const hubs = await startConfiguredHubs(config, l => lines.push(l));
    const apps = async (cluster: string) =>
      (
        await get(
          `${hubs.urls[0]}/argocd/${cluster}/api/v1/applications`,
          'fleet-simulator-token',
        )
      ).body.items ?? [];
    const until = async (what: string, fn: () => Promise<boolean>) => {
      const t0 = Date.now();
      while (!(await fn())) {
        if (Date.now() - t0 > 20000) throw new Error(`timed out: ${what}`);
        await new Promise(r => setTimeout(r, 100));
      }
    };
    try {
      const repoDir = path.join(dir, 'multicloud-gitops.git');
      const git = (...a: string[]) =>
        execFileSync('git', a, { encoding: 'utf8' }).trim();
      expect(
        git('--git-dir', repoDir, 'ls-tree', '--name-only', 'main'),
      ).toMatch(/values-group-one\.yaml/);
      await hubs.followLocalGit();
      const pattern = await get(
        `${hubs.urls[0]}/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/namespaces/openshift-operators/patterns/multicloud-gitops`,
        'fleet-simulator-token',
      );
      expect(pattern.body.spec.gitSpec).toMatchObject({
        targetRepo: `${baseUrl}/multicloud-gitops.git`,
        targetRevision: 'main',
      });
      const clusters = (
        await get(`${hubs.urls[0]}${MC}`, 'fleet-simulator-token')
      ).body.items
        .filter((c: any) => c.metadata.labels?.clusterGroup === 'group-one')
        .map((c: any) => c.metadata.name);
      expect(clusters.length).toBeGreaterThan(0);

      // a team's commit to the group's values file, as onboard-team pushes it
      const work = path.join(dir, 'work');
      git('clone', '-q', repoDir, work);
      const file = path.join(work, 'values-group-one.yaml');
      fs.writeFileSync(
        file,
        fs
          .readFileSync(file, 'utf8')
          .replace(
            '  applications:\n',
            '  applications:\n    - name: pos\n      namespace: pos\n      argoProject: pos\n      path: charts/all/hello-world\n',
          ),
      );
      git('-C', work, 'add', '-A');
      git(
        '-C',
        work,
        '-c',
        'user.name=t',
        '-c',
        'user.email=t@example.com',
        'commit',
        '-qm',
        'Deploy pos',
      );
      git('-C', work, 'push', '-q', 'origin', 'main');
      git('--git-dir', repoDir, 'update-server-info');
      const pushed = git('--git-dir', repoDir, 'rev-parse', 'main');
      for (const c of clusters)
        await until(`pos Synced on ${c}`, async () =>
          (
            await apps(c)
          ).some(
            (a: any) =>
              a.metadata.name === 'pos' &&
              a.status?.sync?.status === 'Synced' &&
              a.status.sync.revision === pushed,
          ),
        );
    } finally {
      await hubs.stop();
      gitServer.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(
      lines.some(l => /wrote the seeded pattern's repository/.test(l)),
    ).toBe(true);
  });
});
