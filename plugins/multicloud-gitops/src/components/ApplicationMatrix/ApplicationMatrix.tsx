/** @jsxImportSource react */
import {
  KeyboardEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { FixedSizeGrid, FixedSizeList, GridOnScrollProps } from 'react-window';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { TopologyResponse } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FilteredFleet } from '../../lib/filters';
import { useElementWidth } from '../../hooks/useElementWidth';
import { useToneClasses } from '../StatusLabel';
import { ColumnHeader, GridData, MatrixCell, RowHeader } from './cells';
import { Legend } from './Legend';
import { buildMatrix, firstCell, hasCell, moveCell } from './model';
import {
  CELL_WIDTH,
  HEADER_HEIGHT,
  MAX_BODY_HEIGHT,
  NAME_WIDTH,
  ROW_HEIGHT,
  SCROLLBAR,
  useStyles,
} from './styles';

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
