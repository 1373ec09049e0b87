import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';
import path from 'node:path';

export interface SimulatorConfig {
  /** how many independent hubs, on consecutive ports from `port` */
  hubs: number;
  port: number;
  host: string;
  clusters: number;
  groups: number;
  appsPerCluster: number;
  seed: number;
  tick?: string;
  /** how often the patterns operator fetches the repos Patterns follow (default 10s) */
  patternPoll?: string;
  fixtures?: string;
  pattern?: string;
  /**
   * The local pattern repository hub 1's seeded Pattern follows (written with the seeded
   * pattern's files when missing), so what the templates commit there reaches the fleet.
   */
  follow?: { repoDir: string; repoUrl: string };
}

const KEY = 'multicloudGitops.simulator';
/** as many hubs as the simulator starts in one process */
const MAX_HUBS = 10;

function intIn(
  config: Config,
  key: string,
  def: number,
  min: number,
  max: number,
) {
  const value = config.getOptionalNumber(key) ?? def;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(
      `Invalid config at ${KEY}.${key}: ${value} is not a whole number from ${min} to ${max}`,
    );
  }
  return value;
}

/** Reads multicloudGitops.simulator; undefined when the simulator is disabled. */
export function readSimulatorConfig(root: Config): SimulatorConfig | undefined {
  const config = root.getOptionalConfig(KEY);
  if (!config || !config.getOptionalBoolean('enabled')) return undefined;
  const tick = config.getOptionalString('tick');
  if (tick !== undefined && !/^\d+(ms|s|m)?$/.test(tick)) {
    throw new InputError(
      `Invalid config at ${KEY}.tick: "${tick}" is not a duration such as 500ms, 20s or 1m`,
    );
  }
  const patternPoll = config.getOptionalString('patternPoll');
  if (patternPoll !== undefined && !/^\d+(ms|s|m)?$/.test(patternPoll)) {
    throw new InputError(
      `Invalid config at ${KEY}.patternPoll: "${patternPoll}" is not a duration such as 2s or 10s`,
    );
  }
  const fixtures = config.getOptionalString('fixtures');
  if (fixtures !== undefined && !fs.existsSync(fixtures)) {
    throw new InputError(
      `Invalid config at ${KEY}.fixtures: directory "${fixtures}" does not exist`,
    );
  }
  const hubs = intIn(config, 'hubs', 1, 1, MAX_HUBS);
  const port = intIn(config, 'port', 7008, 0, 65535);
  if (port && port + hubs - 1 > 65535) {
    throw new InputError(
      `Invalid config at ${KEY}.port: ${port} leaves no room for ${hubs} hubs on consecutive ports`,
    );
  }
  const pattern = config.getOptionalString('pattern');
  return {
    hubs,
    port,
    host: config.getOptionalString('host') ?? '127.0.0.1',
    clusters: intIn(config, 'clusters', 12, 0, 5000),
    groups: intIn(config, 'groups', 3, 1, 100),
    appsPerCluster: intIn(config, 'appsPerCluster', 4, 0, 200),
    seed: intIn(config, 'seed', 42, 0, 2 ** 31),
    tick,
    patternPoll,
    fixtures,
    pattern,
    follow: followedRepo(root, pattern ?? 'multicloud-gitops'),
  };
}

/**
 * The local repository the seeded Pattern follows: `<pattern>.git` of
 * multicloudGitops.localGit, unless simulator.followLocalGit is false.
 */
function followedRepo(root: Config, pattern: string) {
  const rootDir = root.getOptionalString('multicloudGitops.localGit.rootDir');
  const baseUrl = root.getOptionalString('multicloudGitops.localGit.baseUrl');
  if (
    !rootDir ||
    !baseUrl ||
    root.getOptionalBoolean(`${KEY}.followLocalGit`) === false
  )
    return undefined;
  return {
    repoDir: path.resolve(rootDir, `${pattern}.git`),
    repoUrl: `${baseUrl.replace(/\/+$/, '')}/${pattern}.git`,
  };
}
