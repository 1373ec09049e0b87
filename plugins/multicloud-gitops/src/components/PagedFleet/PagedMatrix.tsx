/** @jsxImportSource react */
import {
  KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
} from 'react';
import {
  FixedSizeGrid,
  GridChildComponentProps,
  GridOnItemsRenderedProps,
} from 'react-window';
import { FleetCluster } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import {
  blockOf,
  blocksFor,
  cellIn,
  FleetWindows,
  useWindowsValue,
} from '../../hooks/useFleetWindows';
import {
  CellButton,
  ClusterColumnButton,
  HeaderProps,
  MatrixFrame,
} from '../ApplicationMatrix/MatrixFrame';
import { MatrixClasses, useStyles } from '../ApplicationMatrix/styles';
import {
  CLUSTER_STATUS,
  styleOf,
  ToneClasses,
  useToneClasses,
} from '../StatusLabel';
import { CellReveal, createCellReveal } from './cellReveal';

/** The active cell (roving tabindex), watched by each cell for whether it is the one. */
interface ActiveCell {
  get(): { row: number; col: number };
  subscribe(listener: () => void): () => void;
}

/**
 * What every cell and header receives. It stays the same object while the matrix is
 * scrolled and its blocks arrive, so react-window's memoised cells are not redrawn for it;
 * each cell follows its own block (and whether it is the active one) instead.
 */
interface CellData {
  windows: Pick<FleetWindows, 'block' | 'clusterAt' | 'nameAt' | 'subscribe'>;
  classes: MatrixClasses;
  tones: ToneClasses;
  onOpen(c: FleetCluster, app?: string): void;
  /** The one cell in the tab order (roving tabindex); arrows move it. */
  active: ActiveCell;
  /** The active cell's button ref: takes the focus when the arrow keys moved there. */
  focusIfPending(button: HTMLButtonElement | null): void;
  onCellKeyDown(
    e: KeyboardEvent<HTMLButtonElement>,
    row: number,
    col: number,
  ): void;
  onCellFocus(row: number, col: number): void;
  /** Draws cells that just received their block a band of rows per frame. */
  reveal: CellReveal;
}

/**
 * A cell's block and whether it is the active cell, redrawing the cell only when one of
 * them changed: an arriving block redraws its own cells (a band of rows per frame, see
 * CellReveal), an arrow key two cells.
 */
function useCellState(data: CellData, row: number, col: number) {
  const { windows, active, reveal } = data;
  const read = () => {
    const a = active.get();
    return {
      block: windows.block(blockOf(col, row)),
      isActive: a.row === row && a.col === col,
    };
  };
  const state = read();
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const shown = useRef(state);
  shown.current = state;
  const readRef = useRef(read);
  readRef.current = read;
  useEffect(() => {
    let withdraw: (() => void) | undefined;
    const check = () => {
      const now = readRef.current();
      const was = shown.current;
      if (now.block === was.block && now.isActive === was.isActive) return;
      withdraw?.();
      withdraw = undefined;
      // A placeholder given its block waits for its band; any other change draws now.
      if (!was.block && now.block && now.isActive === was.isActive)
        withdraw = reveal.request(row, col, redraw);
      else redraw();
    };
    const unsubscribe = [windows.subscribe(check), active.subscribe(check)];
    // A change between this render and the subscriptions.
    check();
    return () => {
      withdraw?.();
      unsubscribe.forEach(u => u());
    };
  }, [windows, active, reveal, row, col]);
  return state;
}

const Cell = memo(function CellInner(props: GridChildComponentProps<CellData>) {
  const { classes, onOpen, focusIfPending } = props.data;
  const { rowIndex: row, columnIndex: col } = props;
  const { block: b, isActive } = useCellState(props.data, row, col);
  const cell = b && cellIn(b, col, row);
  // Focus follows the arrow keys once the active cell is drawn with its button (its
  // block may arrive after the move).
  const buttonRef = isActive ? focusIfPending : undefined;
  const cellClass = classes.cell;
  if (!cell) {
    return <div style={props.style} className={cellClass} aria-busy />;
  }
  const { cluster: c, name, apps } = cell;
  const tabIndex = isActive ? 0 : -1;
  const dataCell = `${row}:${col}`;
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) =>
    props.data.onCellKeyDown(e, row, col);
  const onFocus = () => props.data.onCellFocus(row, col);
  if (!apps.length) {
    const label = `${name} is not deployed on ${c.name}`;
    return (
      <div style={props.style} className={cellClass}>
        <button
          ref={buttonRef}
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
        buttonRef={buttonRef}
        appName={name}
        cluster={c.name}
        apps={apps}
        classes={classes}
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

function ColumnHeader(props: HeaderProps<CellData>) {
  const { windows, classes, tones, onOpen } = props.data;
  const c = useWindowsValue(windows.subscribe, () =>
    windows.clusterAt(props.index),
  );
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

function RowHeader(props: HeaderProps<CellData>) {
  const { classes, windows } = props.data;
  const name = useWindowsValue(windows.subscribe, () =>
    windows.nameAt(props.index),
  );
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
  const { windows, clusters, names, resetKey } = props;
  const containerRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<FixedSizeGrid>(null);
  useEffect(
    () => gridRef.current?.scrollTo({ scrollLeft: 0, scrollTop: 0 }),
    [resetKey],
  );

  // The active cell lives outside React state: moving it redraws the two cells concerned.
  const [active] = useState(() => {
    let current = { row: 0, col: 0 };
    const listeners = new Set<() => void>();
    return {
      get: () => current,
      set(next: { row: number; col: number }) {
        if (next.row === current.row && next.col === current.col) return;
        current = next;
        listeners.forEach(l => l());
      },
      subscribe(listener: () => void) {
        listeners.add(listener);
        return () => {
          listeners.delete(listener);
        };
      },
    };
  });
  const [reveal] = useState(() => createCellReveal());
  const focusPending = useRef(false);
  const focusIfPending = useCallback((button: HTMLButtonElement | null) => {
    if (button && focusPending.current) {
      focusPending.current = false;
      button.focus();
    }
  }, []);
  useEffect(() => active.set({ row: 0, col: 0 }), [active, resetKey]);
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
      active.set(next);
    },
    [names, clusters, active],
  );
  const onCellFocus = useCallback(
    (row: number, col: number) => active.set({ row, col }),
    [active],
  );
  // The page's handler may change with the URL; the cells keep theirs.
  const onOpenRef = useRef(props.onOpen);
  onOpenRef.current = props.onOpen;
  const onOpen = useCallback(
    (c: FleetCluster, app?: string) => onOpenRef.current(c, app),
    [],
  );
  const { block, clusterAt, nameAt, subscribe, want } = windows;
  const data: CellData = useMemo(
    () => ({
      windows: { block, clusterAt, nameAt, subscribe },
      classes,
      tones,
      onOpen,
      active,
      focusIfPending,
      onCellKeyDown,
      onCellFocus,
      reveal,
    }),
    [
      block,
      clusterAt,
      nameAt,
      subscribe,
      classes,
      tones,
      onOpen,
      active,
      focusIfPending,
      onCellKeyDown,
      onCellFocus,
      reveal,
    ],
  );
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
