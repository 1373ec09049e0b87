import {
  ApplicationSummary,
  ClusterSummary,
  TopologyResponse,
  compareApplicationsWorstFirst,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { FilteredFleet, orderedGroupNames } from '../../lib/filters';

export interface Column {
  cluster: ClusterSummary;
  groupIndex: number;
  firstOfGroup: boolean;
}

export interface MatrixModel {
  columns: Column[];
  rows: string[];
  cells: Map<string, Map<string, ApplicationSummary[]>>;
}

export interface CellPosition {
  row: number;
  col: number;
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

export function hasCell(model: MatrixModel, row: number, col: number): boolean {
  const name = model.rows[row];
  const column = model.columns[col];
  return (
    !!name &&
    !!column &&
    !!model.cells.get(name)?.get(column.cluster.name)?.length
  );
}

export function firstCell(model: MatrixModel): CellPosition {
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
  from: CellPosition,
  key: string,
): CellPosition | undefined {
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
