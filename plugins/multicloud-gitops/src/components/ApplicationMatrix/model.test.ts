import { TOPOLOGY } from '../../__testUtils__/fleet';
import { EMPTY_FILTERS, applyFilters } from '../../lib/filters';
import { buildMatrix, moveCell } from './model';

describe('buildMatrix', () => {
  const model = buildMatrix(TOPOLOGY, applyFilters(TOPOLOGY, EMPTY_FILTERS));

  it('orders columns by group (hub first) and marks group starts', () => {
    expect(model.columns.map(c => [c.cluster.name, c.firstOfGroup])).toEqual([
      ['local-cluster', true],
      ['east-1', true],
      ['west-1', false],
      ['edge-1', true],
      ['edge-2', false],
    ]);
  });

  it('has one row per application name and one cell per deployment', () => {
    expect(model.rows).toEqual([
      'config-demo',
      'golang-external-secrets',
      'hello-world',
      'multicloud-gitops-group-one',
      'multicloud-gitops-hub',
      'vault',
    ]);
    expect([...model.cells.get('hello-world')!.keys()].sort()).toEqual([
      'east-1',
      'edge-1',
      'west-1',
    ]);
  });

  it('moves between cells that hold an application', () => {
    // vault runs only on the hub: nothing to its right.
    expect(moveCell(model, { row: 5, col: 0 }, 'ArrowRight')).toBeUndefined();
    expect(moveCell(model, { row: 0, col: 0 }, 'ArrowDown')).toEqual({
      row: 1,
      col: 0,
    });
    expect(moveCell(model, { row: 2, col: 1 }, 'Home')).toEqual({
      row: 2,
      col: 1,
    });
    expect(moveCell(model, { row: 0, col: 0 }, 'End')).toEqual({
      row: 0,
      col: 3,
    });
    expect(moveCell(model, { row: 0, col: 0 }, 'a')).toBeUndefined();
  });
});
