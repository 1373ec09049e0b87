/*
 * Reads catalog.providers.multicloudGitops at startup. A mistake stops the backend with one
 * line naming the key, rather than a provider that silently reads nothing.
 */
import {
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { Config } from '@backstage/config';
import {
  HubSettings,
  readHubSettings,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { z } from 'zod';

const ROOT = 'catalog.providers.multicloudGitops';

/** What the provider needs from config, validated. @public */
export interface ClusterProviderConfig {
  /** Entity reference of the owner when a cluster's owner label names none. */
  defaultOwner: string;
  /** The ManagedCluster label naming a cluster's owning Group. */
  ownerLabel: string;
  /** The hubs to read, in config order. */
  hubs: HubSettings[];
  schedule: SchedulerServiceTaskScheduleDefinition;
}

/** A config error in one line: the full key, then what is wrong. @public */
export class ClusterProviderConfigError extends Error {
  constructor(key: string, problem: string) {
    super(`Invalid config at ${key}: ${problem}`);
    this.name = 'ClusterProviderConfigError';
  }
}

const schema = z
  .object({
    defaultOwner: z
      .string()
      .min(1)
      .refine(v => {
        try {
          parseEntityRef(v, {
            defaultKind: 'Group',
            defaultNamespace: 'default',
          });
          return true;
        } catch {
          return false;
        }
      }, 'must be an entity reference such as group:default/platform-team')
      .optional(),
    // A Kubernetes label key: an optional DNS prefix and a name.
    ownerLabel: z
      .string()
      .regex(
        /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
        'must be a Kubernetes label key such as owner or example.com/owner',
      )
      .optional(),
    hubs: z.array(z.string().min(1)).optional(),
    schedule: z.unknown().optional(),
  })
  .strict();

export const DEFAULT_SCHEDULE: SchedulerServiceTaskScheduleDefinition = {
  frequency: { seconds: 15 },
  timeout: { minutes: 2 },
};

/**
 * Reads and validates the provider's config and the hubs it reads.
 * Throws {@link ClusterProviderConfigError} (or the hub reader's error) on the first problem.
 * @public
 */
export function readClusterProviderConfig(root: Config): ClusterProviderConfig {
  const raw = root.getOptional<unknown>(ROOT) ?? {};
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const key = [ROOT, ...issue.path.map(String)].join('.');
    const problem =
      issue.code === 'unrecognized_keys'
        ? `unknown key(s) ${issue.keys.join(', ')}`
        : issue.message;
    throw new ClusterProviderConfigError(key, problem);
  }
  const allHubs = readHubSettings(root);
  let hubs = allHubs;
  if (parsed.data.hubs) {
    const known = new Set(allHubs.map(h => h.name));
    parsed.data.hubs.forEach((name, i) => {
      if (!known.has(name)) {
        throw new ClusterProviderConfigError(
          `${ROOT}.hubs[${i}]`,
          `hub "${name}" is not declared in multicloudGitops.hubs${
            known.size ? ` (declared: ${[...known].join(', ')})` : ''
          }`,
        );
      }
    });
    const wanted = new Set(parsed.data.hubs);
    hubs = allHubs.filter(h => wanted.has(h.name));
  }

  let schedule = DEFAULT_SCHEDULE;
  if (root.has(`${ROOT}.schedule`)) {
    try {
      schedule = readSchedulerServiceTaskScheduleDefinitionFromConfig(
        root.getConfig(`${ROOT}.schedule`),
      );
    } catch (e) {
      throw new ClusterProviderConfigError(
        `${ROOT}.schedule`,
        String((e as Error).message).split('\n')[0],
      );
    }
  }
  return {
    // A bare name is read by the catalog as a Group in the default namespace.
    defaultOwner: parsed.data.defaultOwner ?? 'unknown',
    ownerLabel: parsed.data.ownerLabel ?? 'owner',
    hubs,
    // Only one replica may run a hub's provider at a time; global is the default, kept explicit.
    schedule: { ...schedule, scope: 'global' },
  };
}
