/*
 * Turns a catalog entity into the hub and scope of its view, from its annotations
 * (ARCHITECTURE.md §4). Every rejection says which annotation to add or fix.
 */
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ARGOCD_APP_NAME_ANNOTATION,
  ARGOCD_APP_SELECTOR_ANNOTATION,
  ARGOCD_INSTANCE_ANNOTATION,
  ARGOCD_PROJECT_ANNOTATION,
  CLUSTER_GROUP_ANNOTATION,
  DNS1123_LABEL,
  DNS1123_MAX,
  HUB_ANNOTATION,
  parseLabelSelector,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { OBJECT_NAME, OBJECT_NAME_MAX } from '../names';
import { HubPatterns, hubsForPattern } from './resolveHub';
import { Scope } from './scope';

/** A comma-separated list of names, as the Argo CD plugins read these annotations. */
function annotationNames(
  value: string,
  key: string,
  what: 'application' | 'instance',
): string[] {
  const names = value
    .split(',')
    .map(s => s.trim())
    .filter(Boolean);
  if (!names.length)
    throw new InputError(
      `Annotation ${key} is empty: give an Argo CD ${what} name`,
    );
  for (const n of names) {
    if (!OBJECT_NAME.test(n) || n.length > OBJECT_NAME_MAX) {
      throw new InputError(
        `Annotation ${key}: "${n.slice(
          0,
          100,
        )}" is not a valid Argo CD ${what} name (lower-case letters, digits, - and .)`,
      );
    }
  }
  return names;
}

export interface EntityScope {
  hub: string;
  scope: Scope;
}

/** The hubs of an entity's fleet-wide view: a pattern runs on one or several. */
export interface EntityFleetScope {
  hubs: string[];
  scope: Scope;
}

/** The hub and scope of an entity's view; a pattern on several hubs needs the hub named. */
export function entityScope(entity: Entity, hubs: HubPatterns): EntityScope {
  const { hubs: found, scope } = entityFleetScope(entity, hubs);
  if (found.length > 1) {
    const a = entity.metadata.annotations ?? {};
    throw new InputError(
      `Pattern ${a[
        PATTERN_ANNOTATION
      ]?.trim()} runs on several hubs (${found.join(
        ', ',
      )}): add ${HUB_ANNOTATION} to ${stringifyEntityRef(
        entity,
      )} to choose one`,
    );
  }
  return { hub: found[0], scope };
}

/**
 * The hubs and scope of an entity's fleet-wide view: with no hub annotation, a pattern
 * that runs on several hubs covers all of them.
 */
export function entityFleetScope(
  entity: Entity,
  hubs: HubPatterns,
): EntityFleetScope {
  const a = entity.metadata.annotations ?? {};
  const ref = stringifyEntityRef(entity);
  const pattern = a[PATTERN_ANNOTATION]?.trim();
  const hubAnn = a[HUB_ANNOTATION]?.trim();
  const group = a[CLUSTER_GROUP_ANNOTATION]?.trim();
  const appNames = a[ARGOCD_APP_NAME_ANNOTATION];
  const selectorText = a[ARGOCD_APP_SELECTOR_ANNOTATION];
  if (!pattern && !hubAnn && !appNames && !selectorText) {
    throw new InputError(
      `Entity ${ref} has no Multicloud GitOps annotation: add ${PATTERN_ANNOTATION}: <pattern name> (and ${ARGOCD_APP_NAME_ANNOTATION}: <app> to narrow it to one application)`,
    );
  }
  if (
    pattern !== undefined &&
    (!DNS1123_LABEL.test(pattern) || pattern.length > DNS1123_MAX)
  ) {
    throw new InputError(
      `Annotation ${PATTERN_ANNOTATION}: "${pattern.slice(
        0,
        100,
      )}" is not a pattern name (DNS-1123 label)`,
    );
  }
  if (group !== undefined && !OBJECT_NAME.test(group)) {
    throw new InputError(
      `Annotation ${CLUSTER_GROUP_ANNOTATION}: "${group.slice(
        0,
        100,
      )}" is not a cluster group name`,
    );
  }
  const scope: Scope = { entityRef: ref, group: group || undefined };
  if (appNames !== undefined)
    scope.applications = annotationNames(
      appNames,
      ARGOCD_APP_NAME_ANNOTATION,
      'application',
    );
  if (selectorText !== undefined) {
    try {
      scope.selector = {
        text: selectorText,
        requirements: parseLabelSelector(selectorText),
      };
    } catch (e) {
      throw new InputError(
        `Annotation ${ARGOCD_APP_SELECTOR_ANNOTATION}: ${(e as Error).message}`,
      );
    }
  }
  const project = a[ARGOCD_PROJECT_ANNOTATION]?.trim();
  if (project) {
    // An AppProject's name is an object name: anything else would match nothing, silently.
    if (!OBJECT_NAME.test(project) || project.length > OBJECT_NAME_MAX) {
      throw new InputError(
        `Annotation ${ARGOCD_PROJECT_ANNOTATION}: "${project.slice(
          0,
          100,
        )}" is not an Argo CD project name (lower-case letters, digits, - and .)`,
      );
    }
    scope.project = project;
  }
  // A comma list in the Argo CD plugins (getInstanceNames): an entity that carries both
  // plugins names every instance its applications live on.
  if (a[ARGOCD_INSTANCE_ANNOTATION] !== undefined)
    scope.instances = annotationNames(
      a[ARGOCD_INSTANCE_ANNOTATION],
      ARGOCD_INSTANCE_ANNOTATION,
      'instance',
    );

  const ids = hubs.hubIds();
  if (hubAnn) {
    if (!ids.includes(hubAnn)) {
      throw new InputError(
        `Annotation ${HUB_ANNOTATION}: no hub "${hubAnn}" is configured; configured hubs: ${
          ids.join(', ') || '(none)'
        }`,
      );
    }
    return { hubs: [hubAnn], scope };
  }
  if (pattern) {
    const running = hubsForPattern(hubs, pattern);
    if (running.length) return { hubs: running, scope };
  }
  if (ids.length === 1) {
    // One hub: it is the answer, unless it is known to run another pattern.
    const known = hubs.patternOf(ids[0]);
    if (pattern && known && known !== pattern) {
      throw new NotFoundError(
        `No hub runs pattern "${pattern}" (hub ${ids[0]} runs ${known}): fix ${PATTERN_ANNOTATION} on ${ref}`,
      );
    }
    return { hubs: [ids[0]], scope };
  }
  if (!ids.length)
    throw new NotFoundError('No hub is configured (multicloudGitops.hubs)');
  throw new InputError(
    `Several hubs are configured: add ${HUB_ANNOTATION} to ${ref} (one of ${ids.join(
      ', ',
    )})`,
  );
}
