import type { ApplicationSummary } from './types';

/**
 * The key of an application within a topology answer or a cluster's details:
 * `<cluster>/<namespace>/<name>`, for React keys and for matching a topology's application
 * with the same application in the cluster details.
 *
 * It is derived rather than sent because a whole-fleet answer lists tens of thousands of
 * applications, and a key on every one of them was a fifth of the answer's bytes.
 * @public
 */
export function applicationKey(
  app: Pick<ApplicationSummary, 'cluster' | 'namespace' | 'name'>,
): string {
  return `${app.cluster}/${app.namespace}/${app.name}`;
}
