/*
 * Starts the hubs multicloudGitops.simulator asks for; thread.ts runs it on the simulator's
 * own thread, and the tests call it directly.
 */
import {
  startSimulator,
  startSimulators,
  writeSeededPatternRepo,
} from '@multicloud-gitops-backstage/fleet-simulator';
import type { SimulatorConfig } from './config';

export interface StartedHubs {
  /** each hub's base URL, hub 1 first (on `port`, the next on `port + 1`, ...) */
  urls: string[];
  /**
   * Point hub 1's seeded Pattern at the followed local repository (config.follow), once it
   * is served; its patterns operator then deploys what that repository says.
   */
  followLocalGit(): Promise<void>;
  stop(): Promise<void>;
}

const PATTERNS = '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1';

/** Changes the seeded Pattern's gitSpec through the hub's API, as a user would. */
async function followRepo(
  hub: { url: string; token: string },
  pattern: string,
  repoUrl: string,
) {
  const res = await fetch(
    `${hub.url}${PATTERNS}/namespaces/openshift-operators/patterns/${pattern}`,
    {
      method: 'PATCH',
      headers: {
        authorization: `Bearer ${hub.token}`,
        'content-type': 'application/merge-patch+json',
      },
      body: JSON.stringify({
        spec: { gitSpec: { targetRepo: repoUrl, targetRevision: 'main' } },
      }),
    },
  );
  if (!res.ok)
    throw new Error(
      `the seeded Pattern ${pattern} cannot follow ${repoUrl}: HTTP ${res.status}`,
    );
}

export async function startConfiguredHubs(
  config: SimulatorConfig,
  logger: (line: string) => void,
): Promise<StartedHubs> {
  const { hubs, follow, ...options } = config;
  const pattern = options.pattern ?? 'multicloud-gitops';
  if (follow) {
    const repo = await writeSeededPatternRepo(follow.repoDir, {
      pattern,
      groups: options.groups,
      appsPerCluster: options.appsPerCluster,
    });
    logger(
      `${repo.created ? 'wrote' : 'kept'} the seeded pattern's repository ${
        follow.repoDir
      } (main at ${repo.commit})`,
    );
  }
  const started =
    hubs === 1
      ? // one hub is the simulator the portal has always run, with an unnamed local-cluster
        await startSimulator({ ...options, logger }).then(sim => ({
          hubs: [sim],
          stop: () => sim.stop(),
        }))
      : await startSimulators({ ...options, hubs, logger });
  return {
    urls: started.hubs.map(h => h.url),
    followLocalGit: async () => {
      if (follow) await followRepo(started.hubs[0], pattern, follow.repoUrl);
    },
    stop: () => started.stop(),
  };
}
