export {
  ClusterGroupPicker,
  clusterGroupPickerValidation,
  CLUSTER_GROUP_PICKER_NAME,
} from './ClusterGroupPicker';
export type { ClusterGroupPickerUiOptions } from './ClusterGroupPicker';
