/*
 * Malformed upstream objects (as a real support dump may hold them) are skipped with a
 * warning and counted in the source state; the rest of the answer is served, never a 500.
 */
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import type { TopologyResponse } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { multicloudGitopsPlugin } from './plugin';

const fixtures = `
apiVersion: cluster.open-cluster-management.io/v1
kind: ManagedClusterList
items:
  - apiVersion: cluster.open-cluster-management.io/v1
    kind: ManagedCluster
    metadata:
      name: broken-status
      labels: { clusterGroup: group-one }
    spec: { hubAcceptsClient: true }
    status: not-an-object
  - apiVersion: cluster.open-cluster-management.io/v1
    kind: ManagedCluster
    metadata:
      name: broken-labels
      labels: { clusterGroup: 7 }
    spec: { hubAcceptsClient: true }
  - apiVersion: cluster.open-cluster-management.io/v1
    kind: ManagedCluster
    metadata:
      name: no-status-yet
      labels: { clusterGroup: group-one }
    spec: { hubAcceptsClient: true }
`;

describe('malformed upstream objects', () => {
  let sim: RunningSimulator;
  let server: any;
  const warnings: string[] = [];

  beforeAll(async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-fixtures-'));
    fs.mkdirSync(path.join(dir, 'hub'));
    fs.writeFileSync(path.join(dir, 'hub', 'managedclusters.yaml'), fixtures);
    sim = await startSimulator({
      clusters: 2,
      groups: 1,
      appsPerCluster: 2,
      seed: 3,
      fixtures: dir,
    });
    const logger = mockServices.logger.mock();
    logger.warn.mockImplementation((m: string) => {
      warnings.push(m);
    });
    logger.child.mockReturnValue(logger);
    const backend = await startTestBackend({
      features: [
        multicloudGitopsPlugin,
        logger.factory,
        catalogServiceMock.factory({ entities: [] }),
        mockServices.rootConfig.factory({
          data: {
            multicloudGitops: {
              hubs: [
                {
                  name: 'hub',
                  url: sim.url,
                  serviceAccountToken: sim.readOnlyToken,
                  skipTLSVerify: true,
                },
              ],
            },
          },
        }),
      ],
    });
    server = backend.server;
  }, 30000);

  afterAll(async () => {
    await server?.stop?.();
    await sim?.stop();
  }, 30000);

  it('skips them with a warning, counts them in the source state, and serves the rest', async () => {
    let t: TopologyResponse | undefined;
    for (let i = 0; i < 100; i++) {
      const res = await request(server)
        .get('/api/multicloud-gitops/v1/topology?hub=hub')
        .set('Authorization', mockCredentials.user.header());
      expect(res.status).toBe(200);
      t = res.body;
      if (t!.sources.find(s => s.name === 'acm')?.state === 'ok') break;
      await new Promise(r => setTimeout(r, 100));
    }
    const acm = t!.sources.find(s => s.name === 'acm')!;
    expect(acm.state).toBe('ok');
    expect(acm.skipped).toBe(2);
    expect(acm.message).toBe('2 malformed object(s) skipped');
    const names = t!.clusters.map(c => c.name);
    expect(names).toContain('no-status-yet');
    expect(names).not.toContain('broken-status');
    expect(names).not.toContain('broken-labels');
    expect(t!.clusters.find(c => c.name === 'no-status-yet')?.status).toBe(
      'pending-import',
    );
    expect(
      warnings.some(w =>
        /broken-status: spec or status is not an object/.test(w),
      ),
    ).toBe(true);
    expect(
      warnings.some(w =>
        /broken-labels: metadata.labels is not a map of strings/.test(w),
      ),
    ).toBe(true);

    // After a forced relist (watch 410) the count is still right: the objects are still bad.
    await fetch(`${sim.url}/_simulator/watch/expire`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sim.token}` },
    });
    await new Promise(r => setTimeout(r, 1500));
    const again = await request(server)
      .get('/api/multicloud-gitops/v1/topology?hub=hub')
      .set('Authorization', mockCredentials.user.header());
    expect(again.body.sources.find((x: any) => x.name === 'acm')).toMatchObject(
      {
        state: 'ok',
        skipped: 2,
      },
    );
  });
});
