export { TopologyState } from './TopologyState';
