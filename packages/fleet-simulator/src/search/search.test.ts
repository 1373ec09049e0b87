import { RunningSimulator, startSimulator } from '../index';
import { request } from '../testUtils';

jest.setTimeout(20000);

const Q =
  'query searchResult($input: [SearchInput]) { searchResult: search(input: $input) { count items } }';

describe('ACM Search v2 GraphQL', () => {
  let sim: RunningSimulator;
  const search = async (input: any[], query = Q, token = sim.token) =>
    request('POST', sim.searchUrl, {
      token,
      body: {
        ...(query === Q ? { operationName: 'searchResult' } : {}),
        variables: { input },
        query,
      },
    });
  const items = async (input: any) =>
    (await search([input])).json.data.searchResult[0].items as Record<
      string,
      string
    >[];

  beforeAll(async () => {
    sim = await startSimulator({
      clusters: 60,
      groups: 2,
      appsPerCluster: 20,
      seed: 'search',
    });
  });
  afterAll(() => sim.stop());

  it('encodes items as upstream: strings only, labels "k=v; k2=v2", _uid = cluster/uid', async () => {
    const apps = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'apigroup', values: ['argoproj.io'] },
        { property: 'cluster', values: ['local-cluster'] },
      ],
    });
    expect(apps).toHaveLength(6);
    const hubApps = await request(
      'GET',
      `${sim.url}/apis/argoproj.io/v1alpha1/applications`,
      { token: sim.token },
    );
    for (const it of apps) {
      for (const v of Object.values(it)) expect(typeof v).toBe('string');
      const k8s = hubApps.json.items.find(
        (a: any) => a.metadata.name === it.name,
      );
      expect(it._uid).toBe(`local-cluster/${k8s.metadata.uid}`);
      const labels = Object.keys(k8s.metadata.labels)
        .sort()
        .map(k => `${k}=${k8s.metadata.labels[k]}`)
        .join('; ');
      expect(it.label).toBe(labels);
      expect(it).toMatchObject({
        cluster: 'local-cluster',
        kind: 'Application',
        kind_plural: 'applications',
        apigroup: 'argoproj.io',
        apiversion: 'v1alpha1',
        namespace: 'openshift-gitops',
        _hubClusterResource: 'true',
        healthStatus: k8s.status.health.status,
        syncStatus: k8s.status.sync.status,
        destinationServer: k8s.spec.destination.server,
      });
    }
    // multi-source apps index empty repoURL/path (only spec.source is read)
    expect(apps.find(a => a.name === 'multicloud-gitops-hub')).toMatchObject({
      repoURL: '',
      path: '',
      targetRevision: 'HEAD',
    });
    const clusters = await items({
      filters: [{ property: 'kind', values: ['Cluster'] }],
    });
    expect(clusters).toHaveLength(61);
    const hub = clusters.find(c => c.name === 'local-cluster')!;
    expect(hub).toMatchObject({
      apigroup: 'internal.open-cluster-management.io',
      ManagedClusterConditionAvailable: 'True',
      _uid: 'cluster__local-cluster',
    });
    expect(hub.cpu).toMatch(/^\d+$/);
    expect(hub.label).toContain('local-cluster=true');
  });

  it('applies the default limit of 1000, -1 for all, and count', async () => {
    const r = await search([
      { filters: [{ property: 'kind', values: ['Application'] }] },
    ]);
    const res = r.json.data.searchResult[0];
    expect(res.items).toHaveLength(1000);
    expect(res.count).toBeGreaterThan(1000);
    const all = await items({
      filters: [{ property: 'kind', values: ['Application'] }],
      limit: -1,
    });
    expect(all).toHaveLength(res.count);
    const ten = await items({
      filters: [{ property: 'kind', values: ['Application'] }],
      limit: 10,
      offset: 5,
      orderBy: 'name asc',
    });
    expect(ten).toHaveLength(10);
    expect(ten.map(i => i.name)).toEqual([...ten.map(i => i.name)].sort());
    const countOnly = await search(
      [{ filters: [{ property: 'kind', values: ['Application'] }] }],
      'query q($input: [SearchInput]) { search(input: $input) { count } }',
    );
    expect(countOnly.json.data.search[0]).toEqual({ count: res.count });
  });

  it('pages with limit + offset + orderBy see the fleet as it is when each page is asked', async () => {
    const page = (offset: number) =>
      items({
        filters: [
          { property: 'kind', values: ['Application'] },
          { property: 'name', values: ['hello-world'] },
        ],
        limit: 5,
        offset,
        orderBy: 'cluster asc',
      });
    const first = await page(0);
    const second = await page(5);
    expect(second.map(i => i.cluster)).not.toEqual(first.map(i => i.cluster));
    expect([...first, ...second].map(i => i.cluster)).toEqual(
      [...first, ...second].map(i => i.cluster).sort(),
    );
    // A change between two pages shows on the next one (no stale ordered copy).
    const target = first[0];
    const next = target.syncStatus === 'OutOfSync' ? 'Synced' : 'OutOfSync';
    const m = await request('POST', `${sim.url}/_simulator/mutate`, {
      token: sim.token,
      body: {
        op: 'app-state',
        cluster: target.cluster,
        app: 'hello-world',
        sync: next,
      },
    });
    expect(m.status).toBe(200);
    const again = await page(0);
    expect(again[0]).toMatchObject({
      cluster: target.cluster,
      syncStatus: next,
    });
  });

  it('matches kind case-insensitively, ORs values, ANDs filters, supports ! and != and * wildcards', async () => {
    const lower = await items({
      filters: [{ property: 'kind', values: ['application'] }],
      limit: -1,
    });
    const upper = await items({
      filters: [{ property: 'kind', values: ['Application'] }],
      limit: -1,
    });
    expect(lower.length).toBe(upper.length);
    const notHub = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'cluster', values: ['!local-cluster'] },
      ],
      limit: -1,
    });
    expect(notHub.length).toBe(upper.length - 6);
    expect(notHub.every(i => i.cluster !== 'local-cluster')).toBe(true);
    const ne = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'cluster', values: ['!=local-cluster'] },
      ],
      limit: -1,
    });
    expect(ne.length).toBe(notHub.length);
    const or = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'name', values: ['config-demo', 'hello-world'] },
      ],
      limit: -1,
    });
    expect(new Set(or.map(i => i.name))).toEqual(
      new Set(['config-demo', 'hello-world']),
    );
    const and = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'name', values: ['config-demo'] },
        { property: 'cluster', values: ['local-cluster'] },
      ],
    });
    expect(and).toHaveLength(1);
    const wild = await items({
      filters: [
        { property: 'kind', values: ['Application'] },
        { property: 'name', values: ['multicloud-gitops-*'] },
      ],
      limit: -1,
    });
    expect(wild.length).toBeGreaterThan(1);
    expect(wild.every(i => i.name.startsWith('multicloud-gitops-'))).toBe(true);
    const caseSensitiveWildcard = await items({
      filters: [{ property: 'name', values: ['MULTICLOUD-*'] }],
    });
    expect(caseSensitiveWildcard).toEqual([]);
    const label = await items({
      filters: [
        { property: 'kind', values: ['Cluster'] },
        { property: 'label', values: ['clusterGroup=group-two'] },
      ],
      limit: -1,
    });
    expect(label.length).toBe(30);
    const keyword = await items({
      keywords: ['VAULT'],
      filters: [{ property: 'kind', values: ['Application'] }],
    });
    expect(keyword.map(i => i.name)).toContain('vault');
    const cpu = await items({
      filters: [
        { property: 'kind', values: ['Cluster'] },
        { property: 'cpu', values: ['>100'] },
      ],
      limit: -1,
    });
    expect(cpu.every(i => Number(i.cpu) > 100)).toBe(true);
  });

  it('returns related resources for apps and clusters', async () => {
    const r = await search(
      [
        {
          filters: [
            { property: 'kind', values: ['Cluster'] },
            { property: 'name', values: ['local-cluster'] },
          ],
          relatedKinds: ['Application'],
        },
      ],
      'query q($input: [SearchInput]) { search(input: $input) { items related { kind count items } } }',
    );
    const rel = r.json.data.search[0].related;
    expect(rel).toEqual([
      expect.objectContaining({ kind: 'Application', count: 6 }),
    ]);
  });

  it('answers searchComplete, searchSchema and messages', async () => {
    const r = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: {
        query:
          '{ searchComplete(property: "kind") searchSchema messages { id } }',
      },
    });
    expect(r.json.data.searchComplete).toEqual(
      expect.arrayContaining([
        'Application',
        'Cluster',
        'ManagedCluster',
        'Policy',
      ]),
    );
    expect(r.json.data.searchSchema.allProperties).toEqual(
      expect.arrayContaining(['name', 'kind', 'cluster', 'syncStatus']),
    );
    expect(r.json.data.messages).toEqual([]);
  });

  it('answers 401/403 with plain-text {message} bodies', async () => {
    const none = await request('POST', sim.searchUrl, {
      body: { query: '{ messages { id } }' },
    });
    expect(none.status).toBe(401);
    expect(none.headers['content-type']).toMatch(/^text\/plain/);
    expect(none.text).toBe(
      '{"message":"Request didn\'t have a valid authentication token."}\n',
    );
    const bad = await request('POST', sim.searchUrl, {
      token: 'nope',
      body: { query: '{ messages { id } }' },
    });
    expect(bad.status).toBe(403);
    expect(bad.text).toBe('{"message":"Invalid token"}\n');
    const cookie = await request('POST', sim.searchUrl, {
      headers: { Cookie: `acm-access-token-cookie=${sim.token}` },
      body: { query: '{ messages { id } }' },
    });
    expect(cookie.status).toBe(200);
  });

  it('answers malformed requests with GraphQL errors, never a crash', async () => {
    const badJson = await request('POST', sim.searchUrl, {
      token: sim.token,
      raw: '{"query":',
    });
    expect(badJson.status).toBe(400);
    expect(badJson.json.errors[0].message).toMatch(/could not be decoded/);
    const noQuery = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: {},
    });
    expect(noQuery.status).toBe(422);
    const syntax = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: { query: '{ search(input: [{ limit: "x" }]) { count }' },
    });
    expect(syntax.status).toBe(422);
    expect(syntax.json.errors.length).toBeGreaterThan(0);
    const unknownField = await request('POST', sim.searchUrl, {
      token: sim.token,
      body: { query: '{ nope }' },
    });
    expect(unknownField.status).toBe(422);
    const get = await request(
      'GET',
      `${sim.searchUrl}?query=${encodeURIComponent('{ messages { id } }')}`,
      { token: sim.token },
    );
    expect(get.json).toEqual({ data: { messages: [] } });
  });
});
