/*
 * ACM Search answers as the Search API writes them: raw Application items and pages.
 */

/** An Application item as Search v2 returns it. */
export const item = (cluster: string, name: string, extra: object = {}) => ({
  kind: 'Application',
  apigroup: 'argoproj.io',
  cluster,
  namespace: 'openshift-gitops',
  name,
  syncStatus: 'Synced',
  healthStatus: 'Healthy',
  ...extra,
});

/** A page of the `searchResult` query, as its bytes. */
export const page = (items: unknown[]) =>
  Buffer.from(JSON.stringify({ data: { searchResult: [{ items }] } }));

/** `cluster/name` of each raw item, sorted. */
export const names = (xs: unknown[]) =>
  xs.map(x => `${(x as any).cluster}/${(x as any).name}`).sort();
