import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'node:fs';

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
  fixtures?: string;
  pattern?: string;
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
  return {
    hubs,
    port,
    host: config.getOptionalString('host') ?? '127.0.0.1',
    clusters: intIn(config, 'clusters', 12, 0, 5000),
    groups: intIn(config, 'groups', 3, 1, 100),
    appsPerCluster: intIn(config, 'appsPerCluster', 4, 0, 200),
    seed: intIn(config, 'seed', 42, 0, 2 ** 31),
    tick,
    fixtures,
    pattern: config.getOptionalString('pattern'),
  };
}
