export { createValidatePatternAction } from './validatePattern';
export { createAddClusterGroupAction } from './addClusterGroup';
export { createAddApplicationAction } from './addApplication';
export { createClusterImportAction } from './clusterImport';
export type {
  ClusterImportActionOptions,
  ClusterUrlBuilder,
} from './clusterImport';
export { createClusterWaitAvailableAction } from './clusterWaitAvailable';
export { createPatternInstallAction } from './patternInstall';
export type { PatternInstallActionOptions } from './patternInstall';
export { createPublishLocalAction } from './publishLocal';
export { createCreatePatternAction } from './createPattern';
export { createFetchLocalAction } from './fetchLocal';
export type { LocalGitOptions } from './publishLocal';
