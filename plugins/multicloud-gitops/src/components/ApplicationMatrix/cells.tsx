/** @jsxImportSource react */
import { KeyboardEvent, memo } from 'react';
import { GridChildComponentProps, ListChildComponentProps } from 'react-window';
import { CLUSTER_STATUS, ToneClasses, styleOf } from '../StatusLabel';
import { CellButton, ClusterColumnButton } from './MatrixFrame';
import { MatrixModel } from './model';
import { MatrixClasses } from './styles';

/** What every virtualised cell and header receives from the grid. */
export interface GridData {
  model: MatrixModel;
  onSelectCluster(name: string, app?: string): void;
  /** Computed once by the grid; a makeStyles hook per cell is measurable at 2,000 columns. */
  classes: MatrixClasses;
  tones: ToneClasses;
  /** The one cell in the tab order (roving tabindex); arrows move it. */
  active: { row: number; col: number };
  onCellKeyDown(
    e: KeyboardEvent<HTMLButtonElement>,
    row: number,
    col: number,
  ): void;
  onCellFocus(row: number, col: number): void;
}

export const MatrixCell = memo(function MatrixCellInner(
  props: GridChildComponentProps<GridData>,
) {
  const { model, onSelectCluster, classes } = props.data;
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
  return (
    <div style={props.style} className={className}>
      <CellButton
        appName={appName}
        cluster={column.cluster.name}
        apps={apps}
        classes={classes}
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
      />
    </div>
  );
});

export function ColumnHeader(props: ListChildComponentProps<GridData>) {
  const { model, onSelectCluster, classes, tones } = props.data;
  const { cluster: c, groupIndex, firstOfGroup } = model.columns[props.index];
  const status = styleOf(CLUSTER_STATUS, c.status);
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
      <ClusterColumnButton
        name={c.name}
        status={c.status}
        label={`Cluster ${c.name} in group ${c.group}: ${status.text}`}
        title={`${c.name} (${c.group}): ${status.text}`}
        classes={classes}
        tones={tones}
        onClick={() => onSelectCluster(c.name)}
      />
    </div>
  );
}

export function RowHeader(props: ListChildComponentProps<GridData>) {
  const { classes } = props.data;
  const name = props.data.model.rows[props.index];
  return (
    <div style={props.style} className={classes.rowHeader} title={name}>
      {name}
    </div>
  );
}
