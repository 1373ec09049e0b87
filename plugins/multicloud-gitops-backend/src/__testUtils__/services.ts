/*
 * Stand-ins for the services the router calls, recording what they were asked: a
 * permission policy, an auditor and the catalog. The policy allows reads (unless told to
 * deny them) and lets only an entity's owner sync its applications, as the catalog's
 * "is owner" rule would.
 */
import {
  AuditorService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';

export const OWNER = 'user:default/platform-alice';
/** Owns the hub cluster's catalog entity, none of the Components. */
export const CLUSTER_OWNER = 'user:default/cluster-carol';

const component = (name: string, annotations?: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: OWNER, type: 'service', lifecycle: 'production' },
});

/** Entities with each kind of annotation the plugin reads, right and wrong. */
export const entities: Entity[] = [
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'System',
    metadata: {
      name: 'multicloud-gitops',
      namespace: 'default',
      annotations: { 'validatedpatterns.io/pattern': 'multicloud-gitops' },
    },
    spec: { owner: OWNER },
  },
  component('hello-world', { 'argocd/app-name': 'hello-world' }),
  // The hub cluster's catalog entity, owned by another team than the Components.
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'hub-the-hub',
      namespace: 'default',
      annotations: {
        'validatedpatterns.io/hub': 'hub',
        'validatedpatterns.io/cluster': 'the-hub',
      },
    },
    spec: { owner: CLUSTER_OWNER, type: 'kubernetes-cluster' },
  },
  component('no-annotations'),
  component('bad-selector', { 'argocd/app-selector': 'app in (a' }),
  // Carries the Argo CD plugins' annotations too: instance-name is a comma list there.
  component('hub-apps', {
    'validatedpatterns.io/pattern': 'multicloud-gitops',
    'argocd/instance-name': 'other-argo, hub-gitops',
  }),
  component('bad-instance', {
    'validatedpatterns.io/pattern': 'multicloud-gitops',
    'argocd/instance-name': 'hub-gitops,Not Valid!',
  }),
];

const refOf = (e: Entity) =>
  `${e.kind.toLowerCase()}:${e.metadata.namespace}/${e.metadata.name}`;

/** The policy; `calls` lists `<permission> <user>` per decision asked for. */
export function permissionPolicy() {
  const policy = { denyReads: false, calls: [] as string[] };
  const decide = (r: any, credentials: any) => {
    const user = credentials?.principal?.userEntityRef;
    policy.calls.push(`${r.permission.name} ${user}`);
    if (r.permission.name === 'multicloud-gitops.topology.read') {
      return {
        result: policy.denyReads ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      };
    }
    const entity = entities.find(e => refOf(e) === r.resourceRef);
    const owner = entity?.spec?.owner === user;
    return { result: owner ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
  };
  const service = {
    authorize: async (reqs: any[], { credentials }: any) =>
      reqs.map(r => decide(r, credentials)),
    authorizeConditional: async (reqs: any[], { credentials }: any) =>
      reqs.map(r => decide(r, credentials)),
  } as unknown as PermissionsService;
  return Object.assign(policy, { service });
}

/** The auditor; each event ends as `success` or `fail`. */
export function recordingAuditor() {
  const events: { eventId: string; meta?: unknown; outcome: string }[] = [];
  const service: AuditorService = {
    async createEvent(options) {
      const event = { ...options, outcome: 'pending' };
      events.push(event);
      return {
        async success(done?: { meta?: object }) {
          event.outcome = 'success';
          if (done?.meta)
            event.meta = { ...(event.meta as object), ...done.meta };
        },
        async fail() {
          event.outcome = 'fail';
        },
      };
    },
  };
  return { service, events };
}

/** The catalog with {@link entities}; `lookups` lists `<entityRef> <user>` per lookup. */
export function countingCatalog() {
  const lookups: string[] = [];
  const service = catalogServiceMock({ entities });
  const getEntityByRef = service.getEntityByRef.bind(service);
  service.getEntityByRef = (async (ref: any, options: any) => {
    lookups.push(`${ref} ${options?.credentials?.principal?.userEntityRef}`);
    return getEntityByRef(ref, options);
  }) as CatalogService['getEntityByRef'];
  return { service: service as CatalogService, lookups };
}
