export { ApplicationDiff } from './ApplicationDiff';
