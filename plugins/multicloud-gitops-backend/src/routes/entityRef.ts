/*
 * The entity a request names: its reference as sent, checked, and the entity as the
 * catalog shows it to the caller.
 */
import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { OBJECT_NAME } from '../names';

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
