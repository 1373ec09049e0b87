/** @jsxImportSource react */
import {
  KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { FixedSizeGrid } from 'react-window';
import { TopologyResponse } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FilteredFleet } from '../../lib/filters';
import { useToneClasses } from '../StatusLabel';
import { ColumnHeader, GridData, MatrixCell, RowHeader } from './cells';
import { MatrixFrame } from './MatrixFrame';
import { buildMatrix, firstCell, hasCell, moveCell } from './model';
import { useStyles } from './styles';

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
  const tones = useToneClasses();
  const { topology, fleet, onSelectCluster } = props;
  const containerRef = useRef<HTMLDivElement>(null);

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
      tones,
      active,
      onCellKeyDown,
      onCellFocus,
    }),
    [
      model,
      onSelectCluster,
      classes,
      tones,
      active,
      onCellKeyDown,
      onCellFocus,
    ],
  );

  return (
    <MatrixFrame
      rows={model.rows.length}
      cols={model.columns.length}
      data={data}
      ColumnHeader={ColumnHeader}
      RowHeader={RowHeader}
      Cell={MatrixCell}
      gridRef={gridRef}
      containerRef={containerRef}
      caption="Each cell shows sync then health; select a cell or a cluster name for details."
    />
  );
}
