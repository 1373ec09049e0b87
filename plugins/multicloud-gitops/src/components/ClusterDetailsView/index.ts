export { ClusterDetailsSections, ClusterHeadline } from './ClusterDetailsView';
export type {
  ClusterDetailsSectionsProps,
  ClusterHeadlineProps,
} from './ClusterDetailsView';
