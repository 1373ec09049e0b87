/** @jsxImportSource react */
import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { multicloudGitopsApiRef } from '../../api';
import { useLiveTopology } from '../../hooks/useLiveTopology';
import { isMulticloudGitopsAvailable } from '../../lib/isMulticloudGitopsAvailable';
import { FleetView } from '../FleetView';
import { MissingAnnotation } from '../MissingAnnotation';
import { TopologyState } from '../TopologyState';
import { FleetTheme } from '../FleetTheme';

function EntityFleet(props: { entityRef: string }) {
  const api = useApi(multicloudGitopsApiRef);
  const { entityRef } = props;
  const load = useCallback(
    (signal: AbortSignal) => api.getEntityTopology(entityRef, { signal }),
    [api, entityRef],
  );
  const live = useLiveTopology(load, entityRef);
  return (
    <TopologyState live={live}>
      {topology => (
        <FleetView
          topology={topology}
          streamState={live.streamState}
          refreshError={live.refreshError}
          entityRef={entityRef}
        />
      )}
    </TopologyState>
  );
}

/**
 * The entity tab: where the entity's pattern or applications run across the fleet, live.
 * @public
 */
export function EntityMulticloudGitopsContent() {
  const { entity } = useEntity();
  return (
    <FleetTheme>
      {isMulticloudGitopsAvailable(entity) ? (
        <EntityFleet entityRef={stringifyEntityRef(entity)} />
      ) : (
        <MissingAnnotation />
      )}
    </FleetTheme>
  );
}
