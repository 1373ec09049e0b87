/** @jsxImportSource react */
import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { multicloudGitopsApiRef } from '../../api';
import { useLiveTopology } from '../../hooks/useLiveTopology';
import { isMulticloudGitopsAvailable } from '../../lib/isMulticloudGitopsAvailable';
import { FleetView } from '../FleetView';
import { MissingAnnotation } from '../MissingAnnotation';
import { ErrorWithRetry, TopologyState } from '../TopologyState';
import { FleetSkeleton } from '../FleetSkeleton';
import { PagedFleet } from '../PagedFleet';
import { describeError } from '../../lib/errors';
import { FleetTheme } from '../FleetTheme';

/**
 * Up to this size, on one hub, the tab draws the entity's whole topology (hub, groups and
 * every cluster as a graph, the full matrix) from one answer; past it, or across hubs, the
 * view is paged (PagedFleet): a graph of thousands of clusters helps nobody, and its answer
 * would be megabytes.
 */
export const WHOLE_VIEW_MAX_CLUSTERS = 300;
export const WHOLE_VIEW_MAX_APPLICATIONS = 6000;

function EntityFleet(props: { entityRef: string }) {
  const api = useApi(multicloudGitopsApiRef);
  const { entityRef } = props;
  // One cluster row tells the size of the entity's fleet and how many hubs it spans.
  const probe = useAsyncRetry(
    () => api.getFleet({ entityRef, limit: 1 }),
    [api, entityRef],
  );
  if (probe.error) {
    const { name, message } = describeError(probe.error);
    if (name === 'InputError') return <MissingAnnotation reason={message} />;
    return <ErrorWithRetry error={probe.error} retry={probe.retry} />;
  }
  if (!probe.value) return <FleetSkeleton />;
  const { hubs, clusters, matched } = probe.value;
  const whole =
    hubs.length === 1 &&
    clusters.total <= WHOLE_VIEW_MAX_CLUSTERS &&
    matched.applicationRollup.total <= WHOLE_VIEW_MAX_APPLICATIONS;
  return whole ? (
    <WholeEntityFleet entityRef={entityRef} />
  ) : (
    <PagedFleet entityRef={entityRef} actionsEntityRef={entityRef} />
  );
}

function WholeEntityFleet(props: { entityRef: string }) {
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
