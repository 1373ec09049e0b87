export { ApplicationHistory } from './ApplicationHistory';
export type { ApplicationHistoryProps } from './ApplicationHistory';
export { ApplicationPanel } from './ApplicationPanel';
export type { ApplicationPanelProps } from './ApplicationPanel';
