/**
 * Kubernetes backend module: reaches managed clusters through their ACM hub's cluster-proxy.
 *
 * @packageDocumentation
 */
export { kubernetesModuleMulticloudGitops as default } from './module';
