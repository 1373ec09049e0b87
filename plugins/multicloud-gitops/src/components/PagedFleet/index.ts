export { PagedFleet } from './PagedFleet';
export type { PagedFleetProps } from './PagedFleet';
