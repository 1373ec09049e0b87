/**
 * Catalog backend module: ACM hubs, cluster groups and managed clusters as catalog entities.
 *
 * @packageDocumentation
 */
export { catalogModuleMulticloudGitops as default } from './module';
