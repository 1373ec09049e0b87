/** @jsxImportSource react */
// Over 400 lines on purpose: the cluster rows, the virtualised list and the group sections share
// the row geometry and the expand state, and only make sense together.
import {
  CSSProperties,
  forwardRef,
  HTMLAttributes,
  memo,
  useCallback,
  useMemo,
  useRef,
  useState,
} from 'react';
import { FixedSizeList, ListChildComponentProps } from 'react-window';
import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ChevronRightIcon from '@material-ui/icons/ChevronRight';
import LibraryBooksIcon from '@material-ui/icons/LibraryBooks';
import {
  ApplicationRollup,
  ApplicationSummary,
  CLUSTER_STATUSES,
  ClusterSummary,
  HEALTH_STATUSES,
  SYNC_STATUSES,
  TopologyResponse,
  UNGROUPED,
  rollupApplications,
  rollupClusters,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { useClusterEntityLink } from '../../hooks/useCatalogClusters';
import { FilteredFleet, orderedGroupNames } from '../../lib/filters';
import {
  ClusterStatusLabel,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabel';

/** Groups above this size render their clusters through a virtualised list. */
export const VIRTUALISE_ABOVE = 40;
/** With more visible clusters than this, groups start collapsed (except small ones). */
const COLLAPSE_FLEETS_ABOVE = 100;
const ROW_HEIGHT = 52;
const MAX_VISIBLE_ROWS = 10;

const useStyles = makeStyles(theme => ({
  hub: {
    padding: theme.spacing(2),
    marginBottom: theme.spacing(2),
    borderLeft: `4px solid ${theme.palette.primary.main}`,
  },
  hubLinks: { display: 'flex', gap: theme.spacing(2), flexWrap: 'wrap' },
  counts: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(1.5),
    rowGap: theme.spacing(0.5),
    alignItems: 'baseline',
    fontSize: '0.8125rem',
  },
  groups: {
    // A rail from the hub to its groups, so the hierarchy reads at a glance.
    marginLeft: theme.spacing(1.5),
    paddingLeft: theme.spacing(2),
    borderLeft: `2px solid ${theme.palette.divider}`,
  },
  group: { marginBottom: theme.spacing(1.5) },
  groupHeader: {
    width: '100%',
    justifyContent: 'flex-start',
    textTransform: 'none',
    padding: theme.spacing(1, 1.5),
    textAlign: 'left',
  },
  groupTitle: { fontWeight: 600, marginRight: theme.spacing(2) },
  row: {
    display: 'grid',
    gridTemplateColumns:
      '150px minmax(140px, 1.2fr) minmax(150px, 1fr) minmax(220px, 2.2fr) 150px',
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 1.5),
    borderTop: `1px solid ${theme.palette.divider}`,
    boxSizing: 'border-box',
    height: ROW_HEIGHT,
    fontSize: '0.875rem',
  },
  name: { display: 'flex', alignItems: 'center', minWidth: 0 },
  catalogLink: {
    display: 'inline-flex',
    alignItems: 'center',
    flexShrink: 0,
    fontSize: '0.75rem',
    marginLeft: theme.spacing(0.5),
  },
  catalogIcon: { fontSize: '1rem', marginRight: theme.spacing(0.25) },
  clusterButton: {
    textTransform: 'none',
    justifyContent: 'flex-start',
    fontWeight: 600,
    minWidth: 0,
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  muted: { color: theme.palette.text.secondary, fontSize: '0.8125rem' },
  ellipsis: {
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
}));

/** Non-zero sync and health counts of a roll-up, worst-looking first. */
export function ApplicationCounts(props: {
  rollup: ApplicationRollup;
  compact?: boolean;
}) {
  const classes = useStyles();
  const { rollup } = props;
  if (rollup.total === 0)
    return <span className={classes.muted}>No applications</span>;
  if (rollup.problems === 0) {
    return (
      <span className={classes.counts}>
        <span>{rollup.total} apps:</span>
        <SyncStatusLabel status="Synced" />
        <HealthStatusLabel status="Healthy" />
      </span>
    );
  }
  return (
    <span className={classes.counts}>
      <span>{rollup.total} apps:</span>
      {SYNC_STATUSES.filter(
        s => rollup.sync[s] > 0 && (s !== 'Synced' || !props.compact),
      ).map(s => (
        <SyncStatusLabel key={s} status={s} suffix={` ${rollup.sync[s]}`} />
      ))}
      {HEALTH_STATUSES.filter(
        h => rollup.health[h] > 0 && (h !== 'Healthy' || !props.compact),
      ).map(h => (
        <HealthStatusLabel key={h} status={h} suffix={` ${rollup.health[h]}`} />
      ))}
    </span>
  );
}

function policyText(p: ClusterSummary['policies']): string {
  if (p.nonCompliant > 0) {
    return `${p.nonCompliant} policy violation${
      p.nonCompliant === 1 ? '' : 's'
    }`;
  }
  if (p.pending > 0)
    return `${p.pending} ${p.pending === 1 ? 'policy' : 'policies'} pending`;
  if (p.compliant > 0) {
    return `${p.compliant} ${
      p.compliant === 1 ? 'policy' : 'policies'
    } compliant`;
  }
  return 'No policies';
}

/** The catalog page of a cluster, when the catalog has its entity. */
type CatalogLink = (cluster: string) => string | undefined;

interface ClusterRowProps {
  cluster: ClusterSummary;
  apps: ApplicationSummary[];
  catalogUrl?: string;
  onSelect(name: string): void;
  style?: CSSProperties;
}

const ClusterRow = memo(function ClusterRowInner(props: ClusterRowProps) {
  const classes = useStyles();
  const { cluster: c, apps } = props;
  const rollup = useMemo(() => rollupApplications(apps), [apps]);
  const platform = [c.cloud, c.region].filter(Boolean).join(' · ');
  const version = c.openshiftVersion
    ? `OpenShift ${c.openshiftVersion}`
    : 'Version unknown';
  return (
    <div
      className={classes.row}
      style={props.style}
      role="listitem"
      data-testid={`cluster-row-${c.name}`}
    >
      <span title={c.statusReason}>
        <ClusterStatusLabel status={c.status} />
      </span>
      <span className={classes.name}>
        <Button
          className={classes.clusterButton}
          size="small"
          color="primary"
          onClick={() => props.onSelect(c.name)}
          aria-label={`Open details of cluster ${c.name}`}
          aria-haspopup="dialog"
        >
          {c.name}
          {c.isHub ? ' (hub)' : ''}
        </Button>
        {props.catalogUrl && (
          <Link
            to={props.catalogUrl}
            className={classes.catalogLink}
            aria-label={`Catalog page of cluster ${c.name}`}
          >
            <LibraryBooksIcon className={classes.catalogIcon} aria-hidden />
            catalog
          </Link>
        )}
      </span>
      <span className={`${classes.muted} ${classes.ellipsis}`}>
        {platform || 'Platform unknown'}
        <br />
        {version}
      </span>
      <ApplicationCounts rollup={rollup} compact />
      <span className={`${classes.muted} ${classes.ellipsis}`}>
        {c.availableUpgrade && (
          <>
            Upgrade {c.availableUpgrade}
            <br />
          </>
        )}
        {policyText(c.policies)}
      </span>
    </div>
  );
});

interface GroupData {
  name: string;
  clusters: ClusterSummary[];
  apps: ApplicationSummary[];
}

function VirtualRow(
  props: ListChildComponentProps<{
    group: GroupData;
    fleet: FilteredFleet;
    catalogLink: CatalogLink;
    onSelect(n: string): void;
  }>,
) {
  const { group, fleet, catalogLink, onSelect } = props.data;
  const c = group.clusters[props.index];
  return (
    <ClusterRow
      style={props.style}
      cluster={c}
      apps={fleet.appsByCluster.get(c.name) ?? []}
      catalogUrl={catalogLink(c.name)}
      onSelect={onSelect}
    />
  );
}

/** The virtualised list's inner element, carrying list semantics for screen readers. */
const ListInner = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
  function ListInnerElement(props, ref) {
    return <div ref={ref} role="list" {...props} />;
  },
);

const GroupSection = memo(function GroupSectionInner(props: {
  group: GroupData;
  fleet: FilteredFleet;
  expanded: boolean;
  catalogLink: CatalogLink;
  onToggle(name: string): void;
  onSelect(name: string): void;
}) {
  const classes = useStyles();
  const { group, fleet, expanded } = props;
  const clusterRollup = useMemo(
    () => rollupClusters(group.clusters),
    [group.clusters],
  );
  const appRollup = useMemo(() => rollupApplications(group.apps), [group.apps]);
  const regionId = `mcg-group-${group.name.replace(/\W+/g, '-')}`;
  const listData = useMemo(
    () => ({
      group,
      fleet,
      catalogLink: props.catalogLink,
      onSelect: props.onSelect,
    }),
    [group, fleet, props.catalogLink, props.onSelect],
  );
  const n = group.clusters.length;
  return (
    <Paper
      variant="outlined"
      className={classes.group}
      data-testid={`group-${group.name}`}
    >
      <Button
        className={classes.groupHeader}
        onClick={() => props.onToggle(group.name)}
        aria-expanded={expanded}
        aria-controls={regionId}
        startIcon={expanded ? <ExpandMoreIcon /> : <ChevronRightIcon />}
      >
        <Box display="flex" flexWrap="wrap" alignItems="baseline" width="100%">
          <Typography component="span" className={classes.groupTitle}>
            {group.name === UNGROUPED
              ? 'Clusters without a group'
              : `Group ${group.name}`}
          </Typography>
          <span className={classes.counts}>
            <span>
              {n} cluster{n === 1 ? '' : 's'}:
            </span>
            {CLUSTER_STATUSES.filter(s => clusterRollup.status[s] > 0).map(
              s => (
                <ClusterStatusLabel
                  key={s}
                  status={s}
                  suffix={` ${clusterRollup.status[s]}`}
                />
              ),
            )}
            <span>·</span>
            <ApplicationCounts rollup={appRollup} compact />
          </span>
        </Box>
      </Button>
      {expanded && (
        <div id={regionId}>
          {n > VIRTUALISE_ABOVE ? (
            <FixedSizeList
              height={Math.min(n, MAX_VISIBLE_ROWS) * ROW_HEIGHT}
              width="100%"
              itemCount={n}
              itemSize={ROW_HEIGHT}
              itemData={listData}
              itemKey={(i, d) => d.group.clusters[i].name}
              overscanCount={5}
              innerElementType={ListInner}
            >
              {VirtualRow}
            </FixedSizeList>
          ) : (
            <div role="list" aria-label={`Clusters in ${group.name}`}>
              {group.clusters.map(c => (
                <ClusterRow
                  key={c.name}
                  cluster={c}
                  apps={fleet.appsByCluster.get(c.name) ?? []}
                  catalogUrl={props.catalogLink(c.name)}
                  onSelect={props.onSelect}
                />
              ))}
            </div>
          )}
        </div>
      )}
    </Paper>
  );
});

export interface TopologyViewProps {
  topology: TopologyResponse;
  fleet: FilteredFleet;
  /** The hub's clusters that have a catalog entity (see useCatalogClusters); they get a link. */
  catalogClusters?: ReadonlySet<string>;
  onSelectCluster(name: string): void;
}

/** Hub -> cluster groups -> clusters, each with status and application counts. */
export function TopologyView(props: TopologyViewProps) {
  const classes = useStyles();
  const { topology, fleet, catalogClusters, onSelectCluster } = props;
  const [toggled, setToggled] = useState<Record<string, boolean>>({});
  const entityLink = useClusterEntityLink();
  const hubId = topology.hub.id;
  const catalogLink = useCallback<CatalogLink>(
    name => (catalogClusters?.has(name) ? entityLink(hubId, name) : undefined),
    [catalogClusters, entityLink, hubId],
  );

  const groups: GroupData[] = useMemo(() => {
    const byGroup = new Map<string, GroupData>();
    for (const name of orderedGroupNames(topology)) {
      byGroup.set(name, { name, clusters: [], apps: [] });
    }
    for (const c of fleet.clusters) {
      let g = byGroup.get(c.group);
      if (!g) {
        g = { name: c.group, clusters: [], apps: [] };
        byGroup.set(c.group, g);
      }
      g.clusters.push(c);
      const apps = fleet.appsByCluster.get(c.name);
      if (apps) for (const a of apps) g.apps.push(a);
    }
    return [...byGroup.values()].filter(g => g.clusters.length > 0);
  }, [topology, fleet]);

  // Small fleets open fully; big ones open only small groups, so the first paint stays
  // cheap and the page is a readable summary rather than a wall of 2,000 rows.
  const defaults = useMemo(() => {
    const d: Record<string, boolean> = {};
    for (const g of groups) {
      d[g.name] =
        fleet.clusters.length <= COLLAPSE_FLEETS_ABOVE ||
        g.clusters.length <= 12;
    }
    return d;
  }, [groups, fleet.clusters.length]);
  const defaultsRef = useRef(defaults);
  defaultsRef.current = defaults;
  const onToggle = useCallback(
    (name: string) =>
      setToggled(t => ({
        ...t,
        [name]: !(t[name] ?? defaultsRef.current[name] ?? true),
      })),
    [],
  );

  const hub = topology.hub;
  const hubRollup = topology.clusterRollup;
  return (
    <Box>
      <Paper
        variant="outlined"
        className={classes.hub}
        aria-label={`Hub ${hub.title}`}
        component="section"
      >
        <Typography variant="h6" component="h3">
          Hub {hub.title}
          {hub.clusterName ? ` (${hub.clusterName})` : ''}
        </Typography>
        <Typography variant="body2" className={classes.muted}>
          Pattern {topology.pattern} · {hubRollup.total} clusters in{' '}
          {topology.groups.length} groups
          {topology.scope?.group
            ? ` · narrowed to group ${topology.scope.group}`
            : ''}
          {topology.scope?.applications?.length
            ? ` · applications ${topology.scope.applications.join(', ')}`
            : ''}
          {topology.scope?.selector
            ? ` · selector ${topology.scope.selector}`
            : ''}
        </Typography>
        <Box className={classes.hubLinks} mt={1}>
          {hub.consoleUrl && <Link to={hub.consoleUrl}>OpenShift console</Link>}
          {hub.acmConsoleUrl && <Link to={hub.acmConsoleUrl}>ACM console</Link>}
          {hub.argocdUrl && <Link to={hub.argocdUrl}>Argo CD</Link>}
        </Box>
      </Paper>
      <div className={classes.groups}>
        {groups.length === 0 ? (
          <Typography className={classes.muted}>
            No cluster matches the filters.
          </Typography>
        ) : (
          groups.map(g => (
            <GroupSection
              key={g.name}
              group={g}
              fleet={fleet}
              expanded={toggled[g.name] ?? defaults[g.name] ?? true}
              catalogLink={catalogLink}
              onToggle={onToggle}
              onSelect={onSelectCluster}
            />
          ))
        )}
      </div>
    </Box>
  );
}
