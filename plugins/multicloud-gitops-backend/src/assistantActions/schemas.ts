/*
 * Pieces of the actions' zod schemas. The registry passes its own zod (the v3 API) to each
 * schema function, so these take it as an argument instead of importing one.
 */
import type { z as zod } from 'zod/v3';
import { OBJECT_NAME, OBJECT_NAME_MAX } from '../names';
import { ACTION_LIST_MAX } from './limits';

export type Zod = typeof zod;

/** A Kubernetes object name, as the routes take them. */
export const nameIn = (z: Zod, what: string) =>
  z
    .string()
    .min(1, `${what} is required`)
    .max(OBJECT_NAME_MAX, `${what} is too long`)
    .regex(OBJECT_NAME, `${what} must be lower-case letters, digits, - and .`);

export const hubIn = (z: Zod) =>
  nameIn(z, 'hub').describe('A hub id from multicloudGitops.hubs');

export const entityRefIn = (z: Zod) =>
  z
    .string()
    .min(1)
    .max(1024)
    .describe(
      'A catalog entity reference, kind:namespace/name, e.g. component:default/hello-world',
    );

export const sourceOut = (z: Zod) =>
  z.object({
    name: z.string(),
    state: z.enum(['ok', 'stale', 'error']),
    message: z.string().optional(),
  });

export const applicationOut = (z: Zod) =>
  z.object({
    hub: z.string(),
    cluster: z.string(),
    group: z.string().optional(),
    name: z.string(),
    namespace: z.string(),
    instance: z
      .string()
      .optional()
      .describe('The configured Argo CD instance that serves it, if any'),
    sync: z.string(),
    health: z.string(),
    operationPhase: z.string().optional(),
    revision: z.string().optional().describe('The deployed revision'),
    targetRevision: z.string().optional(),
  });

export const clusterOut = (z: Zod) =>
  z.object({
    hub: z.string(),
    name: z.string(),
    group: z.string(),
    status: z.string(),
    statusReason: z.string().optional(),
  });

/** A list of at most {@link ACTION_LIST_MAX} items, and how many there were in all. */
export const capped = <T extends zod.ZodTypeAny>(z: Zod, item: T) =>
  z.object({
    total: z.number(),
    items: z.array(item).describe(`At most ${ACTION_LIST_MAX} of them`),
  });
