/*
 * Owners told, on a store written by hand and fake timers: one notification per incident
 * to the entity's owners, none while a source is only stale, a resolution notice after
 * recovery, and no storm from a flapping hub.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { cluster, hubSettings, searchApp } from '../__testUtils__/fleet';
import { HubStore } from '../store/HubStore';
import { ApplicationRecord } from '../store/records';
import { TopologyService } from '../topology/TopologyService';
import { OwnerNotifier } from './OwnerNotifier';
import {
  NOTIFICATION_DEFAULTS,
  NotificationSettings,
  readNotificationSettings,
} from './settings';

const MIN = 60_000;

const entity = (
  kind: string,
  name: string,
  owner: string,
  annotations: Record<string, string>,
): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind,
  metadata: { name, namespace: 'default', annotations },
  spec: { owner, type: 'service', lifecycle: 'production' },
});

const entities = [
  entity('System', 'multicloud-gitops', 'platform-team', {
    'validatedpatterns.io/pattern': 'multicloud-gitops',
  }),
  entity('Component', 'hello-world', 'group:default/team-a', {
    'argocd/app-name': 'hello-world',
  }),
  entity('Component', 'config-demo', 'user:default/bob', {
    'argocd/app-name': 'config-demo',
  }),
  // Not ours: no annotation, so nothing to watch.
  entity('Component', 'unrelated', 'user:default/carol', {}),
];

const settings: NotificationSettings = {
  enabled: true,
  ...NOTIFICATION_DEFAULTS,
};

type App = { name: string; cluster: string; health?: string; sync?: string };

function setup(
  catalog = catalogServiceMock({ entities }),
  notifySettings: NotificationSettings = settings,
) {
  const store = new HubStore('hub', 0);
  for (const c of [
    cluster('the-hub', { 'local-cluster': 'true', clusterGroup: 'hub' }),
    cluster('east', { clusterGroup: 'group-one' }),
    cluster('south', { clusterGroup: 'group-one' }),
    cluster('west', { clusterGroup: 'group-two' }),
  ])
    store.upsert('clusters', c.name, c);
  for (const [name, kind] of [
    ['acm', 'acm'],
    ['search', 'search'],
  ] as const) {
    store.registerSource(name, kind);
    store.setSource(name, 'ok');
  }
  const apps: App[] = [
    { name: 'hello-world', cluster: 'east' },
    { name: 'hello-world', cluster: 'west' },
    { name: 'config-demo', cluster: 'east' },
  ];
  let hidden = false;
  const writeApps = () =>
    store.replaceSearchApps(
      (hidden ? [] : apps).map(a =>
        searchApp(a.name, a.cluster, {
          healthStatus: a.health ?? 'Healthy',
          syncStatus: a.sync ?? 'Synced',
        }),
      ) as ApplicationRecord[],
    );
  writeApps();
  const setApp = (name: string, on: string, change: Partial<App>) => {
    Object.assign(apps.find(a => a.name === name && a.cluster === on)!, change);
    writeApps();
  };
  /** A hub restarting: its Search answers nothing for a while. */
  const hideApps = (hide: boolean) => {
    hidden = hide;
    writeApps();
  };
  const setCluster = (name: string, available: boolean) => {
    const c = cluster(name, {
      clusterGroup: name === 'west' ? 'group-two' : 'group-one',
    });
    store.upsert('clusters', name, {
      ...c,
      conditions: [
        {
          type: 'ManagedClusterConditionAvailable',
          status: available ? 'True' : 'Unknown',
          reason: available ? undefined : 'ManagedClusterLeaseUpdateStopped',
        },
      ],
    } as typeof c);
  };
  const service = new TopologyService([
    { settings: hubSettings({ pattern: 'multicloud-gitops' }), store },
  ]);
  const sent: NotificationSendOptions[] = [];
  const notifier = new OwnerNotifier({
    service,
    catalog,
    auth: mockServices.auth(),
    notifications: {
      send: async options => {
        sent.push(options);
      },
    },
    logger: mockServices.logger.mock(),
    settings: notifySettings,
  });
  notifier.start();
  const to = (ref: string) =>
    sent.filter(s => (s.recipients as any).entityRef === ref);
  return { store, setApp, hideApps, setCluster, sent, to, notifier };
}

/** Advances fake time, letting the store's change events and the passes run. */
const advance = (ms: number) => jest.advanceTimersByTimeAsync(ms);

describe('OwnerNotifier', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T08:00:00Z') });
    env = setup();
    await advance(1);
  });
  afterEach(() => {
    env.notifier.stop();
    jest.useRealTimers();
  });

  it('tells the owners once per incident, after the threshold, linking to the tab', async () => {
    env.setApp('hello-world', 'east', { health: 'Degraded' });
    env.setApp('hello-world', 'west', { health: 'Degraded' });
    await advance(9 * MIN);
    expect(env.sent).toEqual([]);
    await advance(2 * MIN);
    // One for hello-world's owners (both clusters in it), one for the pattern's; none to bob.
    expect(env.sent).toHaveLength(2);
    const [toTeam] = env.to('group:default/team-a');
    expect(toTeam.payload).toMatchObject({
      title: 'hello-world: 2 applications Degraded or OutOfSync',
      link: '/catalog/default/component/hello-world/multicloud-gitops',
      severity: 'high',
      topic: 'multicloud-gitops',
      scope: 'multicloud-gitops:component:default/hello-world:applications',
    });
    expect(toTeam.payload.description).toMatch(
      /^Degraded for over 10 min or OutOfSync for over 10 min:\n/,
    );
    expect(toTeam.payload.description).toContain(
      '- hello-world on east (hub hub): Degraded',
    );
    expect(toTeam.payload.description).toContain(
      '- hello-world on west (hub hub): Degraded',
    );
    expect(env.to('group:default/platform-team')).toHaveLength(1);
    expect(env.to('user:default/bob')).toEqual([]);

    // It goes on, and the store keeps changing: no second notice.
    for (let i = 0; i < 20; i++) {
      env.setApp('config-demo', 'east', {
        health: i % 2 ? 'Healthy' : 'Progressing',
      });
      await advance(3 * MIN);
    }
    expect(env.sent).toHaveLength(2);
  });

  it('tells OutOfSync apart from Degraded, with its own threshold', async () => {
    env.setApp('config-demo', 'east', { sync: 'OutOfSync' });
    await advance(11 * MIN);
    expect(env.to('user:default/bob')).toMatchObject([
      {
        payload: {
          severity: 'normal',
          description: expect.stringContaining(
            'config-demo on east (hub hub): OutOfSync',
          ),
        },
      },
    ]);
  });

  it('says nothing while a source is only stale or failing', async () => {
    env.store.setSource('search', 'stale', 'Search did not answer');
    env.setApp('hello-world', 'east', { health: 'Degraded' });
    env.store.setSource('acm', 'error', 'hub unreachable');
    env.setCluster('south', false);
    await advance(60 * MIN);
    expect(env.sent).toEqual([]);
  });

  it('sends a resolution notice with the same scope once it stays clear', async () => {
    env.setApp('hello-world', 'east', { health: 'Degraded' });
    await advance(11 * MIN);
    expect(env.to('group:default/team-a')).toHaveLength(1);
    env.setApp('hello-world', 'east', { health: 'Healthy' });
    await advance(4 * MIN);
    expect(env.to('group:default/team-a')).toHaveLength(1);
    await advance(2 * MIN);
    const notices = env.to('group:default/team-a');
    expect(notices).toHaveLength(2);
    expect(notices[1].payload).toMatchObject({
      title: 'Resolved: hello-world: applications Healthy and Synced again',
      severity: 'low',
      scope: notices[0].payload.scope,
    });
  });

  it('tells the owners of every entity deploying to a group once, when a cluster of it goes', async () => {
    env.setCluster('south', false);
    await advance(4 * MIN);
    expect(env.sent).toEqual([]);
    await advance(2 * MIN);
    // hello-world and config-demo run in group-one (east); south is of group-one.
    expect(env.sent.map(s => (s.recipients as any).entityRef).sort()).toEqual([
      'group:default/platform-team',
      'group:default/team-a',
      'user:default/bob',
    ]);
    expect(env.to('user:default/bob')[0].payload).toMatchObject({
      title: 'config-demo: 1 cluster it deploys to unavailable',
      scope: 'multicloud-gitops:component:default/config-demo:clusters',
      description: expect.stringContaining(
        'south (group group-one, hub hub): unknown',
      ),
    });
  });

  it('makes no storm when the hub flaps', async () => {
    env.setApp('hello-world', 'east', { health: 'Degraded' });
    await advance(11 * MIN);
    expect(env.sent).toHaveLength(2);
    // For two hours the hub comes and goes: its sources fail and recover every 30 s, its
    // applications vanish and come back, and a cluster's lease stops and resumes.
    for (let i = 0; i < 240; i++) {
      const down = i % 2 === 0;
      env.store.setSource(
        'acm',
        down ? 'error' : 'ok',
        down ? 'timeout' : undefined,
      );
      env.store.setSource(
        'search',
        down ? 'error' : 'ok',
        down ? 'timeout' : undefined,
      );
      env.hideApps(down);
      if (i % 4 === 0) env.setCluster('south', false);
      if (i % 4 === 2) env.setCluster('south', true);
      await advance(30_000);
    }
    // The open incident stays open (no resolution, no repeat), the flapping cluster never
    // stayed down long enough to be one.
    expect(env.sent).toHaveLength(2);
    expect(env.sent.every(s => s.payload.metadata?.incident === 'open')).toBe(
      true,
    );
  });
});

describe('OwnerNotifier at startup', () => {
  it('reads the catalog again soon while it has no entities yet', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-05T08:00:00Z') });
    const catalog = catalogServiceMock({ entities });
    const getEntities = catalog.getEntities.bind(catalog);
    let ready = false;
    catalog.getEntities = (async (request: any, options: any) =>
      ready ? getEntities(request, options) : { items: [] }) as any;
    // Read an hour apart once known: an empty list must not wait that long.
    const env = setup(catalog, { ...settings, entityRefreshMs: 60 * MIN });
    try {
      env.setApp('hello-world', 'east', { health: 'Degraded' });
      await advance(MIN);
      ready = true; // the catalog has processed its locations
      await advance(10 * MIN);
      expect(env.to('group:default/team-a')).toHaveLength(1);
    } finally {
      env.notifier.stop();
      jest.useRealTimers();
    }
  });
});

describe('readNotificationSettings', () => {
  it('has defaults, reads durations and refuses bad ones', () => {
    expect(readNotificationSettings(new ConfigReader({}))).toEqual({
      enabled: true,
      ...NOTIFICATION_DEFAULTS,
    });
    expect(
      readNotificationSettings(
        new ConfigReader({
          multicloudGitops: {
            notifications: {
              enabled: false,
              degradedAfter: '15m',
              outOfSyncAfter: { hours: 1 },
              resolvedAfter: 'PT2M',
            },
          },
        }),
      ),
    ).toMatchObject({
      enabled: false,
      degradedAfterMs: 15 * MIN,
      outOfSyncAfterMs: 60 * MIN,
      resolvedAfterMs: 2 * MIN,
    });
    expect(() =>
      readNotificationSettings(
        new ConfigReader({
          multicloudGitops: { notifications: { degradedAfter: 'soon' } },
        }),
      ),
    ).toThrow(/multicloudGitops.notifications.degradedAfter/);
  });
});
