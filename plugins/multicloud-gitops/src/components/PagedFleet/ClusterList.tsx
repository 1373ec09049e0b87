/** @jsxImportSource react */
import {
  forwardRef,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
} from 'react';
import {
  FixedSizeList,
  ListChildComponentProps,
  ListOnItemsRenderedProps,
} from 'react-window';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { FleetCluster } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  blocksFor,
  FleetWindows,
  useWindowsValue,
} from '../../hooks/useFleetWindows';
import {
  CLUSTER_STATUS,
  GLYPH_16,
  StatusGlyph,
  styleOf,
  ToneClasses,
  useToneClasses,
} from '../StatusLabel';

const ROW_HEIGHT = 44;
const MAX_HEIGHT = 572;
const COLUMNS = '2fr 0.8fr 1.1fr 1.2fr 1.6fr 0.8fr 2.6fr 1.1fr';

const useStyles = makeStyles(theme => ({
  row: {
    display: 'grid',
    gridTemplateColumns: COLUMNS,
    alignItems: 'center',
    gap: theme.spacing(1),
    padding: theme.spacing(0, 1),
    boxSizing: 'border-box',
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontSize: '0.875rem',
    '& > *': {
      overflow: 'hidden',
      textOverflow: 'ellipsis',
      whiteSpace: 'nowrap',
    },
  },
  header: {
    fontWeight: 700,
    height: ROW_HEIGHT,
    borderBottom: `2px solid ${theme.palette.divider}`,
  },
  name: {
    border: 'none',
    background: 'none',
    padding: 0,
    font: 'inherit',
    fontWeight: 500,
    color: theme.palette.link ?? theme.palette.primary.main,
    cursor: 'pointer',
    textAlign: 'left',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  status: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  icon: GLYPH_16,
  placeholder: { color: theme.palette.text.disabled },
}));

type Classes = ReturnType<typeof useStyles>;

/** The same object while the list scrolls and its blocks arrive; each row follows its own cluster. */
interface RowData {
  windows: Pick<FleetWindows, 'clusterAt' | 'subscribe'>;
  classes: Classes;
  tones: ToneClasses;
  onOpen(c: FleetCluster): void;
}

/** "20 apps · 2 out of sync · 1 degraded": the counts a reader scans a column for. */
function appsText(c: FleetCluster) {
  const r = c.applicationRollup;
  if (!r.total) return 'No applications';
  const parts = [`${r.total} apps`];
  if (r.sync.OutOfSync) parts.push(`${r.sync.OutOfSync} out of sync`);
  if (r.health.Degraded) parts.push(`${r.health.Degraded} degraded`);
  if (parts.length === 1 && r.problems) parts.push(`${r.problems} not healthy`);
  return parts.join(' · ');
}

const Row = memo(function RowInner(props: ListChildComponentProps<RowData>) {
  const { windows, classes, tones, onOpen } = props.data;
  const c = useWindowsValue(windows.subscribe, () =>
    windows.clusterAt(props.index),
  );
  if (!c) {
    return (
      <div
        style={props.style}
        className={`${classes.row} ${classes.placeholder}`}
        role="row"
        aria-rowindex={props.index + 2}
        aria-busy
      >
        <span role="cell">Loading…</span>
      </div>
    );
  }
  const status = styleOf(CLUSTER_STATUS, c.status);
  const where = [c.cloud, c.region].filter(Boolean).join(' · ') || '—';
  const apps = appsText(c);
  const problems = c.applicationRollup.problems;
  return (
    <div
      style={props.style}
      className={classes.row}
      role="row"
      aria-rowindex={props.index + 2}
      data-testid={`cluster-row-${c.name}`}
    >
      <span role="cell">
        <button
          type="button"
          className={classes.name}
          onClick={() => onOpen(c)}
          aria-label={`Open details of cluster ${c.name} on hub ${c.hub}`}
          title={c.name}
        >
          {c.name}
        </button>
      </span>
      <span role="cell">{c.hub}</span>
      <span role="cell" title={c.group}>
        {c.group}
      </span>
      <span role="cell" title={c.statusReason} className={classes.status}>
        <StatusGlyph status={status} tones={tones} className={classes.icon} />
        {status.text}
      </span>
      <span role="cell" title={where}>
        {where}
      </span>
      <span role="cell">{c.openshiftVersion ?? '—'}</span>
      <span role="cell" title={apps} className={classes.status}>
        {problems > 0 && (
          <StatusGlyph
            status={{ ...status, tone: 'warning' }}
            tones={tones}
            className={classes.icon}
          />
        )}
        {apps}
      </span>
      <span role="cell">
        {c.policies.nonCompliant
          ? `${c.policies.nonCompliant} non-compliant`
          : `${c.policies.compliant} compliant`}
      </span>
    </div>
  );
});

/** The scrolling element of the list, as the table's row group. */
const RowGroup = forwardRef<HTMLDivElement, object>((props, ref) => (
  <div {...props} ref={ref} role="rowgroup" />
));

export interface ClusterListProps {
  windows: FleetWindows;
  total: number;
  onOpen(c: FleetCluster): void;
  /** Identifies the filters and sort: a change scrolls back to the top. */
  resetKey: string;
}

/**
 * The matched clusters as rows, virtualised: only the rows on screen are drawn, and only
 * the pages they fall in are asked of the backend.
 */
export function ClusterList(props: ClusterListProps) {
  const classes = useStyles();
  const tones = useToneClasses();
  const { windows, total, onOpen, resetKey } = props;
  const listRef = useRef<FixedSizeList>(null);
  useEffect(() => listRef.current?.scrollTo(0), [resetKey]);
  const { clusterAt, subscribe, want } = windows;
  const data: RowData = useMemo(
    () => ({ windows: { clusterAt, subscribe }, classes, tones, onOpen }),
    [clusterAt, subscribe, classes, tones, onOpen],
  );
  const onItemsRendered = useCallback(
    (r: ListOnItemsRenderedProps) =>
      want(blocksFor(r.overscanStartIndex, r.overscanStopIndex)),
    [want],
  );
  if (total === 0) {
    return (
      <Typography color="textSecondary">
        No cluster matches the filters.
      </Typography>
    );
  }
  return (
    <div role="table" aria-label="Clusters" aria-rowcount={total + 1}>
      <div role="rowgroup">
        <div className={`${classes.row} ${classes.header}`} role="row">
          {[
            'Cluster',
            'Hub',
            'Group',
            'Status',
            'Cloud · region',
            'Version',
            'Applications',
            'Policies',
          ].map(h => (
            <span key={h} role="columnheader">
              {h}
            </span>
          ))}
        </div>
      </div>
      <FixedSizeList
        ref={listRef}
        height={Math.min(total * ROW_HEIGHT, MAX_HEIGHT)}
        width="100%"
        itemCount={total}
        itemSize={ROW_HEIGHT}
        itemData={data}
        overscanCount={10}
        onItemsRendered={onItemsRendered}
        outerElementType={RowGroup}
      >
        {Row}
      </FixedSizeList>
    </div>
  );
}
