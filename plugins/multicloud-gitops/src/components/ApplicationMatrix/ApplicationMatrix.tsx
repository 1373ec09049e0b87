/** @jsxImportSource react */
import {
  KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  FixedSizeGrid,
  FixedSizeList,
  GridChildComponentProps,
  GridOnScrollProps,
  ListChildComponentProps,
} from 'react-window';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { makeStyles, Theme } from '@material-ui/core/styles';
import CheckCircleIcon from '@material-ui/icons/CheckCircle';
import SyncProblemIcon from '@material-ui/icons/SyncProblem';
import HelpOutlineIcon from '@material-ui/icons/HelpOutline';
import FavoriteIcon from '@material-ui/icons/Favorite';
import HourglassEmptyIcon from '@material-ui/icons/HourglassEmpty';
import ErrorIcon from '@material-ui/icons/Error';
import PauseCircleFilledIcon from '@material-ui/icons/PauseCircleFilled';
import RemoveCircleOutlineIcon from '@material-ui/icons/RemoveCircleOutline';
import {
  ApplicationSummary,
  ClusterSummary,
  HEALTH_STATUSES,
  HealthStatus,
  SYNC_STATUSES,
  SyncStatus,
  TopologyResponse,
  compareApplicationsWorstFirst,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FilteredFleet, orderedGroupNames } from '../../lib/filters';
import { useElementWidth } from '../../hooks/useElementWidth';
import {
  clusterStatusText,
  healthStatusText,
  syncStatusText,
} from '../StatusLabel';

const NAME_WIDTH = 220;
const CELL_WIDTH = 44;
const ROW_HEIGHT = 36;
const HEADER_HEIGHT = 180;
const BAND_HEIGHT = 22;
const MAX_BODY_HEIGHT = 560;
const SCROLLBAR = 16;

type Tone = 'ok' | 'warning' | 'error' | 'info' | 'neutral';

function toneColor(theme: Theme, tone: Tone): string {
  // Backstage themes add `palette.status`; fall back to its documented defaults.
  const status =
    (theme.palette as unknown as { status?: Record<string, string> }).status ??
    {};
  switch (tone) {
    case 'ok':
      return status.ok ?? '#3E8635';
    case 'warning':
      return status.warning ?? '#F0AB00';
    case 'error':
      return status.error ?? '#C9190B';
    case 'info':
      return status.running ?? theme.palette.info.main;
    default:
      return status.aborted ?? '#6A6E73';
  }
}

/**
 * Icons differ by shape per status (tick, warning arrows, question mark, heart, hourglass,
 * exclamation, pause, minus), so the matrix reads without colour vision; the text is in
 * each cell's accessible name and tooltip.
 */
const SYNC_ICONS: Record<
  SyncStatus,
  { Icon: typeof CheckCircleIcon; tone: Tone }
> = {
  Synced: { Icon: CheckCircleIcon, tone: 'ok' },
  OutOfSync: { Icon: SyncProblemIcon, tone: 'warning' },
  Unknown: { Icon: HelpOutlineIcon, tone: 'neutral' },
};
const HEALTH_ICONS: Record<
  HealthStatus,
  { Icon: typeof CheckCircleIcon; tone: Tone }
> = {
  Healthy: { Icon: FavoriteIcon, tone: 'ok' },
  Progressing: { Icon: HourglassEmptyIcon, tone: 'info' },
  Degraded: { Icon: ErrorIcon, tone: 'error' },
  Suspended: { Icon: PauseCircleFilledIcon, tone: 'neutral' },
  Missing: { Icon: RemoveCircleOutlineIcon, tone: 'warning' },
  Unknown: { Icon: HelpOutlineIcon, tone: 'neutral' },
};

const useStyles = makeStyles(theme => ({
  ok: { color: toneColor(theme, 'ok') },
  warning: { color: toneColor(theme, 'warning') },
  error: { color: toneColor(theme, 'error') },
  info: { color: toneColor(theme, 'info') },
  neutral: { color: toneColor(theme, 'neutral') },
  icon: { fontSize: 16 },
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1.5),
    alignItems: 'center',
    fontSize: '0.8125rem',
    marginBottom: theme.spacing(1),
  },
  legendItem: { display: 'inline-flex', alignItems: 'center', gap: 4 },
  cell: {
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    borderBottom: `1px solid ${theme.palette.divider}`,
  },
  groupStart: { borderLeft: `2px solid ${theme.palette.text.secondary}` },
  cellButton: {
    display: 'inline-flex',
    alignItems: 'center',
    gap: 1,
    padding: 2,
    border: 'none',
    background: 'none',
    cursor: 'pointer',
    borderRadius: 4,
    position: 'relative',
    '&:hover, &:focus-visible': { background: theme.palette.action.hover },
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
  more: {
    position: 'absolute',
    top: -4,
    right: -6,
    fontSize: 10,
    fontWeight: 700,
    color: theme.palette.text.secondary,
  },
  absent: { color: theme.palette.text.disabled, fontSize: 12 },
  rowHeader: {
    boxSizing: 'border-box',
    display: 'flex',
    alignItems: 'center',
    padding: theme.spacing(0, 1),
    borderBottom: `1px solid ${theme.palette.divider}`,
    fontSize: '0.875rem',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    whiteSpace: 'nowrap',
  },
  colHeader: {
    boxSizing: 'border-box',
    display: 'flex',
    flexDirection: 'column',
    alignItems: 'center',
    borderBottom: `2px solid ${theme.palette.divider}`,
  },
  band: {
    height: BAND_HEIGHT,
    width: '100%',
    boxSizing: 'border-box',
    fontSize: 11,
    fontWeight: 700,
    whiteSpace: 'nowrap',
    overflow: 'visible',
    paddingLeft: 2,
    lineHeight: `${BAND_HEIGHT}px`,
  },
  bandEven: { background: theme.palette.action.hover },
  bandOdd: { background: theme.palette.action.selected },
  colButton: {
    flex: 1,
    writingMode: 'vertical-rl',
    transform: 'rotate(180deg)',
    border: 'none',
    background: 'none',
    cursor: 'pointer',
    fontSize: 12,
    padding: 4,
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    color: theme.palette.text.primary,
    display: 'flex',
    alignItems: 'center',
    gap: 4,
    '&:focus-visible': { outline: `2px solid ${theme.palette.primary.main}` },
  },
}));

interface Column {
  cluster: ClusterSummary;
  groupIndex: number;
  firstOfGroup: boolean;
}

interface MatrixModel {
  columns: Column[];
  rows: string[];
  cells: Map<string, Map<string, ApplicationSummary[]>>;
}

/** Builds columns (clusters grouped by group), rows (application names) and cells in O(n). */
export function buildMatrix(
  topology: TopologyResponse,
  fleet: FilteredFleet,
): MatrixModel {
  const order = new Map(orderedGroupNames(topology).map((g, i) => [g, i]));
  const clusters = [...fleet.clusters].sort(
    (a, b) =>
      (order.get(a.group) ?? Number.MAX_SAFE_INTEGER) -
        (order.get(b.group) ?? Number.MAX_SAFE_INTEGER) ||
      a.group.localeCompare(b.group) ||
      a.name.localeCompare(b.name),
  );
  const columns: Column[] = [];
  let groupIndex = -1;
  let lastGroup: string | undefined;
  for (const c of clusters) {
    const first = c.group !== lastGroup;
    if (first) groupIndex++;
    lastGroup = c.group;
    columns.push({ cluster: c, groupIndex, firstOfGroup: first });
  }
  const cells = new Map<string, Map<string, ApplicationSummary[]>>();
  for (const a of fleet.applications) {
    let row = cells.get(a.name);
    if (!row) {
      row = new Map();
      cells.set(a.name, row);
    }
    const cell = row.get(a.cluster);
    if (cell) {
      cell.push(a);
      cell.sort(compareApplicationsWorstFirst);
    } else row.set(a.cluster, [a]);
  }
  const rows = [...cells.keys()].sort((a, b) => a.localeCompare(b));
  return { columns, rows, cells };
}

function hasCell(model: MatrixModel, row: number, col: number): boolean {
  const name = model.rows[row];
  const column = model.columns[col];
  return (
    !!name &&
    !!column &&
    !!model.cells.get(name)?.get(column.cluster.name)?.length
  );
}

function firstCell(model: MatrixModel): { row: number; col: number } {
  for (let row = 0; row < model.rows.length; row++) {
    const cells = model.cells.get(model.rows[row]);
    if (!cells) continue;
    const col = model.columns.findIndex(c => cells.has(c.cluster.name));
    if (col >= 0) return { row, col };
  }
  return { row: 0, col: 0 };
}

/**
 * The next cell with an application in the direction of `key`, skipping empty cells;
 * undefined when the key is not a navigation key or nothing lies that way.
 */
export function moveCell(
  model: MatrixModel,
  from: { row: number; col: number },
  key: string,
): { row: number; col: number } | undefined {
  const rows = model.rows.length;
  const cols = model.columns.length;
  const scan = (dr: number, dc: number) => {
    let { row, col } = from;
    for (;;) {
      row += dr;
      col += dc;
      if (row < 0 || row >= rows || col < 0 || col >= cols) return undefined;
      if (hasCell(model, row, col)) return { row, col };
    }
  };
  const scanRow = (row: number, cs: number[]) => {
    for (const col of cs) if (hasCell(model, row, col)) return { row, col };
    return undefined;
  };
  const all = [...Array(cols).keys()];
  switch (key) {
    case 'ArrowRight':
      return scan(0, 1);
    case 'ArrowLeft':
      return scan(0, -1);
    case 'ArrowDown':
      return scan(1, 0);
    case 'ArrowUp':
      return scan(-1, 0);
    case 'Home':
      return scanRow(from.row, all);
    case 'End':
      return scanRow(from.row, all.reverse());
    default:
      return undefined;
  }
}

interface GridData {
  model: MatrixModel;
  onSelectCluster(name: string, app?: string): void;
  /** Computed once by the grid; a makeStyles hook per cell is measurable at 2,000 columns. */
  classes: ReturnType<typeof useStyles>;
  /** The one cell in the tab order (roving tabindex); arrows move it. */
  active: { row: number; col: number };
  onCellKeyDown(
    e: KeyboardEvent<HTMLButtonElement>,
    row: number,
    col: number,
  ): void;
  onCellFocus(row: number, col: number): void;
}

const MatrixCell = memo(function MatrixCellInner(
  props: GridChildComponentProps<GridData>,
) {
  const classes = useStyles();
  const { model, onSelectCluster } = props.data;
  const column = model.columns[props.columnIndex];
  const appName = model.rows[props.rowIndex];
  const apps = model.cells.get(appName)?.get(column.cluster.name);
  const className = `${classes.cell} ${
    column.firstOfGroup ? classes.groupStart : ''
  }`;
  if (!apps || apps.length === 0) {
    return (
      <div style={props.style} className={className}>
        <span
          className={classes.absent}
          title={`${appName} is not deployed on ${column.cluster.name}`}
          aria-hidden
        >
          ·
        </span>
      </div>
    );
  }
  const a = apps[0];
  const sync = SYNC_ICONS[a.sync] ?? SYNC_ICONS.Unknown;
  const health = HEALTH_ICONS[a.health] ?? HEALTH_ICONS.Unknown;
  const operation = a.operationPhase
    ? `, last operation ${a.operationPhase}`
    : '';
  const more =
    apps.length > 1 ? ` (and ${apps.length - 1} more in other namespaces)` : '';
  const label = `${appName} on ${column.cluster.name}: ${syncStatusText(
    a.sync,
  )}, ${healthStatusText(a.health)}${operation}${more}`;
  return (
    <div style={props.style} className={className}>
      <button
        type="button"
        className={classes.cellButton}
        aria-label={label}
        title={label}
        data-cell={`${props.rowIndex}:${props.columnIndex}`}
        tabIndex={
          props.data.active.row === props.rowIndex &&
          props.data.active.col === props.columnIndex
            ? 0
            : -1
        }
        onClick={() => onSelectCluster(column.cluster.name, appName)}
        onKeyDown={e =>
          props.data.onCellKeyDown(e, props.rowIndex, props.columnIndex)
        }
        // Focus by mouse or Tab makes this the active cell for the arrow keys.
        onFocus={() =>
          props.data.onCellFocus(props.rowIndex, props.columnIndex)
        }
      >
        <sync.Icon
          className={`${classes.icon} ${classes[sync.tone]}`}
          aria-hidden
        />
        <health.Icon
          className={`${classes.icon} ${classes[health.tone]}`}
          aria-hidden
        />
        {apps.length > 1 && (
          <span className={classes.more} aria-hidden>
            +{apps.length - 1}
          </span>
        )}
      </button>
    </div>
  );
});

function ColumnHeader(props: ListChildComponentProps<GridData>) {
  const { model, onSelectCluster, classes } = props.data;
  const { cluster: c, groupIndex, firstOfGroup } = model.columns[props.index];
  return (
    <div
      style={props.style}
      className={`${classes.colHeader} ${
        firstOfGroup ? classes.groupStart : ''
      }`}
    >
      <div
        className={`${classes.band} ${
          groupIndex % 2 ? classes.bandOdd : classes.bandEven
        }`}
        title={`Group ${c.group}`}
      >
        {firstOfGroup ? c.group : ''}
      </div>
      <button
        type="button"
        className={classes.colButton}
        onClick={() => onSelectCluster(c.name)}
        aria-label={`Cluster ${c.name} in group ${c.group}: ${clusterStatusText(
          c.status,
        )}`}
        title={`${c.name} (${c.group}): ${clusterStatusText(c.status)}`}
      >
        {c.status !== 'available' && (
          <span aria-hidden>{c.status === 'unavailable' ? '✖' : '…'}</span>
        )}
        {c.name}
      </button>
    </div>
  );
}

function RowHeader(props: ListChildComponentProps<GridData>) {
  const { classes } = props.data;
  const name = props.data.model.rows[props.index];
  return (
    <div style={props.style} className={classes.rowHeader} title={name}>
      {name}
    </div>
  );
}

function Legend() {
  const classes = useStyles();
  return (
    <div className={classes.legend} aria-label="Legend">
      {SYNC_STATUSES.map(s => {
        const { Icon, tone } = SYNC_ICONS[s];
        return (
          <span key={s} className={classes.legendItem}>
            <Icon className={`${classes.icon} ${classes[tone]}`} aria-hidden />
            {syncStatusText(s)}
          </span>
        );
      })}
      <span aria-hidden>|</span>
      {HEALTH_STATUSES.map(h => {
        const { Icon, tone } = HEALTH_ICONS[h];
        return (
          <span key={h} className={classes.legendItem}>
            <Icon className={`${classes.icon} ${classes[tone]}`} aria-hidden />
            {healthStatusText(h)}
          </span>
        );
      })}
    </div>
  );
}

export interface ApplicationMatrixProps {
  topology: TopologyResponse;
  fleet: FilteredFleet;
  onSelectCluster(name: string, app?: string): void;
}

/**
 * Applications (rows) by clusters (columns, grouped by cluster group). Both directions are
 * virtualised: 2,000 columns x 20 rows render only the cells on screen.
 */
export function ApplicationMatrix(props: ApplicationMatrixProps) {
  const classes = useStyles();
  const { topology, fleet, onSelectCluster } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const width = useElementWidth(containerRef);
  const headerRef = useRef<FixedSizeList>(null);
  const rowHeaderRef = useRef<FixedSizeList>(null);

  const model = useMemo(() => buildMatrix(topology, fleet), [topology, fleet]);
  // Keyboard: one cell is tabbable and the arrow keys (plus Home/End) move between cells
  // that hold an application, so 40,000 buttons do not mean 40,000 Tab presses.
  const gridRef = useRef<FixedSizeGrid>(null);
  const [active, setActive] = useState(() => firstCell(model));
  const focusPending = useRef(false);
  useEffect(() => {
    // A new model (filters changed) may no longer have the active cell.
    setActive(a => (hasCell(model, a.row, a.col) ? a : firstCell(model)));
  }, [model]);
  useEffect(() => {
    if (!focusPending.current) return;
    focusPending.current = false;
    containerRef.current
      ?.querySelector<HTMLButtonElement>(
        `[data-cell="${active.row}:${active.col}"]`,
      )
      ?.focus();
  }, [active]);
  const onCellKeyDown = useCallback(
    (e: KeyboardEvent<HTMLButtonElement>, row: number, col: number) => {
      const next = moveCell(model, { row, col }, e.key);
      if (!next) return;
      e.preventDefault();
      focusPending.current = true;
      gridRef.current?.scrollToItem({
        rowIndex: next.row,
        columnIndex: next.col,
      });
      setActive(next);
    },
    [model],
  );

  const onCellFocus = useCallback(
    (row: number, col: number) =>
      setActive(a => (a.row === row && a.col === col ? a : { row, col })),
    [],
  );

  const data: GridData = useMemo(
    () => ({
      model,
      onSelectCluster,
      classes,
      active,
      onCellKeyDown,
      onCellFocus,
    }),
    [model, onSelectCluster, classes, active, onCellKeyDown, onCellFocus],
  );

  const onScroll = useCallback(
    ({ scrollLeft, scrollTop }: GridOnScrollProps) => {
      headerRef.current?.scrollTo(scrollLeft);
      rowHeaderRef.current?.scrollTo(scrollTop);
    },
    [],
  );

  const cols = model.columns.length;
  const rows = model.rows.length;
  const contentWidth = cols * CELL_WIDTH;
  const gridWidth = Math.max(
    CELL_WIDTH,
    Math.min(width - NAME_WIDTH, contentWidth),
  );
  const needsHScroll = contentWidth > gridWidth;
  const bodyHeight = Math.min(rows * ROW_HEIGHT, MAX_BODY_HEIGHT);
  const needsVScroll = rows * ROW_HEIGHT > bodyHeight;

  if (cols === 0 || rows === 0) {
    return (
      <div ref={containerRef}>
        <Typography color="textSecondary">
          No application matches the filters.
        </Typography>
      </div>
    );
  }

  return (
    <section
      ref={containerRef}
      aria-label={`Applications by cluster: ${rows} application${
        rows === 1 ? '' : 's'
      } on ${cols} cluster${cols === 1 ? '' : 's'}`}
    >
      <Legend />
      <Typography variant="caption" color="textSecondary" component="p">
        Each cell shows sync then health; select a cell or a cluster name for
        details.
      </Typography>
      <Box display="flex">
        <Box
          width={NAME_WIDTH}
          height={HEADER_HEIGHT}
          display="flex"
          alignItems="flex-end"
          px={1}
          pb={0.5}
        >
          <Typography variant="subtitle2">
            Applications ↓ · Clusters →
          </Typography>
        </Box>
        <FixedSizeList
          ref={headerRef}
          layout="horizontal"
          height={HEADER_HEIGHT}
          width={gridWidth}
          itemCount={cols}
          itemSize={CELL_WIDTH}
          itemData={data}
          style={{ overflow: 'hidden' }}
          overscanCount={10}
        >
          {ColumnHeader}
        </FixedSizeList>
      </Box>
      <Box display="flex">
        <FixedSizeList
          ref={rowHeaderRef}
          height={bodyHeight}
          width={NAME_WIDTH}
          itemCount={rows}
          itemSize={ROW_HEIGHT}
          itemData={data}
          style={{ overflow: 'hidden' }}
        >
          {RowHeader}
        </FixedSizeList>
        <FixedSizeGrid
          ref={gridRef}
          height={bodyHeight + (needsHScroll ? SCROLLBAR : 0)}
          width={gridWidth + (needsVScroll ? SCROLLBAR : 0)}
          columnCount={cols}
          columnWidth={CELL_WIDTH}
          rowCount={rows}
          rowHeight={ROW_HEIGHT}
          itemData={data}
          onScroll={onScroll}
          overscanColumnCount={6}
          overscanRowCount={4}
        >
          {MatrixCell}
        </FixedSizeGrid>
      </Box>
    </section>
  );
}
