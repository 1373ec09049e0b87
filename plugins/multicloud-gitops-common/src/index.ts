/**
 * Isomorphic code shared by the Multicloud GitOps frontend and backend plugins:
 * the API contract, annotation keys, permissions and status roll-ups.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './permissions';
export * from './types';
export * from './history';
export * from './rollup';
export * from './selector';
export * from './names';
export * from './applicationKey';
export * from './clusterEntities';
export * from './hubCluster';
