import { HUB, SimContext } from '../context';
import { typeKey, TYPE } from '../k8s/registry';
import {
  LabelSelector,
  matchesLabels,
  parseLabelSelector,
} from '../k8s/selectors';
import { KObject } from '../store/types';

/** What every Argo CD route shares: the instance's apps, their filters and their wire shape. */

export const APP = typeKey(TYPE.application);
export const DEFAULT_APP_NS = 'openshift-gitops';

export function instanceExists(ctx: SimContext, instance: string): boolean {
  return instance === HUB || !!ctx.store.bucket(instance, APP);
}

/** Items as the API server returns them: from the informer, without TypeMeta. */
export function strip(app: KObject): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = app;
  return rest;
}

export interface AppFilter {
  names?: string[];
  projects: string[];
  selector: LabelSelector;
  repo?: string;
  appNamespace?: string;
}

export function parseFilter(q: URLSearchParams): AppFilter {
  return {
    names: q.get('name') ? [q.get('name')!] : undefined,
    projects: [...q.getAll('projects'), ...q.getAll('project')].filter(Boolean),
    selector: parseLabelSelector(q.get('selector')),
    repo: q.get('repo') || undefined,
    appNamespace: q.get('appNamespace') || undefined,
  };
}

export function matchApp(app: KObject, f: AppFilter): boolean {
  if (f.names && !f.names.includes(app.metadata.name!)) return false;
  if (f.projects.length && !f.projects.includes(app.spec?.project))
    return false;
  if (f.appNamespace && app.metadata.namespace !== f.appNamespace) return false;
  if (f.repo) {
    // exact match on the first source's repoURL
    const first = app.spec?.source ?? app.spec?.sources?.[0];
    if (!first || first.repoURL !== f.repo) return false;
  }
  return matchesLabels(f.selector, app.metadata.labels);
}

export function appsOf(ctx: SimContext, instance: string): KObject[] {
  return ctx.store.list(instance, APP);
}

/** The sources of an app spec (one or several). */
export function specSources(spec: any): any[] {
  if (Array.isArray(spec?.sources)) return spec.sources;
  return spec?.source ? [spec.source] : [];
}
