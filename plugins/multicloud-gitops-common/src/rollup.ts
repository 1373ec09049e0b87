import {
  ApplicationRollup,
  ApplicationSummary,
  CLUSTER_STATUSES,
  ClusterRollup,
  ClusterSummary,
  HEALTH_STATUSES,
  HealthStatus,
  SYNC_STATUSES,
  SyncStatus,
  ClusterStatus,
} from './types';

/**
 * Health codes from worst to best. Argo CD itself orders them this way when it rolls the
 * health of an application's resources into the application's health.
 */
const HEALTH_SEVERITY: HealthStatus[] = [
  'Degraded',
  'Missing',
  'Unknown',
  'Progressing',
  'Suspended',
  'Healthy',
];

/** Lower is worse. @public */
export function healthSeverity(health: HealthStatus): number {
  const i = HEALTH_SEVERITY.indexOf(health);
  return i < 0 ? HEALTH_SEVERITY.indexOf('Unknown') : i;
}

/** Lower is worse. @public */
export function clusterStatusSeverity(status: ClusterStatus): number {
  return ['unavailable', 'unknown', 'pending-import', 'available'].indexOf(
    status,
  );
}

function zeroes<K extends string>(keys: K[]): Record<K, number> {
  return Object.fromEntries(keys.map(k => [k, 0])) as Record<K, number>;
}

/** True when an application needs attention: not Synced or not Healthy. @public */
export function isApplicationProblem(
  app: Pick<ApplicationSummary, 'sync' | 'health'>,
) {
  return app.sync !== 'Synced' || app.health !== 'Healthy';
}

/** Counts applications by sync and health and finds the worst health. @public */
export function rollupApplications(
  apps: Iterable<Pick<ApplicationSummary, 'sync' | 'health'>>,
): ApplicationRollup {
  const sync = zeroes<SyncStatus>(SYNC_STATUSES);
  const health = zeroes<HealthStatus>(HEALTH_STATUSES);
  let total = 0;
  let problems = 0;
  let worst = HEALTH_SEVERITY.length - 1;
  for (const app of apps) {
    total++;
    sync[app.sync in sync ? app.sync : 'Unknown']++;
    health[app.health in health ? app.health : 'Unknown']++;
    if (isApplicationProblem(app)) problems++;
    worst = Math.min(worst, healthSeverity(app.health));
  }
  return { total, sync, health, worstHealth: HEALTH_SEVERITY[worst], problems };
}

/** Counts clusters by status and sums their policy compliance. @public */
export function rollupClusters(
  clusters: Iterable<Pick<ClusterSummary, 'status' | 'policies'>>,
): ClusterRollup {
  const status = zeroes<ClusterStatus>(CLUSTER_STATUSES);
  const policies = { compliant: 0, nonCompliant: 0, pending: 0 };
  let total = 0;
  for (const c of clusters) {
    total++;
    status[c.status in status ? c.status : 'unknown']++;
    policies.compliant += c.policies.compliant;
    policies.nonCompliant += c.policies.nonCompliant;
    policies.pending += c.policies.pending;
  }
  return { total, status, policies };
}

/**
 * Orders applications so the worst problems come first: unhealthy before out of sync
 * before fine, then by cluster and name so the order is stable between refreshes.
 * @public
 */
export function compareApplicationsWorstFirst(
  a: Pick<ApplicationSummary, 'sync' | 'health' | 'cluster' | 'name'>,
  b: Pick<ApplicationSummary, 'sync' | 'health' | 'cluster' | 'name'>,
): number {
  return (
    healthSeverity(a.health) - healthSeverity(b.health) ||
    Number(a.sync === 'Synced') - Number(b.sync === 'Synced') ||
    a.cluster.localeCompare(b.cluster) ||
    a.name.localeCompare(b.name)
  );
}
