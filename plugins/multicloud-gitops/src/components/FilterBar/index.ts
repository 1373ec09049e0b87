export { FilterBar, TEXT_DEBOUNCE_MS } from './FilterBar';
export type { FilterBarProps } from './FilterBar';
