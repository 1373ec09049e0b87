import fs from 'fs';
import path from 'path';
import { RunningSimulator, startSimulator } from '../simulator';
import { request, sharedDir } from '../testUtils';
import { startTestRepo, TestRepo } from './testGitServer';

const MCG = path.join(
  sharedDir(),
  'reference/validated-patterns/multicloud-gitops',
);
const real = (f: string) => fs.readFileSync(path.join(MCG, f), 'utf8');
const PATTERNS =
  '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/namespaces/openshift-operators/patterns';

describe('a Pattern created through the hub API', () => {
  let sim: RunningSimulator;
  let repo: TestRepo;
  let commit: string;

  beforeAll(async () => {
    repo = await startTestRepo();
    commit = repo.commit(
      {
        'values-global.yaml': real('values-global.yaml'),
        'values-hub.yaml': real('values-hub.yaml'),
        'values-group-one.yaml': real('values-group-one.yaml'),
      },
      'Deploy the multicloud-gitops pattern',
    );
    sim = await startSimulator({
      clusters: 4,
      groups: 1,
      appsPerCluster: 0,
      pattern: 'seeded',
      patternPoll: 0,
    });
  });
  afterAll(async () => {
    await sim.stop();
    await repo.close();
  });

  it('shows its applications in Argo CD, ACM Search and the Pattern status', async () => {
    const created = await request('POST', `${sim.url}${PATTERNS}`, {
      token: sim.token,
      body: {
        apiVersion: 'gitops.hybrid-cloud-patterns.io/v1alpha1',
        kind: 'Pattern',
        metadata: { name: 'mcg', namespace: 'openshift-operators' },
        spec: {
          clusterGroupName: 'hub',
          gitSpec: { targetRepo: repo.url, targetRevision: 'main' },
        },
      },
    });
    expect(created.status).toBe(201);
    await sim.pollPatterns();

    // a session belongs to the Argo CD instance that issued it
    const login = async (argocdUrl: string) =>
      (
        await request('POST', `${argocdUrl}/api/v1/session`, {
          body: {
            username: sim.argocd.username,
            password: sim.argocd.password,
          },
        })
      ).json.token as string;
    const session = await login(sim.argocd.url);
    const hubApps = await request(
      'GET',
      `${sim.argocd.url}/api/v1/applications?selector=validatedpatterns.io/pattern=mcg`,
      { token: session },
    );
    expect(hubApps.json.items.map((a: any) => a.metadata.name)).toEqual([
      'acm',
      'config-demo',
      'hello-world',
      'mcg-hub',
      'openshift-external-secrets',
      'vault',
    ]);

    const mcs = await request(
      'GET',
      `${sim.url}/apis/cluster.open-cluster-management.io/v1/managedclusters?labelSelector=clusterGroup%3Dgroup-one`,
      { token: sim.token },
    );
    const spoke = mcs.json.items.find((m: any) =>
      m.status?.conditions?.some(
        (c: any) =>
          c.type === 'ManagedClusterConditionAvailable' && c.status === 'True',
      ),
    ).metadata.name;
    const spokeSession = await login(sim.argocdUrl(spoke));
    const spokeApp = await request(
      'GET',
      `${sim.argocdUrl(spoke)}/api/v1/applications/hello-world`,
      { token: spokeSession },
    );
    expect(spokeApp.status).toBe(200);
    // deployed at the commit (how far its auto-sync got depends on the clock)
    expect(spokeApp.json.status.sync.revision).toBe(commit);

    const found = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: {
        operationName: 'searchResult',
        variables: {
          input: [
            {
              filters: [
                { property: 'kind', values: ['Application'] },
                { property: 'cluster', values: [spoke] },
              ],
            },
          ],
        },
        query:
          'query searchResult($input: [SearchInput]) { searchResult: search(input: $input) { count items } }',
      },
    });
    expect(
      found.json.data.searchResult[0].items.map((i: any) => i.name).sort(),
    ).toEqual([
      'config-demo',
      'hello-world',
      'mcg-group-one',
      'openshift-external-secrets',
    ]);

    const meta = await request(
      'GET',
      `${sim.argocdUrl(
        spoke,
      )}/api/v1/applications/hello-world/revisions/${commit}/metadata`,
      { token: spokeSession },
    );
    expect(meta.json).toMatchObject({
      author: 'Pat Tern <pat@example.com>',
      message: 'Deploy the multicloud-gitops pattern',
    });

    const pattern = await request('GET', `${sim.url}${PATTERNS}/mcg`, {
      token: sim.token,
    });
    expect(pattern.json.status).toMatchObject({
      lastStep: 'reconcile complete',
      clusterName: 'local-cluster',
    });
    expect(pattern.json.status.applications.map((a: any) => a.name)).toEqual(
      hubApps.json.items.map((a: any) => a.metadata.name),
    );
  });
});
