/** Pattern CRs on a simulated hub, through its Kubernetes API. */
export const PATTERNS_API = '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1';

/** fetch on a simulated hub's API with its full-rights token, JSON by default. */
export function hubFetcher(sim: { url: string; token: string }) {
  return (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${sim.token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
}

export function simulatedHub(sim: {
  url: string;
  token: string;
  pollPatterns(): Promise<void>;
}) {
  const hubFetch = hubFetcher(sim);
  const patternUrl = (namespace: string, name: string) =>
    `${PATTERNS_API}/namespaces/${namespace}/patterns/${name}`;
  return {
    hubFetch,
    /** Every Pattern on the hub. */
    patterns: async (): Promise<any[]> =>
      (await (await hubFetch(`${PATTERNS_API}/patterns`)).json()).items,
    pattern: async (namespace: string, name: string) =>
      (await hubFetch(patternUrl(namespace, name))).json(),
    /** Uninstalls a Pattern the way the operator's webhook demands: prune annotation, then delete. */
    uninstall: async (namespace: string, name: string) => {
      await hubFetch(patternUrl(namespace, name), {
        method: 'PATCH',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: JSON.stringify({
          metadata: {
            annotations: {
              'patterns.gitops.hybrid-cloud-patterns.io/prune': 'true',
            },
          },
        }),
      });
      // The annotation is a change the simulated operator reconciles (with a fetch of the
      // repository); let it finish, or the delete leaves that fetch running unobserved.
      await sim.pollPatterns();
      const res = await hubFetch(patternUrl(namespace, name), {
        method: 'DELETE',
      });
      if (!res.ok) {
        throw new Error(`deleting Pattern ${namespace}/${name}: ${res.status}`);
      }
    },
  };
}

/**
 * Stops a simulator once its patterns operator has finished fetching: the operator fetches
 * the repository of every Pattern written through the API, and stop() removes its fetch
 * folder without waiting for a fetch in flight. pollPatterns() resolves after the queued
 * reconciles and one more fetch of each Pattern.
 */
export async function stopSimulator(sim: {
  pollPatterns(): Promise<void>;
  stop(): Promise<void>;
}) {
  await sim.pollPatterns();
  await sim.stop();
}
