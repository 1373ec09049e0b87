import { spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { parseArgs } from './cli';
import { request } from './testUtils';

jest.setTimeout(30000);

const BIN = path.resolve(__dirname, '../bin/fleet-simulator');

function run(
  args: string[],
  onLine?: (line: string, child: ReturnType<typeof spawn>) => void,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise(resolve => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', d => {
      stdout += d;
      if (onLine && stdout.includes('\n')) onLine(stdout.split('\n')[0], child);
    });
    child.stderr.on('data', d => (stderr += d));
    child.on('exit', code => resolve({ code, stdout, stderr }));
  });
}

describe('CLI', () => {
  it('parses every flag', () => {
    expect(
      parseArgs([
        '--port',
        '0',
        '--clusters',
        '7',
        '--groups=3',
        '--apps-per-cluster',
        '5',
        '--seed',
        'abc',
        '--pattern',
        'my-pattern',
        '--tick',
        '5s',
        '--fixtures',
        '/tmp/x',
        '--token',
        't',
        '--tls',
        '--hubs',
        '2',
        '--pattern-poll',
        '30s',
      ]),
    ).toEqual({
      port: 0,
      clusters: 7,
      groups: 3,
      appsPerCluster: 5,
      seed: 'abc',
      pattern: 'my-pattern',
      tick: '5s',
      fixtures: '/tmp/x',
      token: 't',
      tls: true,
      hubs: 2,
      patternPoll: '30s',
    });
    expect(parseArgs(['--seed', '42'])).toEqual({ seed: 42 });
    expect(() => parseArgs(['--nope'])).toThrow('unknown flag --nope');
    expect(() => parseArgs(['--clusters', 'many'])).toThrow(
      /non-negative integer/,
    );
    expect(() => parseArgs(['--clusters'])).toThrow(/needs a value/);
    expect(() => parseArgs(['--hubs', 'two'])).toThrow(
      '--hubs must be a non-negative integer, got "two"',
    );
  });

  it('exits 2 with one line on stderr for bad flags', async () => {
    for (const args of [
      ['--bogus'],
      ['--clusters', 'x'],
      ['--clusters', '9999'],
      ['--tick', 'soon'],
      ['--pattern-poll', 'soon'],
      ['--hubs', '0'],
      ['--hubs', '3', '--port', '65534'],
    ]) {
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^fleet-simulator: /);
    }
  });

  it('stops with one line naming the file when a fixture does not load', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleet-cli-'));
    fs.writeFileSync(path.join(dir, 'bad.yaml'), 'kind: [oops');
    const r = await run(['--clusters', '0', '--fixtures', dir]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(
          `^fleet-simulator: ${path.join(dir, 'bad.yaml')}: does not parse: `,
        ),
      ),
    ]);
  });

  it('prints one JSON line when ready and stops cleanly on SIGTERM', async () => {
    let served = 0;
    const r = await run(
      ['--clusters', '3', '--seed', '5'],
      async (line, child) => {
        if (served++) return;
        const info = JSON.parse(line);
        expect(info).toEqual({
          url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
          token: 'fleet-simulator-token',
          argocd: {
            url: `${info.url}/argocd/local-cluster`,
            username: 'admin',
            password: 'fleet-simulator',
          },
          clusterProxy: { url: `${info.url}/cluster-proxy` },
        });
        const mcs = await request(
          'GET',
          `${info.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
          { token: info.token },
        );
        expect(mcs.json.items).toHaveLength(4);
        child.kill('SIGTERM');
      },
    );
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/ready at/);
  });

  it('names the allowed range of --hubs', async () => {
    const r = await run(['--hubs', '11']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'fleet-simulator: hubs must be an integer from 1 to 10\n',
    );
  });

  it('prints one JSON line listing every hub with --hubs 2, each answering with its token', async () => {
    let served = 0;
    // the checks run in the output callback: keep their failure for the test to throw
    let failure: unknown;
    const r = await run(
      ['--hubs', '2', '--clusters', '2', '--seed', '5'],
      async (line, child) => {
        if (served++) return;
        try {
          const info = JSON.parse(line);
          expect(info.hubs).toHaveLength(2);
          const [one, two] = info.hubs;
          expect(one.name).toBe('hub-1');
          expect(two.name).toBe('hub-2');
          expect(one.token).toBe('fleet-simulator-token');
          expect(two.token).toBe('fleet-simulator-token-2');
          expect(one.url).not.toBe(two.url);
          for (const hub of info.hubs) {
            expect(hub).toEqual({
              name: hub.name,
              url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
              token: hub.token,
              argocd: {
                url: `${hub.url}/argocd/local-cluster`,
                username: 'admin',
                password: 'fleet-simulator',
              },
              clusterProxy: { url: `${hub.url}/cluster-proxy` },
            });
            const mcs = await request(
              'GET',
              `${hub.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
              { token: hub.token },
            );
            expect(mcs.status).toBe(200);
            expect(mcs.json.items).toHaveLength(3);
            const session = await request(
              'POST',
              `${hub.argocd.url}/api/v1/session`,
              {
                body: {
                  username: hub.argocd.username,
                  password: hub.argocd.password,
                },
              },
            );
            expect(session.status).toBe(200);
          }
          const crossed = await request(
            'GET',
            `${two.url}/apis/cluster.open-cluster-management.io/v1/managedclusters`,
            { token: one.token },
          );
          expect(crossed.status).toBe(401);
        } catch (e) {
          failure = e;
        } finally {
          child.kill('SIGTERM');
        }
      },
    );
    if (failure) throw failure;
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(served).toBe(1);
    expect(r.stderr).toMatch(
      /hub-2: read-only token: fleet-simulator-token-2-read-only/,
    );
  });
});
