import { toManagedCluster } from '../store/records';
import { clusterStatus } from './clusterStatus';

const mc = (spec: object, status: object = {}) =>
  toManagedCluster({ metadata: { name: 'c1', labels: {} }, spec, status });
const cond = (
  type: string,
  status: string,
  reason?: string,
  message?: string,
) => ({ type, status, reason, message });

describe('clusterStatus', () => {
  it('is available when Available=True', () => {
    expect(
      clusterStatus(
        mc(
          { hubAcceptsClient: true },
          {
            conditions: [
              cond('ManagedClusterJoined', 'True'),
              cond('ManagedClusterConditionAvailable', 'True'),
            ],
          },
        ),
      ),
    ).toEqual({ status: 'available' });
  });

  it('is unavailable when the lease stopped and the unreachable taint is set, with the reason', () => {
    const r = clusterStatus(
      mc(
        {
          hubAcceptsClient: true,
          taints: [
            {
              key: 'cluster.open-cluster-management.io/unreachable',
              effect: 'NoSelect',
            },
          ],
        },
        {
          conditions: [
            cond('ManagedClusterJoined', 'True'),
            cond(
              'ManagedClusterConditionAvailable',
              'Unknown',
              'ManagedClusterLeaseUpdateStopped',
              'Registration agent stopped updating its lease.',
            ),
          ],
        },
      ),
    );
    expect(r.status).toBe('unavailable');
    expect(r.reason).toContain('ManagedClusterLeaseUpdateStopped');
    expect(r.reason).toContain('unreachable');
  });

  it('is pending-import before the hub accepts it or before it joins', () => {
    expect(clusterStatus(mc({ hubAcceptsClient: false })).status).toBe(
      'pending-import',
    );
    expect(clusterStatus(mc({ hubAcceptsClient: true })).status).toBe(
      'pending-import',
    );
  });

  it('is unknown when joined but Available is Unknown without a taint', () => {
    expect(
      clusterStatus(
        mc(
          { hubAcceptsClient: true },
          {
            conditions: [
              cond('ManagedClusterJoined', 'True'),
              cond('ManagedClusterConditionAvailable', 'Unknown'),
            ],
          },
        ),
      ).status,
    ).toBe('unknown');
  });

  it('is unavailable when Available=False', () => {
    expect(
      clusterStatus(
        mc(
          { hubAcceptsClient: true },
          {
            conditions: [
              cond('ManagedClusterJoined', 'True'),
              cond('ManagedClusterConditionAvailable', 'False', 'Bad'),
            ],
          },
        ),
      ),
    ).toEqual({ status: 'unavailable', reason: 'Bad' });
  });
});
