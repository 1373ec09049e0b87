/** @jsxImportSource react */
import {
  useCallback,
  useDeferredValue,
  useEffect,
  useMemo,
  useState,
} from 'react';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import { TopologyResponse } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ChangeStreamState } from '../../api';
import {
  applyFilters,
  indexTopology,
  orderedGroupNames,
} from '../../lib/filters';
import { formatAge } from '../../lib/time';
import { useCatalogClusters } from '../../hooks/useCatalogClusters';
import {
  FleetView as FleetViewName,
  useFleetSearchParams,
} from '../../hooks/useFleetSearchParams';
import { describeError } from '../../lib/errors';
import { ApplicationMatrix } from '../ApplicationMatrix';
import { ClusterDrawer } from '../ClusterDrawer';
import { FilterBar } from '../FilterBar';
import { SourceBanners } from '../SourceBanners';
import { TopologyView } from '../TopologyView';
import { StatusText } from '../StatusLabel';

/**
 * React 18's useDeferredValue keeps typing responsive while a big fleet re-renders; on
 * React 17 (still allowed by our peer range) the export is missing and filtering simply
 * happens synchronously.
 */
const useDeferred: <T>(value: T) => T =
  typeof useDeferredValue === 'function' ? useDeferredValue : v => v;

const STREAM_TEXT: Record<
  ChangeStreamState,
  { tone: 'ok' | 'pending' | 'warning'; text: string }
> = {
  live: { tone: 'ok', text: 'Live' },
  connecting: { tone: 'pending', text: 'Connecting to live updates' },
  polling: {
    tone: 'warning',
    text: 'Live updates unavailable, refreshing every 30 s',
  },
};

/**
 * "Data from 12 s ago", kept ticking on its own so a quiet fleet (no pushes, no
 * re-render) does not claim its data is fresher than it is. Isolated so the tick
 * re-renders one line, not the fleet.
 */
function DataAge(props: { generatedAt: string; version?: number }) {
  const [, setNow] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(t);
  }, []);
  return (
    <Typography variant="body2" color="textSecondary">
      Data from {formatAge(props.generatedAt)}
      {props.version === undefined ? '' : ` (version ${props.version})`}
    </Typography>
  );
}

/** Whether the view is live, how old its data is, and a refresh that failed. */
export function FleetStatusLine(props: {
  streamState: ChangeStreamState;
  generatedAt: string;
  version?: number;
  refreshError?: Error;
}) {
  const stream = STREAM_TEXT[props.streamState];
  return (
    <Box
      display="flex"
      alignItems="baseline"
      flexWrap="wrap"
      style={{ gap: 16 }}
      mb={1}
    >
      <StatusText tone={stream.tone}>{stream.text}</StatusText>
      <DataAge generatedAt={props.generatedAt} version={props.version} />
      {props.refreshError && (
        <Typography variant="body2" color="error" role="alert">
          Last refresh failed ({describeError(props.refreshError).message});
          showing the previous answer.
        </Typography>
      )}
    </Box>
  );
}

/**
 * The two views of a fleet, as tabs controlling one panel (`mcg-panel`): the topology (the
 * cluster list in the paged view) and the application matrix.
 */
export function FleetViewTabs(props: {
  view: FleetViewName;
  onChange(view: FleetViewName): void;
  /** Label of the first tab. */
  first?: string;
}) {
  return (
    <Tabs
      value={props.view}
      onChange={(_, v) => props.onChange(v)}
      indicatorColor="primary"
      textColor="primary"
      aria-label="Fleet views"
    >
      <Tab
        value="topology"
        label={props.first ?? 'Topology'}
        id="mcg-tab-topology"
        aria-controls="mcg-panel"
      />
      <Tab
        value="matrix"
        label="Application matrix"
        id="mcg-tab-matrix"
        aria-controls="mcg-panel"
      />
    </Tabs>
  );
}

export interface FleetViewProps {
  topology: TopologyResponse;
  streamState: ChangeStreamState;
  /** A refresh that failed while an older answer is still on screen. */
  refreshError?: Error;
  /** Enables Sync/Refresh (permission-checked against this entity). */
  entityRef?: string;
}

/**
 * The fleet of one topology answer: source banners, filters, the topology and matrix views
 * and the cluster drawer. Everything the user chooses lives in the URL.
 */
export function FleetView(props: FleetViewProps) {
  const { topology, streamState, refreshError, entityRef } = props;
  const { filters, setFilters, view, setView, cluster, setCluster } =
    useFleetSearchParams();
  const [focusApp, setFocusApp] = useState<string>();

  // Index once per topology version; filter against the deferred filters so a keystroke
  // or a click never waits for a 2,000-cluster re-render.
  const index = useMemo(() => indexTopology(topology), [topology]);
  const deferredFilters = useDeferred(filters);
  const fleet = useMemo(
    () => applyFilters(topology, deferredFilters),
    [topology, deferredFilters],
  );
  const groups = useMemo(() => orderedGroupNames(topology), [topology]);
  // One catalog query for the whole view; the topology and the drawer share its answer.
  const catalogClusters = useCatalogClusters(topology.hub.id);

  const onSelectCluster = useCallback(
    (name: string, app?: string) => {
      setFocusApp(app);
      setCluster(name);
    },
    [setCluster],
  );
  const onClose = useCallback(() => setCluster(undefined), [setCluster]);

  const summary =
    `Showing ${fleet.clusters.length} of ${topology.clusters.length} clusters and ` +
    `${fleet.applications.length} of ${topology.applications.length} applications`;

  return (
    <Box>
      <SourceBanners sources={topology.sources} />
      <FleetStatusLine
        streamState={streamState}
        generatedAt={topology.generatedAt}
        version={topology.version}
        refreshError={refreshError}
      />
      <FilterBar
        groups={groups}
        filters={filters}
        onChange={setFilters}
        summary={summary}
      />
      <FleetViewTabs view={view} onChange={setView} />
      <Box
        id="mcg-panel"
        role="tabpanel"
        aria-labelledby={
          view === 'matrix' ? 'mcg-tab-matrix' : 'mcg-tab-topology'
        }
        pt={2}
      >
        {view === 'matrix' ? (
          <ApplicationMatrix
            topology={topology}
            fleet={fleet}
            onSelectCluster={onSelectCluster}
          />
        ) : (
          <TopologyView
            topology={topology}
            fleet={fleet}
            catalogClusters={catalogClusters}
            onSelectCluster={onSelectCluster}
          />
        )}
      </Box>
      <ClusterDrawer
        hub={topology.hub.id}
        cluster={cluster}
        summary={cluster ? index.clustersByName.get(cluster) : undefined}
        applications={cluster ? index.appsByCluster.get(cluster) : undefined}
        version={topology.version}
        entityRef={entityRef}
        focusApplication={focusApp}
        catalogClusters={catalogClusters}
        onClose={onClose}
      />
    </Box>
  );
}
