import type { Store } from './store/store';
import type { Tokens } from './admin/tokens';
import type { Counters } from './admin/counters';
import type { Faults } from './admin/faults';
import type { Prng } from './util/prng';

export const HUB = 'local-cluster';

export interface ResolvedOptions {
  port: number;
  host: string;
  clusters: number;
  groups: number;
  appsPerCluster: number;
  seed: number | string;
  pattern: string;
  /** the hub's own name when there are several hubs (local-cluster stays the ManagedCluster) */
  hubName?: string;
  tickMs?: number;
  fixtures?: string;
  token: string;
  readOnlyToken: string;
  tls: boolean;
  argocdUsername: string;
  argocdPassword: string;
  /** emulated Argo CD release (`fields` allow-list, /api/version): v2.14 ... v3.5 */
  argocdVersion: string;
  /** how long an Argo CD sync operation runs before it finishes */
  syncDurationMs: number;
  /** interval of BOOKMARK events on watches that asked for them */
  bookmarkIntervalMs: number;
  /** how long an imported ManagedCluster takes to join */
  importDelayMs: number;
  crdDir: string | null;
  logger: (line: string) => void;
}

/** Open long-lived responses (k8s watches, Argo CD streams) the admin API can break. */
export interface OpenStream {
  kind: 'k8s-watch' | 'argocd-stream';
  /** end the stream as upstream does when the RV is compacted (k8s: ERROR 410 event) */
  expire(): void;
  close(): void;
}

/** Everything the route handlers share. One per running simulator. */
export interface SimContext {
  options: ResolvedOptions;
  store: Store;
  tokens: Tokens;
  counters: Counters;
  faults: Faults;
  streams: Set<OpenStream>;
  /** PRNG for run-time changes (tick, sync outcomes): seeded, so runs repeat */
  runtimePrng: Prng;
  /** timers owned by the simulator; all cleared by stop() */
  timers: Set<NodeJS.Timeout>;
  log(line: string): void;
  now(): string;
  /** called by writes so derived state (search index caches etc.) can react */
  setTimer(fn: () => void, ms: number): NodeJS.Timeout;
}
