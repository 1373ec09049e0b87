export { RevisionSpread, shortSha } from './RevisionSpread';
export type { RevisionSpreadProps } from './RevisionSpread';
