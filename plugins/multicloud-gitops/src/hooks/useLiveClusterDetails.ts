import { useCallback } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { ClusterDetails } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { multicloudGitopsApiRef } from '../api';
import {
  LiveResource,
  LiveResourceOptions,
  useLiveResource,
} from './useLiveTopology';

/**
 * Details answers carry no store version, so every push event of the hub could be news.
 * A busy hub announces a change about every second; conditions, nodes and policies move
 * far slower, so one details request per 5 s at most keeps a cluster page current without
 * a request per event.
 */
export const DETAILS_MIN_GAP_MS = 5_000;

const DETAILS_OPTIONS: LiveResourceOptions<ClusterDetails> = {
  hubOf: d => d.hub.id,
  minGapMs: DETAILS_MIN_GAP_MS,
};

/** One cluster's details, reloaded on its hub's push events (see useLiveResource). */
export function useLiveClusterDetails(
  hub: string,
  cluster: string,
): LiveResource<ClusterDetails> {
  const api = useApi(multicloudGitopsApiRef);
  const load = useCallback(
    (signal: AbortSignal) => api.getClusterDetails(hub, cluster, { signal }),
    [api, hub, cluster],
  );
  return useLiveResource(load, `${hub}/${cluster}`, DETAILS_OPTIONS);
}
