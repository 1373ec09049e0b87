/*
 * What runs where: an application's revisions across clusters (spread), its sync history
 * with the commits' authors and messages, the diff of live against desired per resource,
 * and rollback to an earlier history entry.
 */
import type { SyncStatus } from './types';

/** What a user may do to one application (the sync permission covers each). @public */
export type ApplicationAction = 'sync' | 'refresh' | 'rollback';

/** One revision of an application and the clusters that run it. @public */
export interface RevisionSpreadEntry {
  /** The deployed commit (or chart version); '' when the cluster's source reports none. */
  revision: string;
  /** Clusters running it, sorted by name. */
  clusters: string[];
}

/**
 * Which revision of one application runs on how many clusters, from the fleet store.
 * @public
 */
export interface RevisionSpread {
  hub: string;
  application: string;
  /** Clusters the application runs on. */
  total: number;
  /** Revisions, the leading one first, then by number of clusters. */
  revisions: RevisionSpreadEntry[];
  /**
   * The revision the others lag behind: the newest one this backend has seen on a cluster,
   * or, when all were first seen together, the one on most clusters. Absent when nothing
   * tells the revisions apart (a tie, or no revision known).
   */
  leading?: string;
  /** Clusters that run another revision than the leading one, sorted by name. */
  lagging: string[];
  /**
   * Clusters whose revision is unknown: ACM Search reports none, so applications no
   * configured Argo CD instance serves show here.
   */
  unknown: string[];
}

/** The commit behind a history entry, as Argo CD's repo server reports it. @public */
export interface CommitInfo {
  author: string;
  /** RFC 3339 */
  date: string;
  message: string;
}

/** One entry of an application's sync history (Argo CD `status.history`). @public */
export interface HistoryEntry {
  /** Argo CD's history id, the one a rollback takes. */
  id: number;
  revision: string;
  deployedAt?: string;
  initiatedBy?: string;
  /** True for the entry the application runs now (the newest). */
  current: boolean;
  /** Absent when the commit could not be read (`commitError` says why). */
  commit?: CommitInfo;
  commitError?: string;
}

/** An application's sync history, newest first. @public */
export interface ApplicationHistory {
  hub: string;
  cluster: string;
  application: string;
  /** How it was read: a configured Argo CD instance, or the hub (ManagedClusterView). */
  through: string;
  /** Whether Argo CD would take a rollback now (it refuses while auto-sync is on). */
  rollbackAllowed: boolean;
  /** Why not, when it would not. */
  rollbackReason?: string;
  entries: HistoryEntry[];
}

/** The difference of one managed resource's live state from its desired state. @public */
export interface ResourceDiff {
  group: string;
  kind: string;
  namespace: string;
  name: string;
  modified: boolean;
  /** A unified diff of the normalised YAML (desired as `---`, live as `+++`); '' when equal. */
  diff: string;
}

/** The live-against-desired diff of an application, per resource. @public */
export interface ApplicationDiff {
  hub: string;
  cluster: string;
  application: string;
  sync?: SyncStatus;
  /** Set when the diff cannot be read this way, with the reason to show. */
  unavailable?: string;
  resources: ResourceDiff[];
}

/** Body of a rollback request. @public */
export interface RollbackRequest {
  entityRef: string;
  /** The history entry to roll back to. */
  id: number;
  appNamespace?: string;
}
