export { FleetSkeleton } from './FleetSkeleton';
