/** @jsxImportSource react */
import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  FLEET_SORTS,
  FleetCluster,
  FleetSort,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FleetRequest } from '../../api';
import { useCatalogClusters } from '../../hooks/useCatalogClusters';
import { useFleetSearchParams } from '../../hooks/useFleetSearchParams';
import { useFleetWindows } from '../../hooks/useFleetWindows';
import { usePatternSystemRef } from '../../hooks/usePatternSystemRef';
import { describeError } from '../../lib/errors';
import { ClusterDrawer } from '../ClusterDrawer';
import { FilterBar } from '../FilterBar';
import { FleetSkeleton } from '../FleetSkeleton';
import { FleetStatusLine, FleetViewTabs } from '../FleetView';
import { MissingAnnotation } from '../MissingAnnotation';
import { SourceBanners } from '../SourceBanners';
import { ErrorWithRetry } from '../TopologyState';
import { ClusterList } from './ClusterList';
import { HubOverview } from './HubOverview';
import { PagedMatrix } from './PagedMatrix';
import { formatCount } from '../../lib/format';

const SORT_TEXT: Record<FleetSort, string> = {
  topology: 'Hub and group',
  name: 'Name',
  status: 'Cluster status, worst first',
  problems: 'Most problems first',
};

/** URL parameters of the paged view besides the shared filters (see useFleetSearchParams). */
const PARAMS = { hub: 'hub', sort: 'sort', clusterHub: 'clusterHub' } as const;

const n = formatCount;

export interface PagedFleetProps {
  /** An entity's fleet (its annotations narrow it); otherwise every configured hub. */
  entityRef?: string;
  /**
   * Enables Sync/Refresh in the drawer, checked against this entity. Without it, each
   * hub's pattern System (found in the catalog) is used, as on the fleet page.
   */
  actionsEntityRef?: string;
}

/**
 * The fleet across hubs, for fleets of any size: the hubs' groups as counts, then the
 * clusters (or the application matrix) page by page as they scroll into view. Filters,
 * sort and paging run on the backend; the filters, the sort, the view and the open
 * cluster live in the URL, so a pasted link opens the same view.
 */
export function PagedFleet(props: PagedFleetProps) {
  const { entityRef } = props;
  const { filters, setFilters, view, setView, cluster } =
    useFleetSearchParams();
  const [params, setParams] = useSearchParams();
  const hubParam = params.getAll(PARAMS.hub).join(',');
  const sortParam = params.get(PARAMS.sort);
  const sort: FleetSort = FLEET_SORTS.includes(sortParam as FleetSort)
    ? (sortParam as FleetSort)
    : 'topology';

  const request: FleetRequest = useMemo(
    () => ({
      entityRef,
      hubs: hubParam ? hubParam.split(',').filter(Boolean) : undefined,
      groups: filters.groups,
      statuses: filters.statuses,
      syncs: filters.syncs,
      healths: filters.healths,
      text: filters.text.trim() || undefined,
      sort,
    }),
    [entityRef, hubParam, filters, sort],
  );
  const key = JSON.stringify(request);
  const windows = useFleetWindows(request, key, {
    cluster: 0,
    names: view === 'matrix' ? 0 : -1,
  });
  const { summary } = windows;

  const [focusApp, setFocusApp] = useState<string>();
  const clusterHub =
    params.get(PARAMS.clusterHub) ??
    (request.hubs?.length === 1 ? request.hubs[0] : undefined) ??
    summary?.hubs[0]?.hub.id;
  const onOpen = useCallback(
    (c: FleetCluster, app?: string) => {
      setFocusApp(app);
      setParams(
        prev => {
          const p = new URLSearchParams(prev);
          p.set('cluster', c.name);
          p.set(PARAMS.clusterHub, c.hub);
          return p;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const onClose = useCallback(
    () =>
      setParams(
        prev => {
          const p = new URLSearchParams(prev);
          p.delete('cluster');
          p.delete(PARAMS.clusterHub);
          return p;
        },
        { replace: true },
      ),
    [setParams],
  );
  const setSort = (next: FleetSort) =>
    setParams(
      prev => {
        const p = new URLSearchParams(prev);
        if (next === 'topology') p.delete(PARAMS.sort);
        else p.set(PARAMS.sort, next);
        return p;
      },
      { replace: true },
    );
  const toggleGroup = useCallback(
    (group: string) =>
      setFilters({
        ...filters,
        groups: filters.groups.includes(group)
          ? filters.groups.filter(g => g !== group)
          : [...filters.groups, group],
      }),
    [filters, setFilters],
  );

  const drawerHub = summary?.hubs.find(h => h.hub.id === clusterHub);
  const patternSystem = usePatternSystemRef(
    props.actionsEntityRef ? undefined : drawerHub?.hub.id,
    drawerHub?.pattern,
  );
  // Only an open drawer links its cluster to the catalog: one query for that hub then.
  const catalogClusters = useCatalogClusters(cluster ? clusterHub : undefined);

  if (windows.error) {
    const { name, message } = describeError(windows.error);
    if (name === 'InputError' && entityRef)
      return <MissingAnnotation reason={message} />;
    return <ErrorWithRetry error={windows.error} retry={windows.retry} />;
  }
  if (!summary) return <FleetSkeleton />;
  if (!summary.hubs.length) {
    return (
      <EmptyState
        missing="data"
        title="No hub is configured"
        description="Add a hub under multicloudGitops.hubs in app-config.yaml; see the plugin README."
      />
    );
  }

  const groups = [
    ...new Set(summary.hubs.flatMap(h => h.groups.map(g => g.name))),
  ];
  const allClusters = summary.hubs.reduce(
    (s, h) => s + h.clusterRollup.total,
    0,
  );
  const allApps = summary.hubs.reduce(
    (s, h) => s + h.applicationRollup.total,
    0,
  );
  const oldest = summary.hubs
    .map(h => h.generatedAt)
    .sort()
    .at(0);
  const text =
    `Showing ${n(summary.clusters.total)} of ${n(allClusters)} clusters and ` +
    `${n(summary.matched.applicationRollup.total)} of ${n(
      allApps,
    )} applications`;

  return (
    <Box>
      {summary.hubs.map(h =>
        h.sources.some(s => s.state !== 'ok') ? (
          <Box key={h.hub.id}>
            {summary.hubs.length > 1 && (
              <Typography variant="overline">{h.hub.title}</Typography>
            )}
            <SourceBanners sources={h.sources} />
          </Box>
        ) : null,
      )}
      <FleetStatusLine
        streamState={windows.streamState}
        generatedAt={oldest ?? new Date().toISOString()}
        refreshError={windows.refreshError}
      />
      <HubOverview
        hubs={summary.hubs}
        selectedGroups={filters.groups}
        onToggleGroup={toggleGroup}
      />
      <FilterBar
        groups={groups}
        filters={filters}
        onChange={setFilters}
        summary={text}
      />
      <Box
        display="flex"
        alignItems="flex-end"
        justifyContent="space-between"
        flexWrap="wrap"
      >
        <FleetViewTabs view={view} onChange={setView} first="Clusters" />
        <TextField
          select
          size="small"
          id="mcg-fleet-sort"
          label="Sort clusters by"
          value={sort}
          onChange={e => setSort(e.target.value as FleetSort)}
          style={{ minWidth: 220 }}
        >
          {FLEET_SORTS.map(s => (
            <MenuItem key={s} value={s}>
              {SORT_TEXT[s]}
            </MenuItem>
          ))}
        </TextField>
      </Box>
      <Box
        id="mcg-panel"
        role="tabpanel"
        aria-labelledby={
          view === 'matrix' ? 'mcg-tab-matrix' : 'mcg-tab-topology'
        }
        pt={2}
      >
        {view === 'matrix' ? (
          <PagedMatrix
            windows={windows}
            clusters={summary.clusters.total}
            names={summary.applicationNames.total}
            onOpen={onOpen}
            resetKey={key}
          />
        ) : (
          <ClusterList
            windows={windows}
            total={summary.clusters.total}
            onOpen={onOpen}
            resetKey={key}
          />
        )}
      </Box>
      <ClusterDrawer
        hub={clusterHub ?? ''}
        cluster={clusterHub ? cluster : undefined}
        version={drawerHub?.version}
        entityRef={props.actionsEntityRef ?? patternSystem}
        focusApplication={focusApp}
        catalogClusters={catalogClusters}
        onClose={onClose}
      />
    </Box>
  );
}
