/*
 * Read actions for assistants (Backstage's actions registry, served over MCP by
 * @backstage/plugin-mcp-actions-backend). Each answers from the fleet store, like the routes,
 * never from an upstream, and only to callers with the read permission: the registry hides
 * them from everyone else and refuses to run them.
 */
import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ApplicationDetails,
  isApplicationProblem,
  SourceStatus,
  topologyReadPermission,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { loadEntity, parseEntityRefParam } from '../routes/entityRef';
import { entityFleetScope } from '../topology/entityScope';
import { hubsForPattern } from '../topology/resolveHub';
import { TopologyService } from '../topology/TopologyService';
import { cap } from './limits';
import {
  applicationOut,
  capped,
  clusterOut,
  entityRefIn,
  hubIn,
  nameIn,
  sourceOut,
  Zod,
} from './schemas';

export interface ReadActionOptions {
  actionsRegistry: ActionsRegistryService;
  service: TopologyService;
  catalog: CatalogService;
}

const rollupOut = (z: Zod) =>
  z.object({
    total: z.number(),
    problems: z
      .number()
      .describe('Applications that are not Synced or not Healthy'),
    sync: z.record(z.number()),
    health: z.record(z.number()),
  });

/** The store's fields of an application that an assistant needs, in a stable shape. */
const application = (a: ApplicationDetails, hub: string, group?: string) => ({
  hub,
  cluster: a.cluster,
  ...(group ? { group } : {}),
  name: a.name,
  namespace: a.namespace,
  ...(a.instance ? { instance: a.instance } : {}),
  sync: a.sync,
  health: a.health,
  ...(a.operationPhase ? { operationPhase: a.operationPhase } : {}),
  ...(a.revision ? { revision: a.revision } : {}),
  ...(a.targetRevision ? { targetRevision: a.targetRevision } : {}),
});

const sourceState = (s: SourceStatus) => ({
  name: s.name,
  state: s.state,
  ...(s.message ? { message: s.message } : {}),
});

export function registerReadActions(options: ReadActionOptions) {
  const { actionsRegistry, service, catalog } = options;
  const readOnly = { readOnly: true, destructive: false, idempotent: true };

  actionsRegistry.register({
    name: 'get-fleet-summary',
    title: 'Multicloud GitOps fleet summary',
    description: `Summarises the Validated Patterns Multicloud GitOps fleet: for each ACM hub, the pattern it runs, its cluster groups with their clusters' availability, how many Argo CD applications are not Synced or not Healthy, and whether each upstream source (ACM, ACM Search, Argo CD) is current.

## When to use
To answer "how is the fleet doing?", "which cluster groups have problems?", or to find hub and group names before asking for a cluster or an application.`,
    attributes: readOnly,
    visibilityPermission: topologyReadPermission,
    schema: {
      input: z =>
        z.object({
          pattern: nameIn(z, 'pattern')
            .optional()
            .describe('Only hubs running this pattern'),
          hub: hubIn(z).optional().describe('Only this hub'),
        }),
      output: z =>
        z.object({
          hubs: z.array(
            z.object({
              hub: z.string(),
              title: z.string(),
              pattern: z.string().optional(),
              clusters: z.object({
                total: z.number(),
                status: z.record(z.number()),
              }),
              applications: rollupOut(z),
              groups: z.array(
                z.object({
                  name: z.string(),
                  clusters: z.number(),
                  unavailableClusters: z.number(),
                  applications: rollupOut(z),
                }),
              ),
              sources: z.array(sourceOut(z)),
            }),
          ),
        }),
    },
    action: async ({ input }) => {
      let ids = service.hubIds();
      if (input.pattern) ids = hubsForPattern(service, input.pattern);
      if (input.hub) {
        service.store(input.hub); // a NotFoundError naming the configured hubs
        ids = ids.filter(id => id === input.hub);
      }
      return {
        output: {
          hubs: ids.map(id => {
            const t = service.scope(id, {});
            const rollup = (r: typeof t.applicationRollup) => ({
              total: r.total,
              problems: r.problems,
              sync: r.sync,
              health: r.health,
            });
            return {
              hub: id,
              title: t.hub.title,
              ...(t.hub.pattern ? { pattern: t.hub.pattern } : {}),
              clusters: {
                total: t.clusterRollup.total,
                status: t.clusterRollup.status,
              },
              applications: rollup(t.applicationRollup),
              groups: t.groups.map(g => ({
                name: g.name,
                clusters: g.clusterRollup.total,
                unavailableClusters:
                  g.clusterRollup.total - g.clusterRollup.status.available,
                applications: rollup(g.applicationRollup),
              })),
              sources: t.sources.map(sourceState),
            };
          }),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-entity-fleet-problems',
    title: "What is unhealthy in a catalog entity's fleet",
    description: `Lists what needs attention for one catalog entity (a System for a whole pattern, a Component for its applications): its Argo CD applications that are not Synced or not Healthy on any managed cluster, the clusters they deploy to that are not available, and the upstream sources that are stale or failing (their parts of the answer may be out of date).

## When to use
To answer "is my application healthy everywhere?", "what is broken for team X's service?". Give the entity reference as kind:namespace/name, e.g. component:default/hello-world.`,
    attributes: readOnly,
    visibilityPermission: topologyReadPermission,
    schema: {
      input: z => z.object({ entityRef: entityRefIn(z) }),
      output: z =>
        z.object({
          entityRef: z.string(),
          hubs: z.array(z.string()),
          applications: z
            .number()
            .describe('All applications of the entity on every cluster'),
          problems: capped(z, applicationOut(z)),
          unavailableClusters: capped(z, clusterOut(z)),
          degradedSources: z.array(sourceOut(z).extend({ hub: z.string() })),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = parseEntityRefParam(input.entityRef);
      const entity = await loadEntity(catalog, entityRef, credentials);
      const { hubs, scope } = entityFleetScope(entity, service);
      const problems = [];
      const unavailable = [];
      const sources = [];
      let applications = 0;
      for (const hub of hubs) {
        const t = service.scope(hub, scope);
        const groupOf = new Map(t.clusters.map(c => [c.name, c.group]));
        applications += t.applications.length;
        for (const a of t.applications)
          if (isApplicationProblem(a))
            problems.push(application(a, hub, groupOf.get(a.cluster)));
        for (const c of t.clusters)
          if (c.status !== 'available')
            unavailable.push({
              hub,
              name: c.name,
              group: c.group,
              status: c.status,
              ...(c.statusReason ? { statusReason: c.statusReason } : {}),
            });
        for (const s of t.sources)
          if (s.state !== 'ok') sources.push({ hub, ...sourceState(s) });
      }
      return {
        output: {
          entityRef,
          hubs,
          applications,
          problems: cap(problems),
          unavailableClusters: cap(unavailable),
          degradedSources: sources,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'get-managed-cluster',
    title: 'A managed cluster of the Multicloud GitOps fleet',
    description: `Details of one managed cluster of an ACM hub: its status and why, cluster group, cloud, region and OpenShift version, conditions, nodes, policy compliance, and every Argo CD application on it with its sync, health and revision.

## When to use
To answer "what is wrong with cluster X?", "what runs on cluster X?". Hub and cluster names come from get-fleet-summary or get-entity-fleet-problems.`,
    attributes: readOnly,
    visibilityPermission: topologyReadPermission,
    schema: {
      input: z => z.object({ hub: hubIn(z), cluster: nameIn(z, 'cluster') }),
      output: z =>
        z.object({
          cluster: clusterOut(z).extend({
            isHub: z.boolean(),
            cloud: z.string().optional(),
            vendor: z.string().optional(),
            region: z.string().optional(),
            openshiftVersion: z.string().optional(),
            kubernetesVersion: z.string().optional(),
            labels: z.record(z.string()),
          }),
          conditions: z.array(
            z.object({
              type: z.string(),
              status: z.string(),
              reason: z.string().optional(),
              message: z.string().optional(),
            }),
          ),
          nodes: z.array(
            z.object({
              name: z.string(),
              roles: z.array(z.string()),
              ready: z.boolean(),
            }),
          ),
          policies: z.array(
            z.object({
              name: z.string(),
              namespace: z.string(),
              compliance: z.string(),
            }),
          ),
          applications: capped(z, applicationOut(z)),
          links: z.array(z.object({ title: z.string(), url: z.string() })),
          hubCanSync: z
            .boolean()
            .describe(
              "Whether the hub can carry a sync to this cluster's applications now",
            ),
        }),
    },
    action: async ({ input }) => {
      const d = service.clusterDetails(input.hub, input.cluster);
      const c = d.cluster;
      return {
        output: {
          cluster: {
            hub: input.hub,
            name: c.name,
            group: c.group,
            status: c.status,
            ...(c.statusReason ? { statusReason: c.statusReason } : {}),
            isHub: c.isHub,
            cloud: c.cloud,
            vendor: c.vendor,
            region: c.region,
            openshiftVersion: c.openshiftVersion,
            kubernetesVersion: c.kubernetesVersion,
            labels: c.labels,
          },
          conditions: d.conditions.map(k => ({
            type: k.type,
            status: k.status,
            reason: k.reason,
            message: k.message,
          })),
          nodes: d.nodes.map(n => ({
            name: n.name,
            roles: n.roles,
            ready: n.ready,
          })),
          policies: d.policies.map(p => ({
            name: p.name,
            namespace: p.namespace,
            compliance: p.compliance,
          })),
          applications: cap(
            d.applications.map(a => application(a, input.hub, c.group)),
          ),
          links: d.links.map(l => ({ title: l.title, url: l.url })),
          hubCanSync: !!d.hubActions,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'find-application-placements',
    title: 'Where an Argo CD application runs',
    description: `Finds every managed cluster an Argo CD application (by name) runs on, across all hubs or one, with its cluster group, sync, health and deployed revision: which clusters run which commit, and which lag behind.

## When to use
To answer "where does hello-world run?", "is app X on the same revision everywhere?".`,
    attributes: readOnly,
    visibilityPermission: topologyReadPermission,
    schema: {
      input: z =>
        z.object({
          application: nameIn(z, 'application').describe(
            'The Argo CD application name',
          ),
          hub: hubIn(z).optional().describe('Only this hub'),
        }),
      output: z =>
        z.object({
          application: z.string(),
          placements: capped(z, applicationOut(z)),
          revisions: z
            .record(z.number())
            .describe('How many clusters run each deployed revision'),
        }),
    },
    action: async ({ input }) => {
      const hubs = input.hub ? [input.hub] : service.hubIds();
      if (input.hub) service.store(input.hub);
      const placements = [];
      const revisions: Record<string, number> = {};
      for (const hub of hubs) {
        const t = service.full(hub);
        for (const a of t.applications) {
          if (a.name !== input.application) continue;
          placements.push(
            application(a, hub, t.clusterByName.get(a.cluster)?.group),
          );
          const rev = a.revision ?? 'unknown';
          revisions[rev] = (revisions[rev] ?? 0) + 1;
        }
      }
      return {
        output: {
          application: input.application,
          placements: cap(placements),
          revisions,
        },
      };
    },
  });
}
