import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createClusterImportAction } from './clusterImport';
import { FakeHub, startFakeHub } from '../__testUtils__/fakeHub';
import {
  outputsOf,
  recordingLogger,
  staticHubs,
} from '../__testUtils__/actions';
import { snapshotDir } from '../__testUtils__/fixtures';

const KUBECONFIG =
  'apiVersion: v1\nkind: Config\nclusters:\n- name: spoke\n  cluster:\n    server: https://api.spoke:6443\nusers:\n- name: admin\n  user:\n    token: sha256~spoke-admin-token-do-not-leak\n';

describe('multicloud-gitops:cluster:import', () => {
  let hub: FakeHub;
  beforeEach(async () => {
    hub = await startFakeHub();
  });
  afterEach(() => hub.stop());

  const action = () =>
    createClusterImportAction({
      hubs: staticHubs(hub.url, hub.token),
      clusterUrl: (h, c) =>
        `http://portal/multicloud-gitops?hub=${h}&cluster=${c}`,
      defaultHubName: 'hub',
    });

  function context(input: any, secrets?: Record<string, string>) {
    const { logger, lines } = recordingLogger();
    const workspacePath = fs.mkdtempSync(
      path.join(os.tmpdir(), 'mcg-import-ws-'),
    );
    const ctx = createMockActionContext({
      input,
      secrets,
      logger,
      workspacePath,
    });
    const checkpoint = jest.fn(async (opts: { key: string; fn: () => any }) =>
      opts.fn(),
    );
    return { ctx: { ...ctx, checkpoint } as typeof ctx, lines, checkpoint };
  }

  it('creates ManagedCluster, namespace, KlusterletAddonConfig and auto-import secret from the kubeconfig secret', async () => {
    const { ctx, lines, checkpoint } = context(
      {
        clusterName: 'edge-01',
        clusterGroup: 'group-one',
        labels: { env: 'prod' },
      },
      { kubeconfig: KUBECONFIG },
    );
    await action().handler(ctx);

    const mc = hub.get('managedclusters', 'edge-01')!;
    expect(mc.metadata.labels).toEqual({
      env: 'prod',
      name: 'edge-01',
      cloud: 'auto-detect',
      vendor: 'auto-detect',
      clusterGroup: 'group-one',
      'cluster.open-cluster-management.io/clusterset': 'default',
    });
    expect(mc.spec).toEqual({ hubAcceptsClient: true });
    expect(hub.get('namespaces', 'edge-01')).toBeDefined();
    expect(
      hub.get('klusterletaddonconfigs', 'edge-01', 'edge-01')!.spec,
    ).toMatchObject({ clusterName: 'edge-01', clusterNamespace: 'edge-01' });
    const secret = hub.get('secrets', 'auto-import-secret', 'edge-01')!;
    expect(secret.type).toBe('auto-import/kubeconfig');
    expect(Buffer.from(secret.data.kubeconfig, 'base64').toString()).toBe(
      KUBECONFIG,
    );
    expect(Buffer.from(secret.data.autoImportRetry, 'base64').toString()).toBe(
      '5',
    );

    const out = outputsOf(ctx.output as jest.Mock);
    expect(out).toMatchObject({
      clusterName: 'edge-01',
      hub: 'hub',
      importMode: 'auto',
      clusterUrl: 'http://portal/multicloud-gitops?hub=hub&cluster=edge-01',
      unchanged: [],
    });
    expect(out.created).toHaveLength(4);
    // The ManagedCluster is created before anything lands in its namespace.
    const posts = hub.requests
      .filter(r => r.method === 'POST')
      .map(r => r.path);
    expect(posts[0]).toBe(
      '/apis/cluster.open-cluster-management.io/v1/managedclusters',
    );
    expect(checkpoint.mock.calls.map(c => c[0].key)).toEqual([
      'multicloud-gitops.cluster-import.hub.edge-01.managedcluster',
      'multicloud-gitops.cluster-import.hub.edge-01.namespace',
      'multicloud-gitops.cluster-import.hub.edge-01.klusterletaddonconfig',
      'multicloud-gitops.cluster-import.hub.edge-01.auto-import-secret',
    ]);
    // The secret reaches the hub and nothing else: not the log, not outputs, not the workspace.
    expect(lines().join('\n')).not.toContain('spoke-admin-token');
    expect(JSON.stringify(out)).not.toContain('spoke-admin-token');
    expect(JSON.stringify(snapshotDir(ctx.workspacePath))).not.toContain(
      'spoke-admin-token',
    );
  });

  it('is idempotent: a second run changes nothing and says so', async () => {
    await action().handler(
      context(
        { clusterName: 'edge-01', clusterGroup: 'group-one' },
        { kubeconfig: KUBECONFIG },
      ).ctx,
    );
    const before = JSON.stringify([...hub.objects]);
    const { ctx, lines } = context(
      { clusterName: 'edge-01', clusterGroup: 'group-one' },
      { kubeconfig: KUBECONFIG },
    );
    await action().handler(ctx);
    expect(JSON.stringify([...hub.objects])).toBe(before);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.created).toEqual([]);
    expect(out.unchanged).toHaveLength(4);
    expect(lines().join('\n')).toContain('nothing changed');
  });

  it('builds a token/server secret when those secrets are given', async () => {
    const { ctx } = context(
      { clusterName: 'edge-02', clusterGroup: 'group-one' },
      {
        token: 'sha256~tok-abcdefghijkl',
        server: 'https://api.edge-02.example.com:6443',
      },
    );
    await action().handler(ctx);
    const secret = hub.get('secrets', 'auto-import-secret', 'edge-02')!;
    expect(secret.type).toBe('auto-import/kubetoken');
    expect(Buffer.from(secret.data.server, 'base64').toString()).toBe(
      'https://api.edge-02.example.com:6443',
    );
    expect(Buffer.from(secret.data.token, 'base64').toString()).toBe(
      'sha256~tok-abcdefghijkl',
    );
  });

  it('without credentials prepares a manual import and returns the command', async () => {
    const { ctx } = context({
      clusterName: 'edge-03',
      clusterGroup: 'group-one',
    });
    await action().handler(ctx);
    const out = outputsOf(ctx.output as jest.Mock);
    expect(out.importMode).toBe('manual');
    expect(out.importCommand).toContain(
      'oc get secret edge-03-import -n edge-03',
    );
    expect(hub.get('secrets', 'auto-import-secret', 'edge-03')).toBeUndefined();
    expect(hub.get('managedclusters', 'edge-03')).toBeDefined();
  });

  it('refuses a cluster that exists in another group and writes nothing', async () => {
    hub.put('managedclusters', {
      metadata: { name: 'prod-east', labels: { clusterGroup: 'group-two' } },
      spec: { hubAcceptsClient: true },
    });
    const { ctx } = context(
      { clusterName: 'prod-east', clusterGroup: 'group-one' },
      { kubeconfig: KUBECONFIG },
    );
    await expect(action().handler(ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        'already exists in cluster group "group-two"',
      ),
    });
    expect(hub.requests.filter(r => r.method === 'POST')).toEqual([]);
  });

  it('does not send an import secret for a cluster that has already joined', async () => {
    hub.put('managedclusters', {
      metadata: { name: 'edge-04', labels: { clusterGroup: 'group-one' } },
      spec: { hubAcceptsClient: true },
      status: {
        conditions: [{ type: 'ManagedClusterJoined', status: 'True' }],
      },
    });
    hub.put('namespaces', { metadata: { name: 'edge-04' } });
    const { ctx } = context(
      { clusterName: 'edge-04', clusterGroup: 'group-one' },
      { kubeconfig: KUBECONFIG },
    );
    await action().handler(ctx);
    expect(outputsOf(ctx.output as jest.Mock).importMode).toBe('existing');
    expect(hub.get('secrets', 'auto-import-secret', 'edge-04')).toBeUndefined();
  });

  it('dry run talks to nobody', async () => {
    const { ctx } = context(
      { clusterName: 'edge-05', clusterGroup: 'group-one' },
      { kubeconfig: KUBECONFIG },
    );
    await action().handler({ ...ctx, isDryRun: true });
    expect(hub.requests).toEqual([]);
    expect(outputsOf(ctx.output as jest.Mock).importMode).toBe('auto');
  });

  it.each([
    [{ clusterName: 'Edge_1', clusterGroup: 'group-one' }, {}, /DNS-1123/],
    [
      {
        clusterName: 'edge-06',
        clusterGroup: 'group-one',
        labels: { clusterGroup: 'x' },
      },
      {},
      /set by the import itself/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      { token: 'sha256~only-a-token' },
      /both "token" and "server"/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      { token: 'sha256~tok', server: 'http://plain' },
      /https/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      {
        kubeconfig: `a: &a [x,x,x,x,x,x,x,x,x]\n${['b', 'c', 'd', 'e', 'f', 'g']
          .map(
            (k, i) =>
              `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`,
          )
          .join('\n')}\n`,
      },
      /the secret "kubeconfig" is not a kubeconfig: it expands too many aliases/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      { kubeconfig: 'apiVersion: v1\nkind: Config\nclusters: []\n' },
      /is not a kubeconfig: it has no clusters, users/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      { kubeconfig: 'sha256~a-token-pasted-by-mistake' },
      /is not a kubeconfig: it is not a YAML mapping/,
    ],
    [
      { clusterName: 'edge-06', clusterGroup: 'group-one' },
      { kubeconfig: 'clusters: [\n  - {' },
      /is not a kubeconfig: it is not valid YAML/,
    ],
  ])(
    'refuses bad input %j before calling the hub',
    async (input, secrets, message) => {
      const { ctx } = context(input, secrets);
      await expect(action().handler(ctx)).rejects.toThrow(message);
      expect(hub.requests).toEqual([]);
    },
  );

  it('reports hub auth failures without leaking the hub token', async () => {
    const bad = createClusterImportAction({
      hubs: staticHubs(hub.url, 'wrong-token-value'),
      clusterUrl: () => '',
    });
    const { ctx } = context({
      clusterName: 'edge-07',
      clusterGroup: 'group-one',
    });
    const err = await bad.handler(ctx).catch(e => e);
    expect(err.message).toContain('HTTP 401');
    expect(err.message).toContain('invalid or expired');
    expect(err.message).not.toContain('wrong-token-value');
  });

  it('leaves no secret value in the workspace', async () => {
    const { ctx } = context(
      { clusterName: 'edge-08', clusterGroup: 'group-one' },
      { kubeconfig: KUBECONFIG },
    );
    await action().handler(ctx);
    expect(
      Object.values(snapshotDir(ctx.workspacePath)).join(''),
    ).not.toContain('do-not-leak');
  });
});
