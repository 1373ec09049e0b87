export { ApplicationActions } from './ApplicationActions';
export type { ApplicationActionsProps } from './ApplicationActions';
