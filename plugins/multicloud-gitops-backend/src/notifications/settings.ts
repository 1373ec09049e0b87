/*
 * `multicloudGitops.notifications`: whether owners are told, and after how long.
 */
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { durationToMilliseconds } from '@backstage/types';

export interface NotificationSettings {
  enabled: boolean;
  /** How long an application stays Degraded before its owners are told. */
  degradedAfterMs: number;
  /** How long an application stays OutOfSync before its owners are told. */
  outOfSyncAfterMs: number;
  /** How long a cluster an entity deploys to stays unavailable before its owners are told. */
  clusterUnavailableAfterMs: number;
  /** How long an incident stays clear before the resolution notice. */
  resolvedAfterMs: number;
  /** How often the list of annotated entities and their owners is read from the catalog. */
  entityRefreshMs: number;
}

const MINUTE = 60_000;

export const NOTIFICATION_DEFAULTS: Omit<NotificationSettings, 'enabled'> = {
  degradedAfterMs: 10 * MINUTE,
  outOfSyncAfterMs: 10 * MINUTE,
  clusterUnavailableAfterMs: 5 * MINUTE,
  resolvedAfterMs: 5 * MINUTE,
  entityRefreshMs: 5 * MINUTE,
};

const KEY = 'multicloudGitops.notifications';

function duration(config: Config, key: string, fallback: number): number {
  if (!config.has(`${KEY}.${key}`)) return fallback;
  let ms: number;
  try {
    ms = durationToMilliseconds(
      readDurationFromConfig(config, { key: `${KEY}.${key}` }),
    );
  } catch (e) {
    throw new InputError(
      `${KEY}.${key}: ${
        (e as Error).message
      } (give e.g. "10m", "PT10M" or { minutes: 10 })`,
    );
  }
  if (!Number.isFinite(ms) || ms < 0)
    throw new InputError(`${KEY}.${key} must be a duration of 0 or more`);
  return ms;
}

export function readNotificationSettings(config: Config): NotificationSettings {
  const d = NOTIFICATION_DEFAULTS;
  return {
    enabled: config.getOptionalBoolean(`${KEY}.enabled`) ?? true,
    degradedAfterMs: duration(config, 'degradedAfter', d.degradedAfterMs),
    outOfSyncAfterMs: duration(config, 'outOfSyncAfter', d.outOfSyncAfterMs),
    clusterUnavailableAfterMs: duration(
      config,
      'clusterUnavailableAfter',
      d.clusterUnavailableAfterMs,
    ),
    resolvedAfterMs: duration(config, 'resolvedAfter', d.resolvedAfterMs),
    entityRefreshMs: duration(config, 'entityRefresh', d.entityRefreshMs),
  };
}
