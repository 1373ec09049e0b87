export { ErrorWithRetry, TopologyState } from './TopologyState';
