import { ConfigReader } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { DeferredEntity } from '@backstage/plugin-catalog-node';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import { CLUSTER_PROXY_AUTH_PROVIDER } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { readClusterProviderConfig } from './config';
import { MulticloudGitopsClusterProvider } from './MulticloudGitopsClusterProvider';
import {
  captureLogger,
  expectValidResource,
  fixturesDir,
  MC_PATH,
  recordingConnection,
  request,
} from '../__testUtils__/testUtils';

jest.setTimeout(60_000);

let simA: RunningSimulator;
let simB: RunningSimulator;

beforeAll(async () => {
  [simA, simB] = await Promise.all([
    startSimulator({ clusters: 0, fixtures: fixturesDir('hub-a'), seed: 'a' }),
    startSimulator({ clusters: 0, fixtures: fixturesDir('hub-b'), seed: 'b' }),
  ]);
});
afterAll(async () => {
  await Promise.all([simA?.stop(), simB?.stop()]);
});

const PROXY_CA =
  '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function configFor(extra: object = {}) {
  return new ConfigReader({
    multicloudGitops: {
      hubs: [
        {
          name: 'hub-a',
          title: 'Hub A',
          url: simA.url,
          serviceAccountToken: simA.token,
          skipTLSVerify: true,
          clusterProxy: {
            url: 'https://cluster-proxy-user.apps.mgmt.example.com',
            caData: PROXY_CA,
            skipTLSVerify: false,
          },
          argocd: [
            {
              name: 'hub-gitops',
              url: 'https://gitops.mgmt.example.com',
              token: 'a',
            },
            {
              name: 'east-gitops',
              url: 'https://gitops.east-1.example.com',
              token: 'b',
              clusters: ['east-1'],
            },
          ],
        },
        {
          name: 'hub-b',
          url: simB.url,
          serviceAccountToken: simB.token,
          skipTLSVerify: true,
          pattern: 'edge-pattern',
        },
      ],
    },
    catalog: {
      providers: {
        multicloudGitops: {
          defaultOwner: 'group:default/platform-team',
          ...extra,
        },
      },
    },
  });
}

async function connected(hub: 'hub-a' | 'hub-b') {
  const logger = captureLogger();
  const settings = readClusterProviderConfig(configFor());
  const provider = new MulticloudGitopsClusterProvider({
    hub: settings.hubs.find(h => h.name === hub)!,
    defaultOwner: settings.defaultOwner,
    ownerLabel: settings.ownerLabel,
    logger,
    // a short watch, so each delta run takes about a second
    watchTimeoutSeconds: 1,
  });
  const connection = recordingConnection();
  await provider.connect(connection);
  return { provider, connection, logger };
}

const byName = (entities: DeferredEntity[]) =>
  new Map(entities.map(d => [d.entity.metadata.name, d.entity]));

function full(m: unknown): DeferredEntity[] {
  const mutation = m as { type: string; entities: DeferredEntity[] };
  expect(mutation.type).toBe('full');
  return mutation.entities;
}

describe('MulticloudGitopsClusterProvider on two simulated hubs', () => {
  it('emits one valid Resource per ManagedCluster and cluster group, unique across the hubs', async () => {
    const a = await connected('hub-a');
    const b = await connected('hub-b');
    expect(a.provider.getProviderName()).toBe(
      'multicloud-gitops-clusters:hub-a',
    );
    await a.provider.refresh();
    await b.provider.refresh();
    const entitiesA = full(a.connection.mutations[0]);
    const entitiesB = full(b.connection.mutations[0]);
    for (const d of [...entitiesA, ...entitiesB]) {
      await expectValidResource(d.entity);
      expect(JSON.stringify(d.entity)).not.toContain(simA.token);
    }
    expect(
      entitiesA.every(
        d => d.locationKey === 'multicloud-gitops-clusters:hub-a',
      ),
    ).toBe(true);

    const namesA = [...byName(entitiesA).keys()].sort();
    expect(namesA).toEqual([
      'hub-a-east-1',
      'hub-a-edge-9',
      'hub-a-group-group-one',
      'hub-a-group-group-two',
      'hub-a-group-hub',
      'hub-a-loose-1',
      'hub-a-mgmt',
      'hub-a-west-1',
    ]);
    const namesB = [...byName(entitiesB).keys()].sort();
    // the two malformed ManagedClusters are skipped, with one warning
    expect(namesB).toEqual([
      'hub-b-central',
      'hub-b-east-1',
      'hub-b-group-edge',
      'hub-b-group-hub',
    ]);
    expect(
      b.logger.lines.filter(l => l.level === 'warn').map(l => l.message),
    ).toEqual([expect.stringContaining('skipped 2 malformed ManagedCluster')]);
    const refs = [...entitiesA, ...entitiesB].map(d =>
      stringifyEntityRef(d.entity),
    );
    expect(new Set(refs).size).toBe(refs.length);

    const hubA = byName(entitiesA).get('hub-a-mgmt')!;
    expect(hubA.metadata.title).toBe('mgmt (hub Hub A)');
    expect(hubA.metadata.description).toBe(
      'The hub cluster of Hub A: OpenShift 4.16.3 on AWS in us-east-1.',
    );
    expect(hubA.metadata.labels).toEqual({
      cloud: 'Amazon',
      vendor: 'OpenShift',
      region: 'us-east-1',
      clusterGroup: 'hub',
      'cluster.open-cluster-management.io/clusterset': 'default',
    });
    expect(hubA.spec).toEqual({
      type: 'kubernetes-cluster',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      system: 'system:default/multicloud-gitops',
      dependencyOf: ['resource:default/hub-a-group-hub'],
    });
    expect(hubA.metadata.links).toEqual([
      {
        title: 'OpenShift console',
        url: 'https://console-openshift-console.apps.mgmt.example.com',
        type: 'openshift-console',
      },
      {
        title: 'ACM console',
        url: 'https://console-openshift-console.apps.mgmt.example.com/multicloud/infrastructure/clusters/details/mgmt/mgmt/overview',
        type: 'acm-console',
      },
      {
        title: 'Argo CD (hub-gitops)',
        url: 'https://gitops.mgmt.example.com',
        type: 'argocd',
      },
    ]);

    const east = byName(entitiesA).get('hub-a-east-1')!;
    expect(east.metadata.annotations).toEqual({
      'backstage.io/managed-by-location': 'multicloud-gitops:hub-a',
      'backstage.io/managed-by-origin-location': 'multicloud-gitops:hub-a',
      'validatedpatterns.io/hub': 'hub-a',
      'validatedpatterns.io/pattern': 'multicloud-gitops',
      'validatedpatterns.io/cluster-group': 'group-one',
      'validatedpatterns.io/cluster': 'east-1',
      'kubernetes.io/api-server':
        'https://cluster-proxy-user.apps.mgmt.example.com/east-1',
      'kubernetes.io/api-server-certificate-authority':
        Buffer.from(PROXY_CA).toString('base64'),
      'kubernetes.io/auth-provider': CLUSTER_PROXY_AUTH_PROVIDER,
      'kubernetes.io/skip-metrics-lookup': 'true',
      'kubernetes.io/dashboard-url':
        'https://console-openshift-console.apps.east-1.example.com',
      'kubernetes.io/dashboard-app': 'openshift',
    });
    expect(east.spec?.owner).toBe('group:default/payments');
    expect(east.metadata.links?.map(l => l.title)).toEqual([
      'OpenShift console',
      'ACM console',
      'Argo CD (east-gitops)',
    ]);

    // not joined yet: no claims, placeholder labels dropped, no console link of its own
    const pending = byName(entitiesA).get('hub-a-edge-9')!;
    expect(pending.metadata.labels).toEqual({ clusterGroup: 'group-one' });
    expect(pending.metadata.description).toBe(
      'Managed cluster of hub Hub A (platform and version not reported yet).',
    );
    expect(
      pending.metadata.annotations?.['kubernetes.io/dashboard-url'],
    ).toBeUndefined();
    expect(pending.metadata.annotations?.['kubernetes.io/api-server']).toBe(
      'https://cluster-proxy-user.apps.mgmt.example.com/edge-9',
    );

    // an owner label that is no entity name keeps the default owner, with one warning
    expect(byName(entitiesA).get('hub-a-west-1')!.spec?.owner).toBe(
      'group:default/platform-team',
    );
    expect(
      a.logger.lines.filter(l => l.level === 'warn').map(l => l.message),
    ).toEqual([expect.stringContaining('west-1 has owner="team payments"')]);

    // ungrouped: no system, no group edge
    const loose = byName(entitiesA).get('hub-a-loose-1')!;
    expect(loose.spec?.system).toBeUndefined();
    expect(loose.spec?.dependencyOf).toBeUndefined();
    expect(
      loose.metadata.annotations?.['validatedpatterns.io/cluster-group'],
    ).toBeUndefined();

    const group = byName(entitiesA).get('hub-a-group-group-one')!;
    expect(group.metadata.title).toBe('group-one');
    expect(group.spec).toEqual({
      type: 'cluster-group',
      owner: 'group:default/platform-team',
      lifecycle: 'production',
      system: 'system:default/multicloud-gitops',
      dependsOn: ['resource:default/hub-a-mgmt'],
    });

    // hub B: no clusterProxy, pattern from config, hub cluster without a group label
    const central = byName(entitiesB).get('hub-b-central')!;
    expect(
      Object.keys(central.metadata.annotations ?? {}).filter(k =>
        k.startsWith('kubernetes.io/'),
      ),
    ).toEqual([]);
    expect(central.spec?.system).toBe('system:default/edge-pattern');
    expect(central.spec?.dependencyOf).toEqual([
      'resource:default/hub-b-group-hub',
    ]);
    expect(byName(entitiesB).get('hub-b-group-hub')!.metadata.description).toBe(
      'Cluster group hub of hub hub-b in pattern edge-pattern: the hub cluster.',
    );
    expect(
      b.logger.lines.filter(
        l => l.level === 'info' && l.message.includes('clusterProxy'),
      ),
    ).toHaveLength(1);
    expect(
      a.logger.lines.filter(
        l => l.level === 'info' && l.message.includes('clusterProxy'),
      ),
    ).toHaveLength(0);
  });

  it('emits a delta of exactly what changed, and nothing when nothing an entity carries changed', async () => {
    const { provider, connection } = await connected('hub-a');
    await provider.refresh();
    expect(connection.mutations).toHaveLength(1);
    const before = byName(full(connection.mutations[0]));

    // an untouched run: no mutation at all
    await provider.refresh();
    expect(connection.mutations).toHaveLength(1);

    // status only (conditions): the entity would be the same, so nothing is emitted
    const statusPatch = await request(
      'PATCH',
      `${simA.url}${MC_PATH}/loose-1/status`,
      simA.token,
      {
        status: {
          conditions: [
            {
              type: 'ManagedClusterConditionAvailable',
              status: 'Unknown',
              reason: 'ManagedClusterLeaseUpdateStopped',
              message: 'Registration agent stopped updating its lease.',
              lastTransitionTime: '2026-06-02T00:00:00Z',
            },
          ],
        },
      },
    );
    expect(statusPatch.status).toBe(200);
    await provider.refresh();
    expect(connection.mutations).toHaveLength(1);

    // a label change on one cluster: exactly its entity, nothing removed
    const patch = await request(
      'PATCH',
      `${simA.url}${MC_PATH}/loose-1`,
      simA.token,
      {
        metadata: {
          labels: {
            owner: 'storage',
            'cluster.open-cluster-management.io/clusterset': 'edge-set',
          },
        },
      },
    );
    expect(patch.status).toBe(200);
    await provider.refresh();
    expect(connection.mutations).toHaveLength(2);
    const delta = connection.mutations[1] as any;
    expect(delta.type).toBe('delta');
    expect(delta.removed).toEqual([]);
    expect(
      delta.added.map((d: DeferredEntity) => d.entity.metadata.name),
    ).toEqual(['hub-a-loose-1']);
    const changed: Entity = delta.added[0].entity;
    expect(changed.metadata.labels).toEqual({
      ...before.get('hub-a-loose-1')!.metadata.labels,
      'cluster.open-cluster-management.io/clusterset': 'edge-set',
    });
    expect(changed.spec?.owner).toBe('group:default/storage');

    // a deleted cluster: exactly its removal (its group keeps other members)
    const del = await request(
      'DELETE',
      `${simA.url}${MC_PATH}/west-1`,
      simA.token,
    );
    expect(del.status).toBe(200);
    await provider.refresh();
    expect(connection.mutations).toHaveLength(3);
    expect(connection.mutations[2]).toEqual({
      type: 'delta',
      added: [],
      removed: [
        {
          entityRef: 'resource:default/hub-a-west-1',
          locationKey: 'multicloud-gitops-clusters:hub-a',
        },
        // west-1 was the only member of group-two
        {
          entityRef: 'resource:default/hub-a-group-group-two',
          locationKey: 'multicloud-gitops-clusters:hub-a',
        },
      ],
    });

    // a new cluster in a new group: the cluster and its group
    const created = await request(
      'POST',
      `${simA.url}${MC_PATH}`,
      simA.token,
      {
        apiVersion: 'cluster.open-cluster-management.io/v1',
        kind: 'ManagedCluster',
        metadata: { name: 'north-1', labels: { clusterGroup: 'group-three' } },
        spec: { hubAcceptsClient: false },
      },
      'application/json',
    );
    expect(created.status).toBe(201);
    await provider.refresh();
    const added = connection.mutations[3] as any;
    expect(added.type).toBe('delta');
    expect(added.removed).toEqual([]);
    expect(
      added.added.map((d: DeferredEntity) => d.entity.metadata.name).sort(),
    ).toEqual(['hub-a-group-group-three', 'hub-a-north-1']);
  });

  it('lists again and emits a full mutation when the watch answers 410', async () => {
    const { provider, connection, logger } = await connected('hub-b');
    await provider.refresh();
    expect(connection.mutations.map(m => m.type)).toEqual(['full']);
    const expire = await request(
      'POST',
      `${simB.url}/_simulator/watch/expire`,
      simB.token,
    );
    expect(expire.status).toBe(200);
    await provider.refresh();
    expect(connection.mutations.map(m => m.type)).toEqual(['full', 'full']);
    expect(
      full(connection.mutations[1])
        .map(d => d.entity.metadata.name)
        .sort(),
    ).toEqual(
      full(connection.mutations[0])
        .map(d => d.entity.metadata.name)
        .sort(),
    );
    expect(logger.lines.some(l => l.message.includes('expired (410)'))).toBe(
      true,
    );
    // and watches again from the new list afterwards
    await provider.refresh();
    expect(connection.mutations).toHaveLength(2);
  });

  it('re-emits everything as a full mutation when the pattern changes', async () => {
    const { provider, connection } = await connected('hub-b');
    await provider.refresh();
    expect(
      byName(full(connection.mutations[0])).get('hub-b-east-1')!.spec?.system,
    ).toBe('system:default/edge-pattern');
    const ns = await request(
      'POST',
      `${simB.url}/api/v1/namespaces`,
      simB.token,
      {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: 'openshift-operators' },
      },
      'application/json',
    );
    expect(ns.status).toBe(201);
    const created = await request(
      'POST',
      `${simB.url}/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/namespaces/openshift-operators/patterns`,
      simB.token,
      {
        apiVersion: 'gitops.hybrid-cloud-patterns.io/v1alpha1',
        kind: 'Pattern',
        metadata: { name: 'edge-gitops', namespace: 'openshift-operators' },
        spec: {
          clusterGroupName: 'hub',
          gitSpec: {
            targetRepo: 'https://example.com/edge-gitops',
            targetRevision: 'main',
          },
        },
      },
      'application/json',
    );
    expect(created.status).toBe(201);
    try {
      await provider.refresh();
      const again = byName(full(connection.mutations[1]));
      expect(again.get('hub-b-east-1')!.spec?.system).toBe(
        'system:default/edge-gitops',
      );
      expect(
        again.get('hub-b-group-edge')!.metadata.annotations?.[
          'validatedpatterns.io/pattern'
        ],
      ).toBe('edge-gitops');
    } finally {
      await request(
        'DELETE',
        `${simB.url}/apis/gitops.hybrid-cloud-patterns.io/v1alpha1/namespaces/openshift-operators/patterns/edge-gitops`,
        simB.token,
      );
    }
  });

  it('keeps the catalog as it was and warns once per run, without the token, when the hub is unreachable', async () => {
    const { provider, connection, logger } = await connected('hub-b');
    await provider.refresh();
    const fault = await request(
      'POST',
      `${simB.url}/_simulator/faults`,
      simB.token,
      {
        family: 'k8s',
        status: 503,
      },
      'application/json',
    );
    expect(fault.status).toBe(200);
    try {
      const warningsBefore = logger.lines.filter(
        l => l.level === 'warn',
      ).length;
      await provider.refresh();
      await provider.refresh();
      expect(connection.mutations).toHaveLength(1);
      const warnings = logger.lines
        .filter(l => l.level === 'warn')
        .slice(warningsBefore);
      expect(warnings).toHaveLength(2);
      expect(warnings[0].message).toContain('not refreshed');
      expect(warnings[0].message).toContain('503');
      for (const l of logger.lines) expect(l.message).not.toContain(simB.token);
    } finally {
      await request('DELETE', `${simB.url}/_simulator/faults`, simB.token);
    }
    // back: the next run catches up from where it was, with no change to emit
    await provider.refresh();
    expect(connection.mutations).toHaveLength(1);
  });

  it('relists to heal drift every N runs', async () => {
    const logger = captureLogger();
    const provider = new MulticloudGitopsClusterProvider({
      hub: readClusterProviderConfig(configFor()).hubs[1],
      defaultOwner: 'unknown',
      ownerLabel: 'owner',
      logger,
      watchTimeoutSeconds: 1,
      fullRelistEveryRuns: 2,
    });
    const connection = recordingConnection();
    await provider.connect(connection);
    for (let i = 0; i < 4; i++) await provider.refresh();
    // list, watch, watch, list
    expect(connection.mutations.map(m => m.type)).toEqual(['full', 'full']);
  });
});
