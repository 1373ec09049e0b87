/*
 * What a view shows of a hub's topology: a cluster group, some applications (by name,
 * label selector, Argo CD project or instance), or everything. An application view shows
 * the clusters its applications run on.
 */
import {
  ApplicationDetails,
  LabelRequirement,
  matchesLabelSelector,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FullTopology } from './buildTopology';

export interface Scope {
  group?: string;
  applications?: string[];
  selector?: { text: string; requirements: LabelRequirement[] };
  project?: string;
  /** Argo CD instances (argocd/instance-name); applications found through Search have none. */
  instances?: string[];
  entityRef?: string;
}

/** What tells two scopes' views apart, as a string: the key of a cache of views. */
export function scopeKey(scope: Scope): string {
  return JSON.stringify([
    scope.group,
    scope.applications,
    scope.selector?.text,
    scope.project,
    scope.instances,
    scope.entityRef,
  ]);
}

/** What a scope shows of a hub's full topology. */
export interface Narrowed {
  clusters: FullTopology['clusters'];
  apps: ApplicationDetails[];
}

/** The clusters and applications a scope shows, from the hub's full topology. */
export function narrow(t: FullTopology, scope: Scope): Narrowed {
  let clusters = t.clusters;
  let apps = t.applications;
  if (scope.group) {
    clusters = clusters.filter(c => c.group === scope.group);
    const names = new Set(clusters.map(c => c.name));
    apps = apps.filter(a => names.has(a.cluster));
  }
  const narrowApps = Boolean(
    scope.applications?.length ||
      scope.selector ||
      scope.project ||
      scope.instances?.length,
  );
  if (scope.applications?.length) {
    const wanted = new Set(scope.applications);
    apps = apps.filter(a => wanted.has(a.name));
  }
  if (scope.selector) {
    const req = scope.selector.requirements;
    apps = apps.filter(a => matchesLabelSelector(a.labels, req));
  }
  if (scope.project) apps = apps.filter(a => a.project === scope.project);
  if (scope.instances?.length) {
    const wanted = new Set(scope.instances);
    apps = apps.filter(a => a.instance !== undefined && wanted.has(a.instance));
  }
  if (narrowApps) {
    // An application view shows the clusters the application runs on.
    const running = new Set(apps.map(a => a.cluster));
    clusters = clusters.filter(c => running.has(c.name));
  }
  return { clusters, apps };
}
