/*
 * HTTP API under /api/multicloud-gitops (see openapi.yaml beside this file). Every route
 * needs an authenticated caller and a permission; none takes a URL or an upstream path, so
 * there is no way to make the backend call anything but the configured upstreams.
 */
import {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  ApplicationAction,
  CLUSTER_STATUSES,
  FLEET_SORTS,
  FleetSort,
  HEALTH_STATUSES,
  SYNC_STATUSES,
  topologyReadPermission,
  UNGROUPED,
  TopologyChangedEvent,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import express, { Request } from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { OBJECT_NAME, OBJECT_NAME_MAX } from '../names';
import { entityFleetScope, entityScope } from '../topology/entityScope';
import {
  FleetFilter,
  FleetPage,
  FleetQuery,
  FleetScope,
} from '../topology/fleetQuery';
import {
  hubsForPattern,
  knownPatterns,
  resolveHub,
} from '../topology/resolveHub';
import { Scope, scopeKey } from '../topology/scope';
import {
  ActionTarget,
  ApplicationActionOptions,
  ApplicationActionRunner,
  ArgoActions,
  createApplicationActionRunner,
  HubApplicationActions,
} from './applicationAction';
import { principalKey, TtlCache } from './accessCache';
import { loadEntity, parseEntityRefParam } from './entityRef';
import { registerHistoryRoutes } from './historyRoutes';
import { AnswerCache, sendView, ViewCache } from './httpCache';
import { ParsedQueries } from './parsedQueries';
import {
  RateLimiter,
  rateLimitErrorHandler,
  RateLimitSettings,
} from './rateLimit';

interface ResolvedEntityView {
  hub: string;
  scope: Scope;
  key: string;
}

export type { ArgoActions, HubApplicationActions };

export interface RouterOptions extends ApplicationActionOptions {
  httpAuth: HttpAuthService;
  /** Runs sync and refresh; made from the options when absent. */
  applicationAction?: ApplicationActionRunner;
  /** How long read decisions and entity lookups are remembered; 0 = always ask. */
  accessCacheTtlMs?: number;
  /** Push streams one caller may hold open at once (default 32). */
  pushStreamsPerUser?: number;
  /** Requests one caller may make (`multicloudGitops.rateLimit`); no limit when absent. */
  rateLimit?: RateLimitSettings;
}

// One schema per name: building a zod schema costs more than parsing with it, and path
// parameters are parsed on every request.
const nameSchemas = new Map<string, z.ZodString>();
const name = (what: string) => {
  let schema = nameSchemas.get(what);
  if (!schema) {
    schema = z
      .string({ message: `${what} is required` })
      .max(OBJECT_NAME_MAX, `${what} is too long`)
      .regex(
        OBJECT_NAME,
        `${what} must be lower-case letters, digits, - and .`,
      );
    nameSchemas.set(what, schema);
  }
  return schema;
};

const topologyQuery = z
  .object({
    pattern: name('pattern').optional(),
    hub: name('hub').optional(),
    group: name('group').optional(),
  })
  .strict();
const entityRefParam = z
  .string({ message: 'entityRef is required' })
  .max(1024, 'entityRef is too long');
const entityQuery = z.object({ entityRef: entityRefParam }).strict();

/** `?k=a&k=b` and `?k=a,b` alike, each value once. */
const many = z
  .union([z.string(), z.array(z.string())])
  .optional()
  // Checked after the union: a union's failure would hide the reason behind "Invalid input".
  .refine(v => !Array.isArray(v) || v.length <= 100, 'too many values')
  .transform(v => [
    ...new Set(
      (v === undefined ? [] : [v].flat())
        .flatMap(x => x.split(','))
        .map(x => x.trim())
        .filter(Boolean),
    ),
  ]);
const manyOf = <T extends string>(what: string, allowed: readonly T[]) =>
  many.pipe(
    z.array(
      z.enum(allowed as [T, ...T[]], {
        message: `${what} must be one of ${allowed.join(', ')}`,
      }),
    ),
  );
const whole = (what: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${what} must be a whole number`)
    .optional()
    .transform(v => (v === undefined ? fallback : Number(v)))
    .pipe(
      z
        .number()
        .min(min, `${what} must be at least ${min}`)
        .max(max, `${what} must be at most ${max}`),
    );
const groupName = z
  .string()
  .max(OBJECT_NAME_MAX, 'group is too long')
  .refine(
    g => g === UNGROUPED || OBJECT_NAME.test(g),
    `group must be lower-case letters, digits, - and . (or ${UNGROUPED})`,
  );
/** Most cluster rows and matrix names one answer carries. */
export const FLEET_MAX_LIMIT = 200;
export const FLEET_MAX_APP_LIMIT = 100;
const fleetQuery = z
  .object({
    entityRef: entityRefParam.optional(),
    pattern: name('pattern').optional(),
    hub: many.pipe(z.array(name('hub'))),
    group: many.pipe(z.array(groupName)),
    status: manyOf('status', CLUSTER_STATUSES),
    sync: manyOf('sync', SYNC_STATUSES),
    health: manyOf('health', HEALTH_STATUSES),
    q: z.string().max(200, 'q is too long').optional(),
    sort: z
      .enum(FLEET_SORTS as [FleetSort, ...FleetSort[]], {
        message: `sort must be one of ${FLEET_SORTS.join(', ')}`,
      })
      .optional(),
    offset: whole('offset', 0, 10_000_000, 0),
    limit: whole('limit', 1, FLEET_MAX_LIMIT, 50),
    appOffset: whole('appOffset', 0, 10_000_000, 0),
    appLimit: whole('appLimit', 0, FLEET_MAX_APP_LIMIT, 0),
  })
  .strict();
const actionBody = z
  .object({
    entityRef: z.string(),
    appNamespace: name('appNamespace').optional(),
    /** The history entry of a rollback. */
    id: z
      .number({ message: 'id must be a history entry (a whole number)' })
      .int('id must be a whole number')
      .min(0, 'id must not be negative')
      .optional(),
  })
  .strict();

function parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    const field = issue.path.join('.');
    const detail =
      issue.code === 'unrecognized_keys'
        ? `unknown parameter(s) ${issue.keys.join(', ')}`
        : `${field ? `${field}: ` : ''}${issue.message}`;
    throw new InputError(`Invalid ${where}: ${detail}`);
  }
  return r.data;
}

export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { service, httpAuth, permissions, catalog } = options;
  const views = new ViewCache(service);
  const router = Router();
  // Only sync and refresh take a body; reads skip the parser.
  const jsonBody = express.json({ limit: '16kb' });
  const ttlMs = options.accessCacheTtlMs ?? 10000;
  const readDecisions = new TtlCache<AuthorizeResult>(ttlMs);
  // An entity's lookup and what its annotations resolve to (hub, scope, view key), remembered
  // together by caller and the entityRef as sent: a warm view parses nothing again.
  const entityViews = new TtlCache<ResolvedEntityView>(ttlMs);
  const entityFleets = new TtlCache<FleetScope>(ttlMs);
  const fleet = new FleetQuery(service);
  const fleetViews = new AnswerCache('fleet');
  // A cluster's details, made once per store version: under load a details request is then
  // a lookup and a write, like the other views, instead of a serialisation and compression.
  const detailsViews = new AnswerCache('details', 256);
  const maxPushStreams = options.pushStreamsPerUser ?? 32;
  const pushStreams = new Map<string, number>();

  const limiter = options.rateLimit && new RateLimiter(options.rateLimit);

  async function readAccess(req: Request): Promise<BackstageCredentials> {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    limiter?.take(principalKey(credentials));
    const result = await readDecisions.get(
      principalKey(credentials),
      async () =>
        (
          await permissions.authorize(
            [{ permission: topologyReadPermission }],
            { credentials },
          )
        )[0].result,
    );
    if (result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        'You may not read the fleet topology (multicloud-gitops.topology.read)',
      );
    }
    return credentials;
  }

  router.get('/v1/hubs', async (req, res) => {
    await readAccess(req);
    res.json(service.hubs());
  });

  const topologyQueries = new ParsedQueries(query =>
    parse(topologyQuery, query, 'query'),
  );
  router.get('/v1/topology', async (req, res) => {
    await readAccess(req);
    const q = topologyQueries.get(req);
    const hub = resolveHub(service, q);
    await sendView(req, res, views.view(hub, { group: q.group }));
  });

  const entityQueries = new ParsedQueries(query =>
    parse(entityQuery, query, 'query'),
  );
  router.get('/v1/entity-topology', async (req, res) => {
    const credentials = await readAccess(req);
    const q = entityQueries.get(req);
    const resolved = await entityViews.get(
      `${principalKey(credentials)}|${q.entityRef}`,
      async () => {
        const ref = parseEntityRefParam(q.entityRef);
        const { hub, scope } = entityScope(
          await loadEntity(catalog, ref, credentials),
          service,
        );
        return { hub, scope, key: scopeKey(scope) };
      },
    );
    await sendView(
      req,
      res,
      views.view(resolved.hub, resolved.scope, resolved.key),
    );
  });

  // The fleet across hubs, one page at a time (see fleetQuery.ts).
  // The same filter and page objects for the same query text: FleetQuery keeps their key.
  const fleetRequests = new ParsedQueries(query => {
    const q = parse(fleetQuery, query, 'query');
    const filter: FleetFilter = {
      hubs: q.hub,
      groups: q.group,
      statuses: q.status,
      syncs: q.sync,
      healths: q.health,
      text: q.q ?? '',
    };
    const page: FleetPage = {
      sort: q.sort ?? 'topology',
      offset: q.offset,
      limit: q.limit,
      appOffset: q.appOffset,
      appLimit: q.appLimit,
    };
    return { q, filter, page };
  });
  router.get('/v1/fleet', async (req, res) => {
    const credentials = await readAccess(req);
    const { q, filter, page } = fleetRequests.get(req);
    let view: FleetScope;
    if (q.entityRef) {
      if (q.pattern)
        throw new InputError(
          'Invalid query: give entityRef or pattern, not both',
        );
      const entityRef = q.entityRef;
      view = await entityFleets.get(
        `${principalKey(credentials)}|${entityRef}`,
        async () =>
          entityFleetScope(
            await loadEntity(
              catalog,
              parseEntityRefParam(entityRef),
              credentials,
            ),
            service,
          ),
      );
    } else {
      const ids = service.hubIds();
      const hubs = q.pattern ? hubsForPattern(service, q.pattern) : ids;
      if (q.pattern && !hubs.length)
        throw new NotFoundError(
          `No hub runs pattern "${q.pattern}"; known patterns: ${
            knownPatterns(service).join(', ') || '(none yet)'
          }`,
        );
      view = { hubs, scope: {} };
    }
    const unknown = q.hub.filter(h => !view.hubs.includes(h));
    if (unknown.length)
      throw new NotFoundError(
        `Unknown hub ${unknown.join(', ')} in this view; its hubs: ${
          view.hubs.join(', ') || '(none)'
        }`,
      );
    await sendView(
      req,
      res,
      fleetViews.view(fleet.key(view, filter, page), () =>
        fleet.answer(view, filter, page),
      ),
    );
  });

  router.get('/v1/hubs/:hub/clusters/:cluster', async (req, res) => {
    await readAccess(req);
    const hub = parse(name('hub'), req.params.hub, 'hub');
    const cluster = parse(name('cluster'), req.params.cluster, 'cluster');
    const store = service.store(hub);
    await sendView(
      req,
      res,
      detailsViews.view(
        `${hub}@${store.id}:${store.publishedVersion}|${cluster}`,
        () => service.clusterDetails(hub, cluster),
      ),
    );
  });

  // Push channel: one Server-Sent Event per burst of changes of a hub.
  router.get('/v1/events', async (req, res) => {
    const credentials = await readAccess(req);
    // A browser tab holds one stream; many more from one caller is a leak or an attack, and
    // each costs the backend a socket and a listener.
    const caller = principalKey(credentials);
    const open = pushStreams.get(caller) ?? 0;
    if (open >= maxPushStreams) {
      res.status(429).json({
        error: {
          name: 'TooManyRequestsError',
          message: `You have ${open} push streams open, the most one user may (multicloudGitops.pushStreamsPerUser): close some tabs of the portal`,
        },
      });
      return;
    }
    pushStreams.set(caller, open + 1);
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: 3000\n\n`);
    for (const hub of service.hubIds()) {
      const event: TopologyChangedEvent = {
        type: 'topology-changed',
        hub,
        storeId: service.store(hub).id,
        version: service.store(hub).version,
      };
      res.write(`event: topology-changed\ndata: ${JSON.stringify(event)}\n\n`);
    }
    const off = service.onChange((hub, version, storeId) => {
      const event: TopologyChangedEvent = {
        type: 'topology-changed',
        hub,
        storeId,
        version,
      };
      res.write(`event: topology-changed\ndata: ${JSON.stringify(event)}\n\n`);
    });
    // Comments keep proxies from closing an idle stream.
    const ping = setInterval(() => res.write(': ping\n\n'), 25000);
    req.on('close', () => {
      clearInterval(ping);
      off();
      const left = (pushStreams.get(caller) ?? 1) - 1;
      if (left > 0) pushStreams.set(caller, left);
      else pushStreams.delete(caller);
    });
  });

  const runAction =
    options.applicationAction ?? createApplicationActionRunner(options);

  async function applicationAction(
    req: Request,
    res: express.Response,
    action: ApplicationAction,
    targetOf: () => ActionTarget,
  ) {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user'],
    });
    limiter?.take(principalKey(credentials));
    const hub = parse(name('hub'), req.params.hub, 'hub');
    const target = targetOf();
    const appName = parse(
      name('application name'),
      req.params.name,
      'application name',
    );
    const body = parse(actionBody, req.body ?? {}, 'body');
    if (action !== 'rollback' && body.id !== undefined)
      throw new InputError(
        `Invalid body: id is for a rollback, not a ${action}`,
      );
    res.json(
      await runAction({
        action,
        historyId: body.id,
        credentials,
        hub,
        target,
        application: appName,
        entityRef: parseEntityRefParam(body.entityRef),
        appNamespace: body.appNamespace,
        request: req,
      }),
    );
  }

  for (const action of ['sync', 'refresh'] as const) {
    router.post(
      `/v1/hubs/:hub/argocd/:instance/applications/:name/${action}`,
      jsonBody,
      (req, res) =>
        applicationAction(req, res, action, () => ({
          instance: parse(name('instance'), req.params.instance, 'instance'),
        })),
    );
    // An application on a managed cluster: its configured Argo CD instance if it has one,
    // otherwise the hub carries the action to the cluster.
    router.post(
      `/v1/hubs/:hub/clusters/:cluster/applications/:name/${action}`,
      jsonBody,
      (req, res) =>
        applicationAction(req, res, action, () => ({
          cluster: parse(name('cluster'), req.params.cluster, 'cluster'),
        })),
    );
  }

  registerHistoryRoutes(router, {
    service,
    catalog,
    argoInstance: options.argoInstance,
    hubActions: options.hubActions,
    readAccess,
    act: applicationAction,
    parse,
    name,
    jsonBody,
  });

  router.use(rateLimitErrorHandler);
  return router;
}
