import { ClusterStatus } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { ManagedClusterRecord } from '../store/records';

const AVAILABLE = 'ManagedClusterConditionAvailable';
const JOINED = 'ManagedClusterJoined';
const UNREACHABLE = 'cluster.open-cluster-management.io/unreachable';
const UNAVAILABLE = 'cluster.open-cluster-management.io/unavailable';

/**
 * The status ACM's own console would show, with the reason a person needs:
 * - pending-import: the hub has not accepted it, or it has never joined;
 * - available: Available=True;
 * - unavailable: Available=False, or Unknown with the unreachable/unavailable taint
 *   (the registration agent stopped renewing its lease);
 * - unknown: joined, but Available is missing or Unknown without a taint.
 */
export function clusterStatus(c: ManagedClusterRecord): {
  status: ClusterStatus;
  reason?: string;
} {
  const cond = (type: string) => c.conditions.find(x => x.type === type);
  const describe = (x?: { reason?: string; message?: string }) =>
    [x?.reason, x?.message].filter(Boolean).join(': ') || undefined;
  if (!c.hubAcceptsClient) {
    return {
      status: 'pending-import',
      reason:
        'The hub has not accepted the cluster yet (spec.hubAcceptsClient is false)',
    };
  }
  const joined = cond(JOINED);
  const available = cond(AVAILABLE);
  if (!joined && !available) {
    const importing = cond('ManagedClusterImportSucceeded');
    return {
      status: 'pending-import',
      reason:
        describe(importing) ?? 'Waiting for the klusterlet to join the hub',
    };
  }
  if (available?.status === 'True') return { status: 'available' };
  const taint = c.taints.find(
    t => t.key === UNREACHABLE || t.key === UNAVAILABLE,
  );
  if (available?.status === 'False') {
    return {
      status: 'unavailable',
      reason: describe(available) ?? 'Available condition is False',
    };
  }
  if (taint) {
    return {
      status: 'unavailable',
      reason: [describe(available), `taint ${taint.key}`]
        .filter(Boolean)
        .join('; '),
    };
  }
  return {
    status: 'unknown',
    reason: describe(available) ?? 'The cluster reports no Available condition',
  };
}
