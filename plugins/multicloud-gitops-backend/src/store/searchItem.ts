/*
 * What identifies an application found through ACM Search, in one place for the record
 * parser, the store (which keys its Search records by it) and the Search diff worker (which
 * keys raw items on its own thread, before any record exists).
 */
import { isObject } from './plainData';

/** A raw Search item that names its application. */
export type KeyedSearchItem = Record<string, unknown> & {
  name: string;
  cluster: string;
};

/** Whether a raw Search item has a non-empty `name` and `cluster`; if not, it is malformed. */
export function isKeyedSearchItem(item: unknown): item is KeyedSearchItem {
  return (
    isObject(item) &&
    typeof item.name === 'string' &&
    typeof item.cluster === 'string' &&
    item.name !== '' &&
    item.cluster !== ''
  );
}

/**
 * `cluster/namespace/name`: an application found through Search is unique by these. A key
 * is made of two pieces that repeat across the fleet, `cluster/` and `namespace/name`;
 * `piece`, when given, hands back a shared copy of each, so that a key is one small string
 * joining two shared ones (see searchDiffWorker.ts).
 */
export function searchKey(
  cluster: string,
  namespace: string,
  name: string,
  piece: (s: string) => string = s => s,
): string {
  return piece(`${cluster}/`) + piece(`${namespace}/${name}`);
}

/** The key of a raw item; an item without a namespace has ''. */
export function searchItemKey(
  item: KeyedSearchItem,
  piece?: (s: string) => string,
): string {
  const namespace = typeof item.namespace === 'string' ? item.namespace : '';
  return searchKey(item.cluster, namespace, item.name, piece);
}

/**
 * A key's cluster and its `namespace/name`, or undefined for what is not a key. Cluster
 * names hold no `/`, so the first one ends the cluster.
 */
export function splitSearchKey(key: string): [string, string] | undefined {
  const i = key.indexOf('/');
  return i < 0 ? undefined : [key.slice(0, i), key.slice(i + 1)];
}
