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
  GridChildComponentProps,
  GridOnItemsRenderedProps,
  ListChildComponentProps,
} from 'react-window';
import { FleetCluster } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { blocksFor, FleetWindows } from '../../hooks/useFleetWindows';
import {
  CellButton,
  ClusterColumnButton,
  MatrixFrame,
} from '../ApplicationMatrix/MatrixFrame';
import { MatrixClasses, useStyles } from '../ApplicationMatrix/styles';
import {
  CLUSTER_STATUS,
  styleOf,
  ToneClasses,
  useToneClasses,
} from '../StatusLabel';

interface CellData {
  windows: FleetWindows;
  classes: MatrixClasses;
  tones: ToneClasses;
  onOpen(c: FleetCluster, app?: string): void;
  /** The one cell in the tab order (roving tabindex); arrows move it. */
  active: { row: number; col: number };
  onCellKeyDown(
    e: KeyboardEvent<HTMLButtonElement>,
    row: number,
    col: number,
  ): void;
  onCellFocus(row: number, col: number): void;
}

const Cell = memo(function CellInner(props: GridChildComponentProps<CellData>) {
  const { windows, classes, tones, onOpen, active } = props.data;
  const apps = windows.appsAt(props.columnIndex, props.rowIndex);
  const c = windows.clusterAt(props.columnIndex);
  const name = windows.nameAt(props.rowIndex);
  const isActive =
    active.row === props.rowIndex && active.col === props.columnIndex;
  const cellClass = classes.cell;
  const tabIndex = isActive ? 0 : -1;
  const dataCell = `${props.rowIndex}:${props.columnIndex}`;
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) =>
    props.data.onCellKeyDown(e, props.rowIndex, props.columnIndex);
  const onFocus = () =>
    props.data.onCellFocus(props.rowIndex, props.columnIndex);
  if (!apps || !c || name === undefined) {
    return <div style={props.style} className={cellClass} aria-busy />;
  }
  if (!apps.length) {
    const label = `${name} is not deployed on ${c.name}`;
    return (
      <div style={props.style} className={cellClass}>
        <button
          type="button"
          className={`${classes.cellButton} ${classes.absent}`}
          aria-label={label}
          title={label}
          data-cell={dataCell}
          tabIndex={tabIndex}
          onClick={() => onOpen(c)}
          onKeyDown={onKeyDown}
          onFocus={onFocus}
        >
          ·
        </button>
      </div>
    );
  }
  return (
    <div style={props.style} className={cellClass}>
      <CellButton
        appName={name}
        cluster={c.name}
        apps={apps}
        classes={classes}
        tones={tones}
        data-cell={dataCell}
        // One cell is in the tab order (roving tabindex); the arrow keys move it.
        tabIndex={tabIndex}
        onClick={() => onOpen(c, name)}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
      />
    </div>
  );
});

function ColumnHeader(props: ListChildComponentProps<CellData>) {
  const { windows, classes, tones, onOpen } = props.data;
  const c = windows.clusterAt(props.index);
  if (!c) return <div style={props.style} className={classes.colHeader} />;
  const status = styleOf(CLUSTER_STATUS, c.status);
  return (
    <div style={props.style} className={classes.colHeader}>
      <div className={`${classes.band} ${classes.bandEven}`} title={c.hub}>
        {c.group}
      </div>
      <ClusterColumnButton
        name={c.name}
        status={c.status}
        label={`Cluster ${c.name} on hub ${c.hub} in group ${c.group}: ${status.text}`}
        title={`${c.name} (${c.hub}, ${c.group}): ${status.text}`}
        classes={classes}
        tones={tones}
        onClick={() => onOpen(c)}
      />
    </div>
  );
}

function RowHeader(props: ListChildComponentProps<CellData>) {
  const { classes, windows } = props.data;
  const name = windows.nameAt(props.index);
  return (
    <div style={props.style} className={classes.rowHeader} title={name}>
      {name ?? '…'}
    </div>
  );
}

export interface PagedMatrixProps {
  windows: FleetWindows;
  clusters: number;
  names: number;
  onOpen(c: FleetCluster, app?: string): void;
  /** Identifies the filters and sort: a change scrolls back to the top left. */
  resetKey: string;
}

/**
 * Applications (rows) by clusters (columns) across hubs. Both directions are virtualised,
 * and the cells are loaded by blocks of clusters and application names as they come on
 * screen: the whole matrix is never in the browser.
 */
export function PagedMatrix(props: PagedMatrixProps) {
  const classes = useStyles();
  const tones = useToneClasses();
  const { windows, clusters, names, onOpen, resetKey } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<FixedSizeGrid>(null);
  useEffect(
    () => gridRef.current?.scrollTo({ scrollLeft: 0, scrollTop: 0 }),
    [resetKey],
  );

  const [active, setActive] = useState({ row: 0, col: 0 });
  const focusPending = useRef(false);
  useEffect(() => setActive({ row: 0, col: 0 }), [resetKey]);
  // Focus follows the arrow keys once the target cell is drawn (and, when its block was
  // not loaded yet, once it has arrived).
  useEffect(() => {
    if (!focusPending.current) return;
    const el = containerRef.current?.querySelector<HTMLButtonElement>(
      `[data-cell="${active.row}:${active.col}"]`,
    );
    if (el) {
      focusPending.current = false;
      el.focus();
    }
  }, [active, windows.revision]);
  const onCellKeyDown = useCallback(
    (e: KeyboardEvent<HTMLButtonElement>, row: number, col: number) => {
      const step: Record<string, [number, number]> = {
        ArrowUp: [-1, 0],
        ArrowDown: [1, 0],
        ArrowLeft: [0, -1],
        ArrowRight: [0, 1],
        PageUp: [-10, 0],
        PageDown: [10, 0],
      };
      let next: { row: number; col: number };
      if (step[e.key]) {
        const [dr, dc] = step[e.key];
        next = {
          row: Math.min(names - 1, Math.max(0, row + dr)),
          col: Math.min(clusters - 1, Math.max(0, col + dc)),
        };
      } else if (e.key === 'Home') {
        next = { row, col: 0 };
      } else if (e.key === 'End') {
        next = { row, col: clusters - 1 };
      } else {
        return;
      }
      e.preventDefault();
      focusPending.current = true;
      gridRef.current?.scrollToItem({
        rowIndex: next.row,
        columnIndex: next.col,
      });
      setActive(next);
    },
    [names, clusters],
  );
  const onCellFocus = useCallback(
    (row: number, col: number) =>
      setActive(a => (a.row === row && a.col === col ? a : { row, col })),
    [],
  );
  const data = useMemo(
    () => ({
      windows,
      classes,
      tones,
      onOpen,
      active,
      onCellKeyDown,
      onCellFocus,
    }),
    [windows, classes, tones, onOpen, active, onCellKeyDown, onCellFocus],
  );
  const { want } = windows;
  const onItemsRendered = useCallback(
    (r: GridOnItemsRenderedProps) =>
      want(
        blocksFor(r.overscanColumnStartIndex, r.overscanColumnStopIndex, {
          first: r.overscanRowStartIndex,
          last: r.overscanRowStopIndex,
        }),
      ),
    [want],
  );
  return (
    <MatrixFrame
      rows={names}
      cols={clusters}
      data={data}
      ColumnHeader={ColumnHeader}
      RowHeader={RowHeader}
      Cell={Cell}
      gridRef={gridRef}
      containerRef={containerRef}
      caption="Each cell shows sync then health; select a cell or a cluster name for details. Cells load as they scroll into view."
      onItemsRendered={onItemsRendered}
    />
  );
}
