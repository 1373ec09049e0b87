export { multicloudGitopsApiRef } from './types';
export type {
  MulticloudGitopsApi,
  TopologyRequest,
  FleetRequest,
  ApplicationActionRequest,
  ChangeStreamState,
  TopologyChangeListener,
  RequestOptions,
  ApplicationRef,
  RollbackRequest,
  RevisionSpreadRequest,
} from './types';
export { MulticloudGitopsClient } from './MulticloudGitopsClient';
export type { MulticloudGitopsClientOptions } from './MulticloudGitopsClient';
export type { ChangeStreamOptions } from './ChangeStream';
