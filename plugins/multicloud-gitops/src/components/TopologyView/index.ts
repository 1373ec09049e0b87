export { TopologyView, ApplicationCounts } from './TopologyView';
export type { TopologyViewProps } from './TopologyView';
