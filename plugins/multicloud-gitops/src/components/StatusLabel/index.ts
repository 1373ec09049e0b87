export {
  ClusterStatusLabel,
  SyncStatusLabel,
  HealthStatusLabel,
  SourceStateLabel,
  clusterStatusText,
  syncStatusText,
  healthStatusText,
  CLUSTER_STATUS,
  SYNC_STATUS,
  HEALTH_STATUS,
  SOURCE_STATE,
  StatusText,
} from './StatusLabel';
