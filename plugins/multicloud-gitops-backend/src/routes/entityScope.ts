/*
 * Turns a catalog entity into the hub and scope of its view, from its annotations
 * (ARCHITECTURE.md §4). Every rejection says which annotation to add or fix.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
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
import { Scope, TopologyService } from '../topology/TopologyService';

export function parseEntityRefParam(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new InputError(
      'entityRef is required, e.g. entityRef=system:default/multicloud-gitops',
    );
  }
  try {
    const ref = parseEntityRef(value);
    if (
      !OBJECT_NAME.test(ref.kind.toLowerCase()) &&
      !/^[A-Za-z]+$/.test(ref.kind)
    )
      throw new Error('bad kind');
    return stringifyEntityRef(ref);
  } catch {
    throw new InputError(
      `entityRef "${value.slice(
        0,
        200,
      )}" is not an entity reference: use kind:namespace/name, e.g. component:default/hello-world`,
    );
  }
}

export async function loadEntity(
  catalog: CatalogService,
  entityRef: string,
  credentials: BackstageCredentials,
): Promise<Entity> {
  const entity = await catalog.getEntityByRef(entityRef, { credentials });
  if (!entity)
    throw new NotFoundError(
      `No catalog entity ${entityRef} (or you may not see it)`,
    );
  return entity;
}

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

export function entityScope(
  entity: Entity,
  service: TopologyService,
): EntityScope {
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
  if (a[ARGOCD_PROJECT_ANNOTATION])
    scope.project = a[ARGOCD_PROJECT_ANNOTATION].trim();
  // A comma list in the Argo CD plugins (getInstanceNames): an entity that carries both
  // plugins names every instance its applications live on.
  if (a[ARGOCD_INSTANCE_ANNOTATION] !== undefined)
    scope.instances = annotationNames(
      a[ARGOCD_INSTANCE_ANNOTATION],
      ARGOCD_INSTANCE_ANNOTATION,
      'instance',
    );

  const hubs = service.hubIds();
  if (hubAnn) {
    if (!hubs.includes(hubAnn)) {
      throw new InputError(
        `Annotation ${HUB_ANNOTATION}: no hub "${hubAnn}" is configured; configured hubs: ${
          hubs.join(', ') || '(none)'
        }`,
      );
    }
    return { hub: hubAnn, scope };
  }
  if (pattern) {
    const running = service.hubsForPattern(pattern);
    if (running.length === 1) return { hub: running[0], scope };
    if (running.length > 1) {
      throw new InputError(
        `Pattern ${pattern} runs on several hubs (${running.join(
          ', ',
        )}): add ${HUB_ANNOTATION} to ${ref} to choose one`,
      );
    }
  }
  if (hubs.length === 1) {
    // One hub: it is the answer, unless it is known to run another pattern.
    const known = service.full(hubs[0]).hub.pattern;
    if (pattern && known && known !== pattern) {
      throw new NotFoundError(
        `No hub runs pattern "${pattern}" (hub ${hubs[0]} runs ${known}): fix ${PATTERN_ANNOTATION} on ${ref}`,
      );
    }
    return { hub: hubs[0], scope };
  }
  if (!hubs.length)
    throw new NotFoundError('No hub is configured (multicloudGitops.hubs)');
  throw new InputError(
    `Several hubs are configured: add ${HUB_ANNOTATION} to ${ref} (one of ${hubs.join(
      ', ',
    )})`,
  );
}
