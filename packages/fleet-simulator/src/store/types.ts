export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: unknown[];
  finalizers?: string[];
  [k: string]: unknown;
}

/** A Kubernetes object as stored: plain JSON, never mutated after being stored. */
export interface KObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [k: string]: any;
}

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  rv: number;
  type: EventType;
  /** the cluster the object lives on ("local-cluster" = the hub's own API) */
  cluster: string;
  typeKey: string;
  object: KObject;
  /** previous version (MODIFIED/DELETED): lets filtered watches emit DELETED/ADDED transitions */
  previous?: KObject;
}
