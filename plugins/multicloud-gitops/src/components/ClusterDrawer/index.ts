export { ClusterDrawer } from './ClusterDrawer';
export type { ClusterDrawerProps } from './ClusterDrawer';
