export { FleetView } from './FleetView';
export type { FleetViewProps } from './FleetView';
export { FleetStatusLine, FleetViewTabs } from './FleetView';
