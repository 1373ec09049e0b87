import { applicationKey } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { TOPOLOGY, buildLargeTopology } from '../__testUtils__/fleet';
import {
  EMPTY_FILTERS,
  applyFilters,
  filtersFromSearchParams,
  isFiltered,
  writeFiltersToSearchParams,
} from './filters';

const names = (xs: { name: string }[]) => xs.map(x => x.name);

describe('applyFilters', () => {
  it('keeps everything without filters', () => {
    const f = applyFilters(TOPOLOGY, EMPTY_FILTERS);
    expect(f.clusters).toHaveLength(5);
    expect(f.applications).toHaveLength(TOPOLOGY.applications.length);
  });

  it('narrows clusters by group and status, and their applications with them', () => {
    const f = applyFilters(TOPOLOGY, {
      ...EMPTY_FILTERS,
      groups: ['group-one'],
    });
    expect(names(f.clusters)).toEqual(['east-1', 'west-1']);
    expect(new Set(f.applications.map(a => a.cluster))).toEqual(
      new Set(['east-1', 'west-1']),
    );

    const g = applyFilters(TOPOLOGY, {
      ...EMPTY_FILTERS,
      statuses: ['unavailable', 'pending-import'],
    });
    expect(names(g.clusters)).toEqual(['west-1', 'edge-2']);
  });

  it('narrows applications by sync/health and keeps only clusters that still have one', () => {
    const f = applyFilters(TOPOLOGY, {
      ...EMPTY_FILTERS,
      healths: ['Degraded', 'Missing'],
    });
    expect(f.applications.map(applicationKey)).toEqual([
      'east-1/multicloud-gitops-group-one/hello-world',
      'west-1/multicloud-gitops-group-one/hello-world',
    ]);
    expect(names(f.clusters)).toEqual(['east-1', 'west-1']);
    const g = applyFilters(TOPOLOGY, {
      ...EMPTY_FILTERS,
      syncs: ['OutOfSync'],
    });
    expect(names(g.clusters)).toEqual(['local-cluster', 'west-1']);
  });

  it('matches text against cluster names (all their apps) and application names', () => {
    const byCluster = applyFilters(TOPOLOGY, {
      ...EMPTY_FILTERS,
      text: 'EDGE',
    });
    expect(names(byCluster.clusters)).toEqual(['edge-1', 'edge-2']);
    expect(byCluster.applications).toHaveLength(2);
    const byCloud = applyFilters(TOPOLOGY, { ...EMPTY_FILTERS, text: 'azure' });
    expect(names(byCloud.clusters)).toEqual(['west-1']);
    const byApp = applyFilters(TOPOLOGY, { ...EMPTY_FILTERS, text: 'vault' });
    expect(names(byApp.clusters)).toEqual(['local-cluster']);
    expect(names(byApp.applications)).toEqual(['vault']);
  });

  // How fast is for bench/frontend.bench.js (filter <= 100 ms in Chromium), not for a
  // timed unit test: this one checks that the filters hold on a fleet of the target size.
  it('filters a 2,000 x 20 fleet: groups, sync and health, application and cluster text', () => {
    const big = buildLargeTopology(2000, 20);
    const byGroup = applyFilters(big, {
      ...EMPTY_FILTERS,
      groups: ['group-3'],
    });
    expect(byGroup.clusters).toHaveLength(250);
    expect(byGroup.clusters.every(c => c.group === 'group-3')).toBe(true);
    expect(byGroup.applications).toHaveLength(250 * 20);

    const bad = applyFilters(big, {
      ...EMPTY_FILTERS,
      healths: ['Degraded'],
      syncs: ['OutOfSync'],
    });
    expect(bad.applications.length).toBeGreaterThan(0);
    expect(
      bad.applications.every(
        a => a.health === 'Degraded' && a.sync === 'OutOfSync',
      ),
    ).toBe(true);

    const byApp = applyFilters(big, { ...EMPTY_FILTERS, text: 'app-07' });
    expect(byApp.applications).toHaveLength(2000);
    expect(new Set(byApp.applications.map(a => a.name))).toEqual(
      new Set(['app-07']),
    );

    // cluster-1900 to cluster-1999 (names are zero-padded), with all their applications
    const byCluster = applyFilters(big, {
      ...EMPTY_FILTERS,
      text: 'cluster-19',
    });
    expect(byCluster.clusters).toHaveLength(100);
    const shown = new Set(byCluster.clusters.map(c => c.name));
    expect([...shown].every(n => n.includes('cluster-19'))).toBe(true);
    expect(byCluster.applications).toHaveLength(100 * 20);
    expect(byCluster.applications.every(a => shown.has(a.cluster))).toBe(true);
  });
});

describe('URL round trip', () => {
  it('writes repeated params, keeps unrelated ones, and reads both spellings', () => {
    const params = writeFiltersToSearchParams(
      {
        groups: ['group-one', 'hub'],
        statuses: ['unavailable'],
        syncs: [],
        healths: ['Degraded'],
        text: 'hello',
      },
      new URLSearchParams('view=matrix&cluster=east-1'),
    );
    expect(params.toString()).toBe(
      'view=matrix&cluster=east-1&group=group-one&group=hub&status=unavailable&health=Degraded&q=hello',
    );
    expect(filtersFromSearchParams(params)).toEqual({
      groups: ['group-one', 'hub'],
      statuses: ['unavailable'],
      syncs: [],
      healths: ['Degraded'],
      text: 'hello',
    });
    const typed = filtersFromSearchParams(
      new URLSearchParams('group=a,b&health=Bogus,Missing'),
    );
    expect(typed.groups).toEqual(['a', 'b']);
    expect(typed.healths).toEqual(['Missing']);
    expect(isFiltered(EMPTY_FILTERS)).toBe(false);
    expect(isFiltered(typed)).toBe(true);
  });
});
