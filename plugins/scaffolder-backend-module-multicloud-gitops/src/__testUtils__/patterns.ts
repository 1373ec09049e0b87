/** Pattern CRs on a simulated hub, through its Kubernetes API. */
export const PATTERNS_API = '/apis/gitops.hybrid-cloud-patterns.io/v1alpha1';

export function simulatedHub(sim: { url: string; token: string }) {
  const hubFetch = (path: string, init: RequestInit = {}) =>
    fetch(`${sim.url}${path}`, {
      ...init,
      headers: {
        authorization: `Bearer ${sim.token}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });
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
      const res = await hubFetch(patternUrl(namespace, name), {
        method: 'DELETE',
      });
      if (!res.ok) {
        throw new Error(`deleting Pattern ${namespace}/${name}: ${res.status}`);
      }
    },
  };
}
