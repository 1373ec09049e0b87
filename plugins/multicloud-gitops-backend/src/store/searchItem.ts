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

/** `cluster/namespace/name`: an application found through Search is unique by these. */
export function searchKey(
  cluster: string,
  namespace: string,
  name: string,
): string {
  return `${cluster}/${namespace}/${name}`;
}

/** The key of a raw item; an item without a namespace has ''. */
export function searchItemKey(item: KeyedSearchItem): string {
  const namespace = typeof item.namespace === 'string' ? item.namespace : '';
  return searchKey(item.cluster, namespace, item.name);
}
