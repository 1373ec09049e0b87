/*
 * Two backend replicas share one database and both register each hub's provider task; the
 * scheduler's global lock must keep the provider to one replica at a time.
 */
import {
  LoggerService,
  RootLifecycleService,
} from '@backstage/backend-plugin-api';
import { DefaultSchedulerService } from '@backstage/backend-defaults/scheduler';
import { TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  RunningSimulator,
  startSimulator,
} from '@multicloud-gitops-backstage/fleet-simulator';
import { readClusterProviderConfig } from './config';
import { MulticloudGitopsClusterProvider } from './MulticloudGitopsClusterProvider';
import {
  captureLogger,
  fixturesDir,
  recordingConnection,
} from '../__testUtils__/testUtils';

jest.setTimeout(90_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
let sim: RunningSimulator;

beforeAll(async () => {
  sim = await startSimulator({ clusters: 0, fixtures: fixturesDir('hub-b') });
});
afterAll(async () => {
  await sim?.stop();
});

function lifecycle(): RootLifecycleService & { shutdown(): Promise<void> } {
  const hooks: Array<() => void | Promise<void>> = [];
  return {
    addStartupHook: () => undefined,
    addBeforeShutdownHook: () => undefined,
    addShutdownHook: (hook: any) => {
      hooks.push(typeof hook === 'function' ? hook : hook.fn);
    },
    shutdown: async () => {
      for (const h of hooks) await h();
    },
  } as any;
}

// The scheduler records metrics; these tests do not read them.
const noMetrics: any = {
  createCounter: () => ({ add: () => undefined }),
  createHistogram: () => ({ record: () => undefined }),
  createGauge: () => ({ record: () => undefined }),
  createUpDownCounter: () => ({ add: () => undefined }),
};

function waitUntil(
  check: () => boolean,
  what: string | (() => string),
  timeoutMs = 20_000,
) {
  return new Promise<void>((resolve, reject) => {
    const end = Date.now() + timeoutMs;
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > end)
        reject(
          new Error(
            `timed out waiting for ${typeof what === 'string' ? what : what()}`,
          ),
        );
      else setTimeout(poll, 50);
    };
    poll();
  });
}

it('runs a hub provider on one replica at a time when two replicas share a database', async () => {
  const knex = await databases.init('SQLITE_3');
  const config = readClusterProviderConfig(
    new ConfigReader({
      multicloudGitops: {
        hubs: [
          {
            name: 'hub-b',
            url: sim.url,
            serviceAccountToken: sim.token,
            skipTLSVerify: true,
          },
        ],
      },
      catalog: {
        providers: {
          multicloudGitops: {
            schedule: { frequency: { seconds: 1 }, timeout: { seconds: 30 } },
          },
        },
      },
    }),
  );
  expect(config.schedule.scope).toBe('global');

  let active = 0;
  let maxActive = 0;
  const runsBy = [0, 0];
  const replicas = [0, 1].map(replica => {
    const logger: LoggerService = captureLogger();
    const rootLifecycle = lifecycle();
    const scheduler = DefaultSchedulerService.create({
      database: { getClient: async () => knex },
      logger,
      metrics: noMetrics,
      rootLifecycle,
      httpRouter: { use: () => undefined, addAuthPolicy: () => undefined },
      pluginMetadata: { getId: () => 'catalog' },
    });
    const provider = new MulticloudGitopsClusterProvider({
      hub: config.hubs[0],
      defaultOwner: config.defaultOwner,
      ownerLabel: config.ownerLabel,
      logger,
      schedule: config.schedule,
      taskRunner: scheduler.createScheduledTaskRunner(config.schedule),
      // each run that watches lasts about a second, as long as the frequency
      watchTimeoutSeconds: 1,
    });
    // The run wrapper: counts the runs in flight across both replicas.
    const refresh = provider.refresh.bind(provider);
    jest.spyOn(provider, 'refresh').mockImplementation(async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await refresh();
      } finally {
        active--;
        runsBy[replica]++;
      }
    });
    return { provider, rootLifecycle, connection: recordingConnection() };
  });

  try {
    // One after the other, as replicas start: both would otherwise migrate the one database at once.
    for (const r of replicas) await r.provider.connect(r.connection);
    // Both replicas poll for the task every second while runs last about a second.
    await waitUntil(
      () => runsBy[0] + runsBy[1] >= 4,
      () => `four runs (runs: ${runsBy.join(', ')})`,
    );
    // The replica that holds the task most of the time goes away; the other takes over.
    const first = runsBy[0] >= runsBy[1] ? 0 : 1;
    const other = 1 - first;
    const before = runsBy[other];
    await replicas[first].rootLifecycle.shutdown();
    await waitUntil(
      () => runsBy[other] >= before + 2,
      () => `the other replica to take over (runs: ${runsBy.join(', ')})`,
    );
  } finally {
    await Promise.all(replicas.map(r => r.rootLifecycle.shutdown()));
    await waitUntil(() => active === 0, 'the last run to end');
  }
  expect(maxActive).toBe(1);
  // each replica listed once (its first run) and then only watched
  for (const r of replicas)
    expect(r.connection.mutations.filter(m => m.type === 'full')).toHaveLength(
      1,
    );
});
