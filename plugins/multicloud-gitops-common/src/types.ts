/**
 * The typed contract of the Multicloud GitOps backend API (`/api/multicloud-gitops/v1`).
 * The backend produces these shapes and the frontend consumes them; the OpenAPI file next
 * to the backend router documents the same shapes for other clients.
 */
import type { ApplicationAction } from './history';

/** Health of one upstream source, as seen by the backend's fleet store. @public */
export type SourceState = 'ok' | 'stale' | 'error';

/** @public */
export type SourceKind = 'acm' | 'search' | 'argocd' | 'config';

/** @public */
export interface SourceStatus {
  /** Stable name, e.g. `acm`, `search`, `argocd/hub`. */
  name: string;
  kind: SourceKind;
  state: SourceState;
  /** ISO time the source entered this state. */
  since: string;
  /** What went wrong and what to fix, when not `ok`. Never holds a credential. */
  message?: string;
  /** Upstream objects skipped because they were malformed. */
  skipped?: number;
  /** ISO time of the last successful read, if any. */
  lastSuccess?: string;
}

/** @public */
export type ClusterStatus =
  | 'available'
  | 'unavailable'
  | 'unknown'
  | 'pending-import';

/** Argo CD sync status codes. @public */
export type SyncStatus = 'Synced' | 'OutOfSync' | 'Unknown';

/** Argo CD health status codes. @public */
export type HealthStatus =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

/** @public */
export const SYNC_STATUSES: SyncStatus[] = ['Synced', 'OutOfSync', 'Unknown'];
/** @public */
export const HEALTH_STATUSES: HealthStatus[] = [
  'Healthy',
  'Progressing',
  'Degraded',
  'Suspended',
  'Missing',
  'Unknown',
];
/** @public */
export const CLUSTER_STATUSES: ClusterStatus[] = [
  'available',
  'unavailable',
  'unknown',
  'pending-import',
];

/** Policy compliance counts for a cluster, group or hub. @public */
export interface PolicyCounts {
  compliant: number;
  nonCompliant: number;
  pending: number;
}

/**
 * A managed cluster as topology answers list it: what the views draw, without labels. A
 * 2,000-cluster fleet lists every cluster in one answer, so the list shape stays small;
 * `GET /hubs/:hub/clusters/:cluster` gives the {@link ClusterDetails} with labels.
 * @public
 */
export interface ClusterSummary {
  name: string;
  /** Value of the `clusterGroup` label, `hub` for the hub, or {@link UNGROUPED}. */
  group: string;
  status: ClusterStatus;
  /** Why the status is what it is (condition reason/message or taint). */
  statusReason?: string;
  isHub: boolean;
  cloud?: string;
  vendor?: string;
  region?: string;
  openshiftVersion?: string;
  kubernetesVersion?: string;
  consoleUrl?: string;
  clusterSet?: string;
  /** A newer OpenShift version the cluster can upgrade to, if ACM reports one. */
  availableUpgrade?: string;
  policies: PolicyCounts;
  /** Argo CD instance that serves the cluster's applications, if any. */
  argocdInstance?: string;
}

/** A managed cluster with its labels (cluster details). @public */
export interface ClusterWithLabels extends ClusterSummary {
  labels: Record<string, string>;
}

/**
 * An Argo CD application as topology answers list it: identity, where it runs, sync and
 * health. A whole-fleet answer lists tens of thousands, so source, destination and labels
 * are left to {@link ApplicationDetails} (cluster details), and the key that tells one
 * application from another is not sent: {@link applicationKey} derives it from the fields.
 * @public
 */
export interface ApplicationSummary {
  name: string;
  namespace: string;
  /** Managed cluster the application runs on (joined through Search, cluster secret or destination). */
  cluster: string;
  /** Argo CD instance that owns it, when known; `undefined` when only Search reported it. */
  instance?: string;
  sync: SyncStatus;
  health: HealthStatus;
  /** Phase of the running or last operation (`Running`, `Succeeded`, `Failed`, ...). */
  operationPhase?: string;
  targetRevision?: string;
  /** Deployed revision. */
  revision?: string;
  /** True for the pattern's app-of-apps (`<pattern>-<group>`). */
  appOfApps: boolean;
  /** Link into the Argo CD UI when the instance has a URL. */
  argocdUrl?: string;
}

/** An application with its source, destination and labels (cluster details). @public */
export interface ApplicationDetails extends ApplicationSummary {
  project?: string;
  repoURL?: string;
  path?: string;
  /** Helm chart, for an application deployed from a chart repository. */
  chart?: string;
  /** The chart's version or version range (the chart source's targetRevision). */
  chartVersion?: string;
  destinationServer?: string;
  destinationNamespace?: string;
  labels: Record<string, string>;
  /**
   * Why Argo CD cannot compare the application with its source: its ComparisonError
   * condition's message, e.g. a values file of the pattern that does not render.
   */
  comparisonError?: string;
}

/** @public */
export interface StatusCount<K extends string> {
  total: number;
  counts: Record<K, number>;
}

/** Roll-up of a set of applications (see `rollupApplications`). @public */
export interface ApplicationRollup {
  total: number;
  sync: Record<SyncStatus, number>;
  health: Record<HealthStatus, number>;
  /** Worst health among the applications; `Healthy` for none. */
  worstHealth: HealthStatus;
  /** Applications that are not Synced or not Healthy. */
  problems: number;
}

/** Roll-up of a set of clusters (see `rollupClusters`). @public */
export interface ClusterRollup {
  total: number;
  status: Record<ClusterStatus, number>;
  policies: PolicyCounts;
}

/** @public */
export interface GroupSummary {
  name: string;
  /** Cluster names in this group, sorted. */
  clusters: string[];
  clusterRollup: ClusterRollup;
  applicationRollup: ApplicationRollup;
}

/** A condition of a Pattern CR, as the patterns operator writes it. @public */
export interface PatternCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/**
 * The hub's Pattern CR (`gitops.hybrid-cloud-patterns.io`) as the patterns operator reports
 * it, with what Argo CD last deployed of it. @public
 */
export interface PatternStatus {
  name: string;
  namespace: string;
  clusterGroupName?: string;
  targetRepo?: string;
  targetRevision?: string;
  conditions: PatternCondition[];
  /** The operator's last step and error (`status.lastStep`, `status.lastError`). */
  lastStep?: string;
  lastError?: string;
  /** The app of apps `<name>-<clusterGroupName>` on the hub's Argo CD, once seen. */
  appOfApps?: {
    name: string;
    sync: SyncStatus;
    health: HealthStatus;
    /** The commit it last synced to. */
    revision?: string;
  };
}

/** @public */
export interface HubInfo {
  /** Hub id from config (`multicloudGitops.hubs[].name`). */
  id: string;
  title: string;
  /** Name of the ManagedCluster labelled `local-cluster=true`, once seen. */
  clusterName?: string;
  /** The pattern this hub runs, and where that was learned from. */
  pattern?: string;
  patternSource?: 'pattern-cr' | 'argocd-label' | 'config';
  /** The Pattern CR on the hub, when there is one. */
  patternStatus?: PatternStatus;
  /** Links a user may follow; never carry credentials. */
  consoleUrl?: string;
  acmConsoleUrl?: string;
  argocdUrl?: string;
}

/** `GET /hubs` item. @public */
export interface HubState extends HubInfo {
  sources: SourceStatus[];
  clusterCount: number;
  applicationCount: number;
}

/** `GET /hubs` answer. @public */
export interface HubsResponse {
  hubs: HubState[];
}

/** `GET /topology` and `GET /entity-topology` answer. @public */
export interface TopologyResponse {
  hub: HubInfo;
  pattern: string;
  /** Narrowing applied (group, application names or selector), for display. */
  scope?: {
    group?: string;
    applications?: string[];
    selector?: string;
    entityRef?: string;
  };
  groups: GroupSummary[];
  clusters: ClusterSummary[];
  applications: ApplicationSummary[];
  sources: SourceStatus[];
  /**
   * Identity of the fleet store that built this answer: one per hub in each backend
   * replica, new at every start. Versions of different stores are not comparable.
   */
  storeId: string;
  /** Monotonic within one store (see `storeId`); also the basis of the ETag. */
  version: number;
  generatedAt: string;
  clusterRollup: ClusterRollup;
  applicationRollup: ApplicationRollup;
}

/** @public */
export interface ClusterCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface ClusterNode {
  name: string;
  roles: string[];
  ready: boolean;
  cpu?: string;
  memory?: string;
}

/** @public */
export interface PolicyStatus {
  name: string;
  namespace: string;
  compliance: 'Compliant' | 'NonCompliant' | 'Pending' | 'Unknown';
  remediationAction?: string;
  severity?: string;
}

/** `GET /hubs/:hub/clusters/:cluster` answer. @public */
export interface ClusterDetails {
  hub: HubInfo;
  cluster: ClusterWithLabels;
  conditions: ClusterCondition[];
  taints: { key: string; effect: string; value?: string }[];
  claims: Record<string, string>;
  nodes: ClusterNode[];
  availableUpgrades: string[];
  policies: PolicyStatus[];
  applications: ApplicationDetails[];
  links: {
    title: string;
    url: string;
    kind: 'openshift-console' | 'acm-console' | 'argocd';
  }[];
  sources: SourceStatus[];
  /**
   * Whether the hub can carry Sync and Refresh to this cluster's applications that no
   * configured Argo CD instance serves (ACM `ManagedClusterAction`): true while the cluster
   * is available. Absent means false.
   */
  hubActions?: boolean;
}

/** Push-channel event (`GET /events`, Server-Sent Events). @public */
export interface TopologyChangedEvent {
  type: 'topology-changed';
  hub: string;
  /** The store that changed (see {@link TopologyResponse.storeId}). */
  storeId: string;
  version: number;
}

/** `POST .../sync` and `.../refresh` answer. @public */
export interface ApplicationActionResponse {
  hub: string;
  /** The configured Argo CD instance that took the call; absent when the hub carried it. */
  instance?: string;
  application: string;
  action: ApplicationAction;
  /** What Argo CD reports right after the call. */
  sync: SyncStatus;
  health: HealthStatus;
  operationPhase?: string;
  message: string;
}

/**
 * How `GET /fleet` orders clusters: `topology` (hub, then the hub's own cluster, cluster
 * groups, name), `name`, `status` (worst cluster status first) or `problems` (most
 * applications not Synced or not Healthy first).
 * @public
 */
export type FleetSort = 'topology' | 'name' | 'status' | 'problems';

/** @public */
export const FLEET_SORTS: FleetSort[] = [
  'topology',
  'name',
  'status',
  'problems',
];

/** A cluster group of a hub, counted (the clusters themselves are paged). @public */
export interface FleetGroupSummary {
  name: string;
  clusterRollup: ClusterRollup;
  applicationRollup: ApplicationRollup;
}

/** One hub in a `GET /fleet` answer: what it is, its sources and its groups, unfiltered. @public */
export interface FleetHubSummary {
  hub: HubInfo;
  pattern: string;
  sources: SourceStatus[];
  /** See {@link TopologyResponse.storeId}. */
  storeId: string;
  version: number;
  generatedAt: string;
  groups: FleetGroupSummary[];
  clusterRollup: ClusterRollup;
  applicationRollup: ApplicationRollup;
}

/** A cluster row of a `GET /fleet` page, with the roll-up of its matching applications. @public */
export interface FleetCluster extends ClusterSummary {
  hub: string;
  applicationRollup: ApplicationRollup;
}

/** An application in a `GET /fleet` matrix window. @public */
export interface FleetApplication extends ApplicationSummary {
  hub: string;
}

/** A slice of an ordered list, with the list's length. @public */
export interface FleetWindow<T> {
  offset: number;
  total: number;
  items: T[];
}

/**
 * `GET /fleet` answer: the hubs' summaries, what the filters match in total, one page of
 * clusters and, for the matrix, a window of application names with the applications of
 * that window on the page's clusters. No answer carries the whole fleet.
 * @public
 */
export interface FleetResponse {
  hubs: FleetHubSummary[];
  /** Narrowing from the entity, when the answer is an entity's view. */
  scope?: TopologyResponse['scope'];
  sort: FleetSort;
  /** Totals of everything the filters match, on every page. */
  matched: {
    clusterRollup: ClusterRollup;
    applicationRollup: ApplicationRollup;
  };
  clusters: FleetWindow<FleetCluster>;
  /** Matrix rows: the distinct names of the matching applications, sorted. */
  applicationNames: FleetWindow<string>;
  /** The matching applications of the page's clusters whose names are in the window. */
  applications: FleetApplication[];
}
