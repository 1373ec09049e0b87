export { FleetView } from './FleetView';
export type { FleetViewProps } from './FleetView';
export { FleetStatusLine } from './FleetView';
