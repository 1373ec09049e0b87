/**
 * Backend plugin for Multicloud GitOps: fleet topology and sync health from ACM and Argo CD.
 *
 * @packageDocumentation
 */
export { multicloudGitopsPlugin as default } from './plugin';
