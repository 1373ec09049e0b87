/** @jsxImportSource react */
import {
  memo,
  useCallback,
  useDeferredValue,
  useMemo,
  useRef,
  useState,
} from 'react';
import { EmptyState } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  FLEET_SORTS,
  FleetCluster,
  FleetHubSummary,
  FleetResponse,
  FleetSort,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FleetRequest } from '../../api';
import { useCatalogClusters } from '../../hooks/useCatalogClusters';
import { useFleetSearchParams } from '../../hooks/useFleetSearchParams';
import { useFleetWindows } from '../../hooks/useFleetWindows';
import { usePatternSystemRef } from '../../hooks/usePatternSystemRef';
import { describeError } from '../../lib/errors';
import {
  FleetFilters,
  filtersFromSearchParams,
  writeFiltersToSearchParams,
} from '../../lib/filters';
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
import { inTransition } from '../../lib/transition';

const SORT_TEXT: Record<FleetSort, string> = {
  topology: 'Hub and group',
  name: 'Name',
  status: 'Cluster status, worst first',
  problems: 'Most problems first',
};

/** URL parameters of the paged view besides the shared filters (see useFleetSearchParams). */
const PARAMS = { hub: 'hub', sort: 'sort', clusterHub: 'clusterHub' } as const;

/**
 * The longest a filter or sort click waits for its first block before the page redraws
 * for it anyway (showing the rows it has until the block comes).
 */
const FILTER_REDRAW_WAIT_MS = 150;

const n = formatCount;

// Static classes, not Box: the page redraws on every filter, and each Box redraw
// recomputes its own style sheet.
const useStyles = makeStyles(theme => ({
  viewBar: {
    display: 'flex',
    alignItems: 'flex-end',
    justifyContent: 'space-between',
    flexWrap: 'wrap',
  },
  panel: { paddingTop: theme.spacing(2) },
}));

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
 * React 18's useDeferredValue; on React 17 (still allowed by our peer range) the export
 * is missing and the value is used at once.
 */
const useDeferred: <T>(value: T) => T =
  typeof useDeferredValue === 'function' ? useDeferredValue : v => v;

function sortOf(params: URLSearchParams): FleetSort {
  const sort = params.get(PARAMS.sort);
  return FLEET_SORTS.includes(sort as FleetSort)
    ? (sort as FleetSort)
    : 'topology';
}

/** The backend request for the URL's hubs, filters and sort. */
function requestOf(
  entityRef: string | undefined,
  hubParam: string,
  filters: FleetFilters,
  sort: FleetSort,
): FleetRequest {
  return {
    entityRef,
    hubs: hubParam ? hubParam.split(',').filter(Boolean) : undefined,
    groups: filters.groups,
    statuses: filters.statuses,
    syncs: filters.syncs,
    healths: filters.healths,
    text: filters.text.trim() || undefined,
    sort,
  };
}

/** What the page says of a summary: groups to filter by, counts, the oldest data. */
function headOf(summary: FleetResponse) {
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
  return { groups, oldest, now: new Date().toISOString(), text };
}

// The parts of the page redraw only when their own props change: a filter click or an
// answer changes a few of them, and each costs a measurable share of a frame.
const StatusLine = memo(FleetStatusLine);
const Filters = memo(FilterBar);
const ViewTabs = memo(FleetViewTabs);
const Drawer = memo(ClusterDrawer);

const Banners = memo(function SourceBannersOfHubs(props: {
  hubs: FleetHubSummary[];
}) {
  const { hubs } = props;
  return (
    <>
      {hubs.map(h =>
        h.sources.some(s => s.state !== 'ok') ? (
          <Box key={h.hub.id}>
            {hubs.length > 1 && (
              <Typography variant="overline">{h.hub.title}</Typography>
            )}
            <SourceBanners sources={h.sources} />
          </Box>
        ) : null,
      )}
    </>
  );
});

const SortPicker = memo(function SortMenu(props: {
  sort: FleetSort;
  onChange(sort: FleetSort): void;
}) {
  const { sort, onChange } = props;
  return (
    <TextField
      select
      size="small"
      id="mcg-fleet-sort"
      label="Sort clusters by"
      value={sort}
      onChange={e => onChange(e.target.value as FleetSort)}
      style={{ minWidth: 220 }}
    >
      {FLEET_SORTS.map(s => (
        <MenuItem key={s} value={s}>
          {SORT_TEXT[s]}
        </MenuItem>
      ))}
    </TextField>
  );
});

/**
 * The fleet across hubs, for fleets of any size: the hubs' groups as counts, then the
 * clusters (or the application matrix) page by page as they scroll into view. Filters,
 * sort and paging run on the backend; the filters, the sort, the view and the open
 * cluster live in the URL, so a pasted link opens the same view.
 */
export function PagedFleet(props: PagedFleetProps) {
  const { entityRef } = props;
  const classes = useStyles();
  const { filters, view, setView, cluster, params, setParams } =
    useFleetSearchParams();
  const hubParam = params.getAll(PARAMS.hub).join(',');
  const sort = sortOf(params);

  const request: FleetRequest = useMemo(
    () => requestOf(entityRef, hubParam, filters, sort),
    [entityRef, hubParam, filters, sort],
  );
  const key = JSON.stringify(request);
  const windows = useFleetWindows(request, key, {
    cluster: 0,
    names: view === 'matrix' ? 0 : -1,
  });
  const { summary, prefetch } = windows;

  // Filters and sort change the URL, and the page follows it once the new filters' first
  // block is here (or after FILTER_REDRAW_WAIT_MS): one redraw, from one fleet to the other.
  // Redrawn at the click, the page would draw twice, and where the browser and the backend
  // share a machine the first redraw takes the CPU the backend needs for the answer.
  const paramsRef = useRef(params);
  paramsRef.current = params;
  // A change not in the URL yet: the next click builds on it.
  const pending = useRef<{ params: URLSearchParams; seq: number }>();
  const changes = useRef(0);
  const change = useCallback(
    (update: (p: URLSearchParams) => URLSearchParams) => {
      const next = update(
        new URLSearchParams(pending.current?.params ?? paramsRef.current),
      );
      const nextRequest = requestOf(
        entityRef,
        next.getAll(PARAMS.hub).join(','),
        filtersFromSearchParams(next),
        sortOf(next),
      );
      const answered = prefetch(nextRequest, JSON.stringify(nextRequest));
      const seq = ++changes.current;
      pending.current = { params: next, seq };
      let applied = false;
      const apply = () => {
        // A later click carries this one's change with its own.
        if (applied || pending.current?.seq !== seq) return;
        applied = true;
        pending.current = undefined;
        inTransition(() => setParams(next, { replace: true }));
      };
      const timer = setTimeout(apply, FILTER_REDRAW_WAIT_MS);
      answered.then(() => {
        clearTimeout(timer);
        apply();
      });
    },
    [entityRef, prefetch, setParams],
  );
  // The bar says all its filters; only those it changed are applied, so a change of the
  // group buttons not in the URL yet stays.
  const barSeen = useRef(filters);
  const setFilters = useCallback(
    (next: FleetFilters) =>
      change(p => {
        const merged = filtersFromSearchParams(p);
        const seen = barSeen.current;
        for (const k of Object.keys(next) as (keyof FleetFilters)[])
          if (JSON.stringify(next[k]) !== JSON.stringify(seen[k]))
            (merged as Record<keyof FleetFilters, unknown>)[k] = next[k];
        return writeFiltersToSearchParams(merged, p);
      }),
    [change],
  );

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
  const setSort = useCallback(
    (next: FleetSort) =>
      change(p => {
        if (next === 'topology') p.delete(PARAMS.sort);
        else p.set(PARAMS.sort, next);
        return p;
      }),
    [change],
  );
  const toggleGroup = useCallback(
    (group: string) =>
      change(p => {
        const f = filtersFromSearchParams(p);
        return writeFiltersToSearchParams(
          {
            ...f,
            groups: f.groups.includes(group)
              ? f.groups.filter(g => g !== group)
              : [...f.groups, group],
          },
          p,
        );
      }),
    [change],
  );
  // The filter bar (four menus) catches up with a click right after it, while the
  // answer is on its way; the group buttons show the click at once.
  const barFilters = useDeferred(filters);
  barSeen.current = barFilters;

  const drawerHub = summary?.hubs.find(h => h.hub.id === clusterHub);
  const patternSystem = usePatternSystemRef(
    props.actionsEntityRef ? undefined : drawerHub?.hub.id,
    drawerHub?.pattern,
  );
  // Only an open drawer links its cluster to the catalog: one query for that hub then.
  const catalogClusters = useCatalogClusters(cluster ? clusterHub : undefined);

  const head = useMemo(() => summary && headOf(summary), [summary]);

  if (windows.error) {
    const { name, message } = describeError(windows.error);
    if (name === 'InputError' && entityRef)
      return <MissingAnnotation reason={message} />;
    return <ErrorWithRetry error={windows.error} retry={windows.retry} />;
  }
  if (!summary || !head) return <FleetSkeleton />;
  if (!summary.hubs.length) {
    return (
      <EmptyState
        missing="data"
        title="No hub is configured"
        description="Add a hub under multicloudGitops.hubs in app-config.yaml; see the plugin README."
      />
    );
  }

  return (
    <div>
      <Banners hubs={summary.hubs} />
      <StatusLine
        streamState={windows.streamState}
        generatedAt={head.oldest ?? head.now}
        refreshError={windows.refreshError}
      />
      <HubOverview
        hubs={summary.hubs}
        selectedGroups={filters.groups}
        onToggleGroup={toggleGroup}
      />
      <Filters
        groups={head.groups}
        filters={barFilters}
        onChange={setFilters}
        summary={head.text}
      />
      <div className={classes.viewBar}>
        <ViewTabs view={view} onChange={setView} first="Clusters" />
        <SortPicker sort={sort} onChange={setSort} />
      </div>
      <div
        id="mcg-panel"
        role="tabpanel"
        aria-labelledby={
          view === 'matrix' ? 'mcg-tab-matrix' : 'mcg-tab-topology'
        }
        className={classes.panel}
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
      </div>
      <Drawer
        hub={clusterHub ?? ''}
        cluster={clusterHub ? cluster : undefined}
        version={drawerHub?.version}
        entityRef={props.actionsEntityRef ?? patternSystem}
        focusApplication={focusApp}
        catalogClusters={catalogClusters}
        onClose={onClose}
      />
    </div>
  );
}
