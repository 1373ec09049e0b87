/** @jsxImportSource react */
import {
  ButtonHTMLAttributes,
  ComponentType,
  RefObject,
  useCallback,
  useRef,
} from 'react';
import {
  FixedSizeGrid,
  FixedSizeList,
  GridChildComponentProps,
  GridOnItemsRenderedProps,
  GridOnScrollProps,
  ListChildComponentProps,
} from 'react-window';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  ApplicationSummary,
  ClusterStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { useElementWidth } from '../../hooks/useElementWidth';
import {
  CLUSTER_STATUS,
  HEALTH_STATUS,
  StatusIcon,
  styleOf,
  SYNC_STATUS,
  ToneClasses,
} from '../StatusLabel';
import { Legend } from './Legend';
import {
  CELL_WIDTH,
  HEADER_HEIGHT,
  MatrixClasses,
  MAX_BODY_HEIGHT,
  NAME_WIDTH,
  ROW_HEIGHT,
  SCROLLBAR,
} from './styles';

/** What a cell says of an application on a cluster, in words for screen readers. */
export function cellLabel(
  appName: string,
  cluster: string,
  apps: Pick<ApplicationSummary, 'sync' | 'health' | 'operationPhase'>[],
) {
  const a = apps[0];
  const operation = a.operationPhase
    ? `, last operation ${a.operationPhase}`
    : '';
  const more =
    apps.length > 1 ? ` (and ${apps.length - 1} more in other namespaces)` : '';
  return `${appName} on ${cluster}: ${styleOf(SYNC_STATUS, a.sync).text}, ${
    styleOf(HEALTH_STATUS, a.health).text
  }${operation}${more}`;
}

/** A cell's button: sync then health, and how many more same-named applications. */
export function CellButton(
  props: {
    appName: string;
    cluster: string;
    apps: Pick<ApplicationSummary, 'sync' | 'health' | 'operationPhase'>[];
    classes: MatrixClasses;
    tones: ToneClasses;
  } & ButtonHTMLAttributes<HTMLButtonElement>,
) {
  const { appName, cluster, apps, classes, tones, ...button } = props;
  const label = cellLabel(appName, cluster, apps);
  return (
    <button
      type="button"
      className={classes.cellButton}
      aria-label={label}
      title={label}
      {...button}
    >
      <StatusIcon
        status={styleOf(SYNC_STATUS, apps[0].sync)}
        tones={tones}
        className={classes.icon}
      />
      <StatusIcon
        status={styleOf(HEALTH_STATUS, apps[0].health)}
        tones={tones}
        className={classes.icon}
      />
      {apps.length > 1 && (
        <span className={classes.more} aria-hidden>
          +{apps.length - 1}
        </span>
      )}
    </button>
  );
}

/**
 * A cluster's column header button: its name, and its status icon when it is not
 * available (only the exceptions are marked, so a healthy fleet's header stays quiet).
 */
export function ClusterColumnButton(props: {
  name: string;
  status: ClusterStatus;
  label: string;
  title: string;
  classes: MatrixClasses;
  tones: ToneClasses;
  onClick(): void;
}) {
  const { classes } = props;
  return (
    <button
      type="button"
      className={classes.colButton}
      onClick={props.onClick}
      aria-label={props.label}
      title={props.title}
    >
      {props.status !== 'available' && (
        <StatusIcon
          status={styleOf(CLUSTER_STATUS, props.status)}
          tones={props.tones}
          className={classes.colIcon}
        />
      )}
      {props.name}
    </button>
  );
}

export interface MatrixFrameProps<D> {
  rows: number;
  cols: number;
  /** Passed to every header and cell. */
  data: D;
  ColumnHeader: ComponentType<ListChildComponentProps<D>>;
  RowHeader: ComponentType<ListChildComponentProps<D>>;
  Cell: ComponentType<GridChildComponentProps<D>>;
  gridRef: RefObject<FixedSizeGrid>;
  /** The section; callers find cells in it to move the focus. */
  containerRef: RefObject<HTMLDivElement>;
  /** Under the legend: how to read and use the matrix. */
  caption: string;
  onItemsRendered?(r: GridOnItemsRenderedProps): void;
}

/**
 * Applications (rows) by clusters (columns), both directions virtualised, with headers
 * that scroll with the grid. The whole-topology matrix and the paged one differ only in
 * where their cells come from.
 */
export function MatrixFrame<D>(props: MatrixFrameProps<D>) {
  const { rows, cols, data, gridRef, containerRef } = props;
  const { ColumnHeader, RowHeader, Cell } = props;
  const width = useElementWidth(containerRef);
  const headerRef = useRef<FixedSizeList>(null);
  const rowHeaderRef = useRef<FixedSizeList>(null);
  const onScroll = useCallback(
    ({ scrollLeft, scrollTop }: GridOnScrollProps) => {
      headerRef.current?.scrollTo(scrollLeft);
      rowHeaderRef.current?.scrollTo(scrollTop);
    },
    [],
  );

  if (cols === 0 || rows === 0) {
    return (
      <div ref={containerRef}>
        <Typography color="textSecondary">
          No application matches the filters.
        </Typography>
      </div>
    );
  }
  const contentWidth = cols * CELL_WIDTH;
  const gridWidth = Math.max(
    CELL_WIDTH,
    Math.min(width - NAME_WIDTH, contentWidth),
  );
  const needsHScroll = contentWidth > gridWidth;
  const bodyHeight = Math.min(rows * ROW_HEIGHT, MAX_BODY_HEIGHT);
  const needsVScroll = rows * ROW_HEIGHT > bodyHeight;

  return (
    <section
      ref={containerRef}
      aria-label={`Applications by cluster: ${rows} application${
        rows === 1 ? '' : 's'
      } on ${cols} cluster${cols === 1 ? '' : 's'}`}
    >
      <Legend />
      <Typography variant="caption" color="textSecondary" component="p">
        {props.caption}
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
          onItemsRendered={props.onItemsRendered}
          overscanColumnCount={6}
          overscanRowCount={4}
        >
          {Cell}
        </FixedSizeGrid>
      </Box>
    </section>
  );
}
