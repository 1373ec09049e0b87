/** @jsxImportSource react */
import {
  ButtonHTMLAttributes,
  ComponentType,
  CSSProperties,
  forwardRef,
  HTMLAttributes,
  memo,
  MutableRefObject,
  Ref,
  RefObject,
  useCallback,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  FixedSizeGrid,
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
  StatusImageGlyph,
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
import { inTransition } from '../../lib/transition';

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
    buttonRef?: Ref<HTMLButtonElement>;
  } & ButtonHTMLAttributes<HTMLButtonElement>,
) {
  const { appName, cluster, apps, classes, buttonRef, ...button } = props;
  const label = cellLabel(appName, cluster, apps);
  return (
    <button
      ref={buttonRef}
      type="button"
      className={classes.cellButton}
      aria-label={label}
      title={label}
      {...button}
    >
      <StatusImageGlyph table="sync" status={apps[0].sync} classes={classes} />
      <StatusImageGlyph
        table="health"
        status={apps[0].health}
        classes={classes}
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

/**
 * The grid's scrolling element. A scroll redraws the cells that came into view; as a
 * transition, that work yields to the browser every few milliseconds instead of holding
 * the main thread for the hundreds of cells a long scroll brings.
 */
const GridScroller = forwardRef<HTMLDivElement, HTMLAttributes<HTMLDivElement>>(
  function ScrollingElement(props, ref) {
    const { onScroll, ...rest } = props;
    return (
      <div
        {...rest}
        ref={ref}
        onScroll={e => {
          if (onScroll) inTransition(() => onScroll(e));
        }}
      />
    );
  },
);

/** What a column or row header receives: as a react-window list item. */
export type HeaderProps<D> = ListChildComponentProps<D>;

export interface MatrixFrameProps<D> {
  rows: number;
  cols: number;
  /** Passed to every header and cell. */
  data: D;
  ColumnHeader: ComponentType<HeaderProps<D>>;
  RowHeader: ComponentType<HeaderProps<D>>;
  Cell: ComponentType<GridChildComponentProps<D>>;
  gridRef: RefObject<FixedSizeGrid>;
  /** The section; callers find cells in it to move the focus. */
  containerRef: RefObject<HTMLDivElement>;
  /** Under the legend: how to read and use the matrix. */
  caption: string;
  onItemsRendered?(r: GridOnItemsRenderedProps): void;
}

interface Range {
  start: number;
  stop: number;
}

/**
 * A strip of headers along one side of the grid: the ones of the grid's columns (or rows)
 * drawn, placed as the grid places them, and moved with a transform when the grid
 * scrolls. A second scrolling list would have to be scrolled to the grid's offset, and
 * setting an offset makes the browser lay out the whole page there and then.
 */
function HeaderStrip<D>(props: {
  horizontal: boolean;
  length: number;
  itemSize: number;
  width: number;
  height: number;
  data: D;
  Header: ComponentType<HeaderProps<D>>;
  /** Receives the setter of the range to draw; the grid calls it as it draws. */
  rangeRef: MutableRefObject<((r: Range) => void) | undefined>;
  innerRef: RefObject<HTMLDivElement>;
}) {
  const { horizontal, length, itemSize, data, Header, rangeRef } = props;
  const [range, setRange] = useState<Range>({ start: 0, stop: -1 });
  rangeRef.current = next =>
    setRange(r => (r.start === next.start && r.stop === next.stop ? r : next));
  // The same style object per index, as react-window does, so memoised headers stay put.
  const placeAt = useMemo(() => {
    const styles = new Map<number, CSSProperties>();
    return (i: number) => {
      let style = styles.get(i);
      if (!style) {
        style = horizontal
          ? {
              position: 'absolute',
              left: i * itemSize,
              top: 0,
              width: itemSize,
              height: '100%',
            }
          : {
              position: 'absolute',
              top: i * itemSize,
              left: 0,
              height: itemSize,
              width: '100%',
            };
        styles.set(i, style);
      }
      return style;
    };
  }, [horizontal, itemSize]);
  const items = [];
  for (let i = range.start; i <= Math.min(range.stop, length - 1); i++) {
    items.push(<Header key={i} index={i} style={placeAt(i)} data={data} />);
  }
  return (
    <div
      style={{
        position: 'relative',
        overflow: 'hidden',
        width: props.width,
        height: props.height,
        flexShrink: 0,
      }}
    >
      <div
        ref={props.innerRef}
        style={{
          position: 'absolute',
          top: 0,
          left: 0,
          width: horizontal ? length * itemSize : '100%',
          height: horizontal ? '100%' : length * itemSize,
          willChange: 'transform',
        }}
      >
        {items}
      </div>
    </div>
  );
}

/**
 * Applications (rows) by clusters (columns), both directions virtualised, with headers
 * that scroll with the grid. The whole-topology matrix and the paged one differ only in
 * where their cells come from.
 */
export function MatrixFrame<D>(props: MatrixFrameProps<D>) {
  const { rows, cols, data, gridRef, containerRef } = props;
  const { Cell } = props;
  const width = useElementWidth(containerRef);
  // Headers redraw when their own props change, not when the strip draws a new range.
  const ColumnHeader = useMemo(
    () => memo(props.ColumnHeader) as ComponentType<HeaderProps<D>>,
    [props.ColumnHeader],
  );
  const RowHeader = useMemo(
    () => memo(props.RowHeader) as ComponentType<HeaderProps<D>>,
    [props.RowHeader],
  );
  const colHeaderRef = useRef<HTMLDivElement>(null);
  const rowHeaderRef = useRef<HTMLDivElement>(null);
  const colRange = useRef<(r: Range) => void>();
  const rowRange = useRef<(r: Range) => void>();
  // Writing a transform needs no layout; the headers follow the grid in the same frame.
  const onScroll = useCallback(
    ({ scrollLeft, scrollTop }: GridOnScrollProps) => {
      if (colHeaderRef.current)
        colHeaderRef.current.style.transform = `translateX(${-scrollLeft}px)`;
      if (rowHeaderRef.current)
        rowHeaderRef.current.style.transform = `translateY(${-scrollTop}px)`;
    },
    [],
  );
  const { onItemsRendered: onItems } = props;
  const onItemsRendered = useCallback(
    (r: GridOnItemsRenderedProps) => {
      colRange.current?.({
        start: r.overscanColumnStartIndex,
        stop: r.overscanColumnStopIndex,
      });
      rowRange.current?.({
        start: r.overscanRowStartIndex,
        stop: r.overscanRowStopIndex,
      });
      onItems?.(r);
    },
    [onItems],
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
        <HeaderStrip
          horizontal
          length={cols}
          itemSize={CELL_WIDTH}
          width={gridWidth}
          height={HEADER_HEIGHT}
          data={data}
          Header={ColumnHeader}
          rangeRef={colRange}
          innerRef={colHeaderRef}
        />
      </Box>
      <Box display="flex">
        <HeaderStrip
          horizontal={false}
          length={rows}
          itemSize={ROW_HEIGHT}
          width={NAME_WIDTH}
          height={bodyHeight}
          data={data}
          Header={RowHeader}
          rangeRef={rowRange}
          innerRef={rowHeaderRef}
        />
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
          onItemsRendered={onItemsRendered}
          outerElementType={GridScroller}
          overscanColumnCount={2}
          overscanRowCount={2}
        >
          {Cell}
        </FixedSizeGrid>
      </Box>
    </section>
  );
}
