import { createApiRef } from '@backstage/core-plugin-api';
import {
  ApplicationActionResponse,
  ApplicationDiff,
  ApplicationHistory,
  ClusterDetails,
  ClusterStatus,
  FleetResponse,
  FleetSort,
  HealthStatus,
  HubsResponse,
  RevisionSpread,
  SyncStatus,
  TopologyChangedEvent,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';

/**
 * Which topology to load from `GET /v1/topology`.
 * @public
 */
export interface TopologyRequest {
  pattern: string;
  hub?: string;
  group?: string;
}

/**
 * One page of the fleet across hubs (`GET /fleet`): filters, sorting and paging are done by
 * the backend. Empty lists mean no restriction.
 * @public
 */
export interface FleetRequest {
  /** An entity's fleet (its annotations narrow it); otherwise every hub, or those of `pattern`. */
  entityRef?: string;
  pattern?: string;
  hubs?: string[];
  groups?: string[];
  statuses?: ClusterStatus[];
  syncs?: SyncStatus[];
  healths?: HealthStatus[];
  /** A cluster's name, cloud, region or OpenShift version, or an application name. */
  text?: string;
  sort?: FleetSort;
  /** First cluster row, and how many (at most 200). */
  offset?: number;
  limit?: number;
  /** First application name of the matrix window, and how many (at most 100; 0 for none). */
  appOffset?: number;
  appLimit?: number;
}

/**
 * Identifies one Argo CD application for a sync or refresh.
 * @public
 */
export interface ApplicationActionRequest {
  hub: string;
  /**
   * Argo CD instance that owns the application. Without one, the action goes to `cluster`,
   * and the hub carries it there (see `ClusterDetails.hubActions`).
   */
  instance?: string;
  /** Managed cluster the application runs on; needed when there is no `instance`. */
  cluster?: string;
  /** Application name as Argo CD knows it. */
  name: string;
  /**
   * Namespace of the Application resource; tells apart same-named applications of one
   * instance (Argo CD "apps in any namespace").
   */
  namespace?: string;
  /**
   * The catalog entity the user acts through; the backend authorizes the
   * `multicloud-gitops.application.sync` permission against it.
   */
  entityRef: string;
}

/**
 * One application on one managed cluster, for its history and diff.
 * @public
 */
export interface ApplicationRef {
  hub: string;
  cluster: string;
  name: string;
  /** Namespace of the Application resource, when the cluster has same-named ones. */
  namespace?: string;
}

/**
 * A rollback of an application to one of its history entries.
 * @public
 */
export interface RollbackRequest extends ApplicationRef {
  /** The history entry (Argo CD's history id). */
  id: number;
  /** The catalog entity the user acts through (the sync permission is checked on it). */
  entityRef: string;
}

/**
 * Whose revision spread to load: an entity's view, or a whole hub.
 * @public
 */
export interface RevisionSpreadRequest {
  name: string;
  entityRef?: string;
  hub?: string;
}

/**
 * State of the push channel, so views can tell the user whether what they see is live.
 * - `connecting`: first attempt or a retry in progress
 * - `live`: the event stream is open
 * - `polling`: the stream failed repeatedly; subscribers should poll instead
 * @public
 */
export type ChangeStreamState = 'connecting' | 'live' | 'polling';

/** @public */
export interface TopologyChangeListener {
  /**
   * Called for each change the stream announces. A listener that subscribes while the
   * stream is live is first given the newest change of each hub the stream has seen, so a
   * view loaded just before it subscribed can tell from the versions whether it missed one.
   */
  onEvent(event: TopologyChangedEvent): void;
  /** Called on every state change, and once right away with the current state. */
  onStateChange?(state: ChangeStreamState): void;
}

/** @public */
export interface RequestOptions {
  signal?: AbortSignal;
}

/**
 * Client of the Multicloud GitOps backend (`/api/multicloud-gitops/v1`).
 * @public
 */
export interface MulticloudGitopsApi {
  getHubs(options?: RequestOptions): Promise<HubsResponse>;
  /**
   * Loads a pattern's topology. Implementations revalidate with the previous ETag and
   * resolve to the *same object* when the backend answers 304, so React memoisation
   * downstream skips all work for an unchanged fleet.
   */
  getTopology(
    request: TopologyRequest,
    options?: RequestOptions,
  ): Promise<TopologyResponse>;
  /** Loads the topology narrowed to one catalog entity (`kind:namespace/name`). */
  getEntityTopology(
    entityRef: string,
    options?: RequestOptions,
  ): Promise<TopologyResponse>;
  /**
   * Loads one page of the fleet across hubs. Like {@link MulticloudGitopsApi.getTopology},
   * resolves to the same object when the backend answers 304.
   */
  getFleet(
    request: FleetRequest,
    options?: RequestOptions,
  ): Promise<FleetResponse>;
  getClusterDetails(
    hub: string,
    cluster: string,
    options?: RequestOptions,
  ): Promise<ClusterDetails>;
  syncApplication(
    request: ApplicationActionRequest,
  ): Promise<ApplicationActionResponse>;
  refreshApplication(
    request: ApplicationActionRequest,
  ): Promise<ApplicationActionResponse>;
  /** Which revision of an application runs on how many clusters (from the backend's store). */
  getRevisionSpread(
    request: RevisionSpreadRequest,
    options?: RequestOptions,
  ): Promise<RevisionSpread>;
  /** An application's sync history with commits, read from Argo CD when asked. */
  getApplicationHistory(
    app: ApplicationRef,
    options?: RequestOptions,
  ): Promise<ApplicationHistory>;
  /** An application's live-against-desired diff per resource, read from Argo CD when asked. */
  getApplicationDiff(
    app: ApplicationRef,
    options?: RequestOptions,
  ): Promise<ApplicationDiff>;
  /** Rolls an application back to a history entry (the sync permission). */
  rollbackApplication(
    request: RollbackRequest,
  ): Promise<ApplicationActionResponse>;
  /**
   * Subscribes to `topology-changed` events from the backend's push channel. One stream is
   * shared by all subscribers and closed when the last one leaves.
   * @returns a function that unsubscribes
   */
  subscribe(listener: TopologyChangeListener): () => void;
}

/** @public */
export const multicloudGitopsApiRef = createApiRef<MulticloudGitopsApi>({
  id: 'plugin.multicloud-gitops.service',
});
