export { multicloudGitopsApiRef } from './types';
export type {
  MulticloudGitopsApi,
  TopologyRequest,
  FleetRequest,
  ApplicationActionRequest,
  ChangeStreamState,
  TopologyChangeListener,
  RequestOptions,
} from './types';
export { MulticloudGitopsClient } from './MulticloudGitopsClient';
export type { MulticloudGitopsClientOptions } from './MulticloudGitopsClient';
export type { ChangeStreamOptions } from './ChangeStream';
