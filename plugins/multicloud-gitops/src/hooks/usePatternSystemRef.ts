import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import {
  HUB_ANNOTATION,
  PATTERN_ANNOTATION,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/**
 * The catalog System that stands for the pattern on this hub: Sync and Refresh on the fleet
 * page are checked against it (`multicloud-gitops.application.sync` on that entity, e.g. its
 * owners), as on the System's own Fleet tab. With several, the one naming this hub wins.
 */
export function usePatternSystemRef(
  hub: string | undefined,
  pattern: string | undefined,
) {
  const catalogApi = useApi(catalogApiRef);
  const { value } = useAsync(async () => {
    if (!hub || !pattern) return undefined;
    const { items } = await catalogApi.getEntities({
      filter: {
        kind: 'System',
        [`metadata.annotations.${PATTERN_ANNOTATION}`]: pattern,
      },
      fields: [
        'kind',
        'metadata.namespace',
        'metadata.name',
        'metadata.annotations',
      ],
    });
    const onHub = items.filter(
      e => e.metadata.annotations?.[HUB_ANNOTATION] === hub,
    );
    const candidates = onHub.length
      ? onHub
      : items.filter(e => !e.metadata.annotations?.[HUB_ANNOTATION]);
    return candidates.length === 1
      ? stringifyEntityRef(candidates[0])
      : undefined;
  }, [catalogApi, hub, pattern]);
  return value;
}
