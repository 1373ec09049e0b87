/*
 * What runs where: an application's revision spread (from the store, like every view), and,
 * on a user's click in the drawer, its sync history with commits, its live-against-desired
 * diff, and rollback to a history entry (the sync route's permission, ownership and audit).
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  ApplicationDetails,
  ApplicationDiff,
  ApplicationHistory,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import express, { Request } from 'express';
import { z } from 'zod';
import {
  argoApplication,
  argoCommit,
  argoDiff,
  ArgoCaller,
  withCommits,
} from '../history/applicationHistory';
import { revisionSpread, RevisionFirstSeen } from '../history/spread';
import { UpstreamError } from '../http/httpClient';
import { entityScope } from '../topology/entityScope';
import { scopeKey } from '../topology/scope';
import { TopologyService } from '../topology/TopologyService';
import { principalKey, TtlCache } from './accessCache';
import { ActionTarget, ApplicationActionOptions } from './applicationAction';
import { loadEntity, parseEntityRefParam } from './entityRef';
import { AnswerCache, sendView } from './httpCache';

export interface HistoryRouteOptions {
  service: TopologyService;
  catalog: CatalogService;
  argoInstance: ApplicationActionOptions['argoInstance'];
  hubActions: ApplicationActionOptions['hubActions'];
  /** The router's read check (topology read permission, rate limit). */
  readAccess(req: Request): Promise<BackstageCredentials>;
  /** The router's handler of sync and refresh, which takes a rollback too. */
  act(
    req: Request,
    res: express.Response,
    action: 'rollback',
    targetOf: () => ActionTarget,
  ): Promise<void>;
  /** Parses one value or throws InputError naming `where`. */
  parse<T>(schema: z.ZodType<T>, value: unknown, where: string): T;
  name(what: string): z.ZodType<string>;
  jsonBody: express.RequestHandler;
  /** How long a history or diff is kept (default 5 s). */
  historyTtlMs?: number;
}

/** Histories and diffs kept at once; each is a few KB. */
const MAX_KEPT = 500;

export function registerHistoryRoutes(
  router: express.Router,
  options: HistoryRouteOptions,
) {
  const { service, catalog, parse, name, readAccess } = options;
  const seen = new RevisionFirstSeen();
  const spreads = new AnswerCache('spread', 256);
  const entityScopes = new TtlCache<ReturnType<typeof entityScope>>(10000);
  const ttl = options.historyTtlMs ?? 5000;
  const histories = new TtlCache<ApplicationHistory>(ttl, MAX_KEPT);
  const diffs = new TtlCache<ApplicationDiff>(ttl, MAX_KEPT);

  const spreadQuery = z
    .object({
      entityRef: z.string().max(1024, 'entityRef is too long').optional(),
      hub: name('hub').optional(),
      name: name('name'),
    })
    .strict()
    .refine(q => !!q.entityRef !== !!q.hub, 'give entityRef or hub, not both');
  const appQuery = z
    .object({ appNamespace: name('appNamespace').optional() })
    .strict();

  // Which revision runs on how many clusters: from the store, 0 upstream requests.
  router.get('/v1/applications/spread', async (req, res) => {
    const credentials = await readAccess(req);
    const q = parse(spreadQuery, req.query, 'query');
    let hub: string;
    let key: string;
    let apps: () => Pick<ApplicationDetails, 'name' | 'cluster' | 'revision'>[];
    if (q.entityRef) {
      const entityRef = q.entityRef;
      const resolved = await entityScopes.get(
        `${principalKey(credentials)}|${entityRef}`,
        async () =>
          entityScope(
            await loadEntity(
              catalog,
              parseEntityRefParam(entityRef),
              credentials,
            ),
            service,
          ),
      );
      hub = resolved.hub;
      key = scopeKey(resolved.scope);
      apps = () => service.scope(hub, resolved.scope).applications;
    } else {
      hub = q.hub!;
      key = '';
      apps = () => service.full(hub).applications;
    }
    const store = service.store(hub);
    await sendView(
      req,
      res,
      spreads.view(
        `${hub}@${store.id}:${store.publishedVersion}|${key}|${q.name}`,
        () => revisionSpread(hub, q.name, apps(), seen),
      ),
    );
  });

  /** The application the path names, as the store knows it. */
  function application(req: Request) {
    const hub = parse(name('hub'), req.params.hub, 'hub');
    const cluster = parse(name('cluster'), req.params.cluster, 'cluster');
    const appName = parse(
      name('application name'),
      req.params.name,
      'application name',
    );
    const q = parse(appQuery, req.query, 'query');
    const details = service.clusterDetails(hub, cluster);
    const app = details.applications.find(
      a =>
        a.name === appName &&
        (!q.appNamespace || a.namespace === q.appNamespace),
    );
    if (!app)
      throw new NotFoundError(
        `Cluster ${cluster} of hub ${hub} runs no application ${appName}`,
      );
    return { hub, cluster, app, reachable: details.hubActions };
  }

  const argoOf = (hub: string, instance: string): ArgoCaller => {
    const argo = options.argoInstance(hub, instance);
    if (!argo.call)
      throw new ServiceUnavailableError(
        `Argo CD ${instance} cannot be read here`,
      );
    return argo as ArgoCaller;
  };
  const upstream = async <T>(where: string, fn: () => Promise<T>) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof UpstreamError)
        throw new ServiceUnavailableError(`${where}: ${e.message}`);
      throw e;
    }
  };

  router.get(
    '/v1/hubs/:hub/clusters/:cluster/applications/:name/history',
    async (req, res) => {
      await readAccess(req);
      const { hub, cluster, app, reachable } = application(req);
      const key = `${hub}|${cluster}|${app.namespace}/${app.name}`;
      res.json(
        await histories.get(key, async () => {
          const base = { hub, cluster, application: app.name };
          if (app.instance) {
            const instance = app.instance;
            const argo = argoOf(hub, instance);
            return upstream(`Argo CD ${instance}`, async () =>
              withCommits(
                await argoApplication(argo, app.name, app.namespace),
                { ...base, through: `argocd:${instance}` },
                (revision, id) =>
                  argoCommit(argo, app.name, app.namespace, revision, id),
              ),
            );
          }
          const through = options.hubActions(hub);
          if (!reachable || !through.application)
            throw new ServiceUnavailableError(
              `Cluster ${cluster} is not available: the hub cannot read the history of ${app.name} now`,
            );
          // A configured instance with an application of the same repository (the
          // pattern's, usually the hub's) can read that repository's commits.
          const sameRepo = app.repoURL
            ? service
                .full(hub)
                .applications.find(a => a.instance && a.repoURL === app.repoURL)
            : undefined;
          const reader = sameRepo?.instance
            ? { argo: argoOf(hub, sameRepo.instance), app: sameRepo }
            : undefined;
          return withCommits(
            await through.application(cluster, app.name, app.namespace),
            { ...base, through: 'hub' },
            reader &&
              (revision =>
                upstream(`Argo CD ${reader.app.instance}`, () =>
                  argoCommit(
                    reader.argo,
                    reader.app.name,
                    reader.app.namespace,
                    revision,
                  ),
                )),
            "The hub reads the application on the cluster but not its repository, and no configured Argo CD instance deploys from it: configure the cluster's Argo CD instance to see authors and messages",
          );
        }),
      );
    },
  );

  router.get(
    '/v1/hubs/:hub/clusters/:cluster/applications/:name/diff',
    async (req, res) => {
      await readAccess(req);
      const { hub, cluster, app } = application(req);
      const base = { hub, cluster, application: app.name, sync: app.sync };
      if (!app.instance) {
        // A ManagedClusterView returns one object; managed-resources is an Argo CD API call
        // the hub cannot make on the cluster.
        const answer: ApplicationDiff = {
          ...base,
          unavailable: `The hub can read ${app.name} on ${cluster} but not compare its resources: configure the cluster's Argo CD instance to see the diff`,
          resources: [],
        };
        res.json(answer);
        return;
      }
      const instance = app.instance;
      const key = `${hub}|${cluster}|${app.namespace}/${app.name}`;
      res.json(
        await diffs.get(key, () =>
          upstream(`Argo CD ${instance}`, () =>
            argoDiff(argoOf(hub, instance), base, app.name, app.namespace),
          ),
        ),
      );
    },
  );

  // Behind the sync permission, the ownership rule and the audit of sync: the same path.
  router.post(
    '/v1/hubs/:hub/clusters/:cluster/applications/:name/rollback',
    options.jsonBody,
    async (req, res) => {
      await options.act(req, res, 'rollback', () => ({
        cluster: parse(name('cluster'), req.params.cluster, 'cluster'),
      }));
      // the history changes with the operation: the next read asks again
      const prefix = `${req.params.hub}|${req.params.cluster}|`;
      histories.forget(
        k => k.startsWith(prefix) && k.endsWith(`/${req.params.name}`),
      );
    },
  );
}
