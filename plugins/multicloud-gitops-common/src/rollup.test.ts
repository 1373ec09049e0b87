import {
  compareApplicationsWorstFirst,
  rollupApplications,
  rollupClusters,
} from './rollup';

describe('rollupApplications', () => {
  it('counts sync and health and finds the worst health', () => {
    const r = rollupApplications([
      { sync: 'Synced', health: 'Healthy' },
      { sync: 'OutOfSync', health: 'Progressing' },
      { sync: 'Synced', health: 'Degraded' },
    ]);
    expect(r.total).toBe(3);
    expect(r.sync).toEqual({ Synced: 2, OutOfSync: 1, Unknown: 0 });
    expect(r.health.Degraded).toBe(1);
    expect(r.worstHealth).toBe('Degraded');
    expect(r.problems).toBe(2);
  });

  it('is Healthy with nothing to count, and buckets unknown codes as Unknown', () => {
    expect(rollupApplications([]).worstHealth).toBe('Healthy');
    const r = rollupApplications([
      { sync: 'Weird' as any, health: 'Odd' as any },
    ]);
    expect(r.sync.Unknown).toBe(1);
    expect(r.health.Unknown).toBe(1);
    expect(r.worstHealth).toBe('Unknown');
  });
});

describe('rollupClusters', () => {
  it('counts statuses and sums policy compliance', () => {
    const r = rollupClusters([
      {
        status: 'available',
        policies: { compliant: 2, nonCompliant: 1, pending: 0 },
      },
      {
        status: 'unavailable',
        policies: { compliant: 0, nonCompliant: 0, pending: 3 },
      },
    ]);
    expect(r.status).toEqual({
      available: 1,
      unavailable: 1,
      unknown: 0,
      'pending-import': 0,
    });
    expect(r.policies).toEqual({ compliant: 2, nonCompliant: 1, pending: 3 });
  });
});

describe('compareApplicationsWorstFirst', () => {
  it('puts degraded first, then out of sync, then the rest by cluster and name', () => {
    const apps = [
      { name: 'b', cluster: 'c1', sync: 'Synced', health: 'Healthy' },
      { name: 'a', cluster: 'c2', sync: 'OutOfSync', health: 'Healthy' },
      { name: 'z', cluster: 'c3', sync: 'Synced', health: 'Degraded' },
      { name: 'a', cluster: 'c1', sync: 'Synced', health: 'Healthy' },
    ] as const;
    const sorted = [...apps].sort(compareApplicationsWorstFirst);
    expect(sorted.map(a => `${a.cluster}/${a.name}`)).toEqual([
      'c3/z',
      'c2/a',
      'c1/a',
      'c1/b',
    ]);
  });
});
