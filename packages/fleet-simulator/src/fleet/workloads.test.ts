import { RunningSimulator, startSimulator } from '../index';
import { request } from '../testUtils';

jest.setTimeout(20000);

describe('workloads for the Backstage Kubernetes plugin', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ clusters: 1, seed: 'wl' });
  });
  afterAll(() => sim.stop());

  const get = (path: string) =>
    request('GET', `${sim.url}${path}`, { token: sim.token });
  const sel = (id: string) =>
    `labelSelector=${encodeURIComponent(`backstage.io/kubernetes-id=${id}`)}`;

  it.each(['config-demo', 'hello-world'])(
    'serves the workloads of the hub app %s by backstage.io/kubernetes-id',
    async id => {
      const kinds: Record<string, string> = {
        '/api/v1/pods': 'PodList',
        '/api/v1/services': 'ServiceList',
        '/api/v1/configmaps': 'ConfigMapList',
        '/apis/apps/v1/deployments': 'DeploymentList',
        '/apis/apps/v1/replicasets': 'ReplicaSetList',
        '/apis/networking.k8s.io/v1/ingresses': 'IngressList',
        '/apis/route.openshift.io/v1/routes': 'RouteList',
      };
      for (const [path, listKind] of Object.entries(kinds)) {
        const r = await get(`${path}?${sel(id)}`);
        expect(r.status).toBe(200);
        expect(r.json.kind).toBe(listKind);
        expect(r.json.items.length).toBeGreaterThan(0);
        for (const o of r.json.items) {
          expect(o.metadata.labels['backstage.io/kubernetes-id']).toBe(id);
          expect(o.metadata.namespace).toBe(id);
        }
      }
      const pods = (await get(`/api/v1/namespaces/${id}/pods?${sel(id)}`)).json
        .items;
      expect(pods[0].status.phase).toBe('Running');
      const dep = (
        await get(`/apis/apps/v1/namespaces/${id}/deployments/${id}`)
      ).json;
      expect(dep.status.readyReplicas).toBe(dep.spec.replicas);
    },
  );

  it('answers empty lists, not 404s, for the other kinds the plugin reads', async () => {
    for (const path of [
      '/apis/apps/v1/statefulsets',
      '/apis/apps/v1/daemonsets',
      '/apis/batch/v1/jobs',
      '/apis/batch/v1/cronjobs',
      '/apis/autoscaling/v2/horizontalpodautoscalers',
      '/apis/autoscaling/v1/horizontalpodautoscalers',
      '/apis/metrics.k8s.io/v1beta1/pods',
      '/api/v1/limitranges',
      '/api/v1/resourcequotas',
    ]) {
      const r = await get(`${path}?${sel('config-demo')}`);
      expect(r.status).toBe(200);
      expect(r.json.items).toEqual([]);
    }
    const none = await get(`/api/v1/pods?${sel('unknown-app')}`);
    expect(none.json.items).toEqual([]);
    const write = await request(
      'POST',
      `${sim.url}/api/v1/namespaces/config-demo/pods`,
      {
        token: sim.token,
        body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } },
      },
    );
    expect(write.status).toBe(405);
  });
});
