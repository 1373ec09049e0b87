export { ApplicationMatrix } from './ApplicationMatrix';
export type { ApplicationMatrixProps } from './ApplicationMatrix';
export { buildMatrix } from './model';
