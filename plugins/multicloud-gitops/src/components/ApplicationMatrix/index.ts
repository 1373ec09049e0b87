export { ApplicationMatrix, buildMatrix } from './ApplicationMatrix';
export type { ApplicationMatrixProps } from './ApplicationMatrix';
