import { CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { startSimulator } from '../index';
import { request } from '../testUtils';

jest.setTimeout(20000);

describe('TLS', () => {
  it('serves HTTPS with a self-signed certificate that clients trust through caData', async () => {
    const sim = await startSimulator({ clusters: 1, tls: true });
    try {
      expect(sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      expect(sim.caData).toMatch(/^-----BEGIN CERTIFICATE-----/);
      const kc = new KubeConfig();
      kc.loadFromOptions({
        clusters: [
          {
            name: 'hub',
            server: sim.url,
            caData: Buffer.from(sim.caData!).toString('base64'),
          },
        ],
        users: [{ name: 'u', token: sim.token }],
        contexts: [{ name: 'c', cluster: 'hub', user: 'u' }],
        currentContext: 'c',
      });
      const list = await kc
        .makeApiClient(CustomObjectsApi)
        .listClusterCustomObject({
          group: 'cluster.open-cluster-management.io',
          version: 'v1',
          plural: 'managedclusters',
        });
      expect(list.items).toHaveLength(2);
      const argo = await request(
        'GET',
        `${sim.argocd.url}/api/v1/applications`,
        { token: sim.token, ca: sim.caData },
      );
      expect(argo.status).toBe(200);
      await expect(request('GET', `${sim.url}/version`)).rejects.toThrow(
        /self[- ]signed|certificate/i,
      );
    } finally {
      await sim.stop();
    }
  });
});
