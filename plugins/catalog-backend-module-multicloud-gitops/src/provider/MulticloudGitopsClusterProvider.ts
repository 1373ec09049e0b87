/*
 * One entity provider per hub. The first run lists the hub's ManagedClusters and emits a full
 * mutation; later runs only watch from the remembered resourceVersion for a few seconds and
 * emit a delta holding exactly the entities whose derived JSON changed, so a 5,000-cluster
 * hub costs the catalog a handful of entity writes per run, not 5,000. A lease renewal or a
 * condition flip changes nothing an entity carries and emits nothing.
 */
import {
  LoggerService,
  SchedulerServiceTaskRunner,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  EntityProvider,
  EntityProviderConnection,
} from '@backstage/plugin-catalog-node';
import {
  HubSettings,
  kubernetesErrorStatus,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { ClusterProviderConfig } from './config';
import {
  buildEntities,
  ClusterRecord,
  MalformedClusterError,
  toClusterRecord,
} from './entities';
import {
  describeHubError,
  HubClusterReader,
  KubernetesHubClusterReader,
} from './HubClusterReader';

const DEFAULT_WATCH_SECONDS = 5;
const HEAL_INTERVAL_MS = 60 * 60 * 1000;

/** Options of {@link MulticloudGitopsClusterProvider}. @public */
export interface MulticloudGitopsClusterProviderOptions {
  hub: HubSettings;
  defaultOwner: string;
  ownerLabel: string;
  logger: LoggerService;
  /** Runs the provider's task; omit to call {@link MulticloudGitopsClusterProvider.refresh} yourself. */
  taskRunner?: SchedulerServiceTaskRunner;
  /** The schedule, to derive how many runs make an hour (the full relist that heals drift). */
  schedule?: SchedulerServiceTaskScheduleDefinition;
  /** How long each run's watch lasts, in seconds. Default 5. */
  watchTimeoutSeconds?: number;
  /** Relist after this many runs. Default: an hour's worth of runs. */
  fullRelistEveryRuns?: number;
  /** The hub reader; default the hub's Kubernetes API from its settings. */
  reader?: HubClusterReader;
}

function runsPerHour(schedule?: SchedulerServiceTaskScheduleDefinition) {
  const f = schedule?.frequency as any;
  if (!f || typeof f !== 'object' || 'cron' in f || 'trigger' in f) return 240;
  const ms =
    typeof f.toMillis === 'function'
      ? f.toMillis()
      : ((f.days ?? 0) * 86400 +
          (f.hours ?? 0) * 3600 +
          (f.minutes ?? 0) * 60 +
          (f.seconds ?? 0)) *
          1000 +
        (f.milliseconds ?? 0);
  return ms > 0 ? Math.max(1, Math.round(HEAL_INTERVAL_MS / ms)) : 240;
}

/**
 * Puts one hub's managed clusters and cluster groups in the catalog as Resources.
 * @public
 */
export class MulticloudGitopsClusterProvider implements EntityProvider {
  readonly #hub: HubSettings;
  readonly #logger: LoggerService;
  readonly #reader: HubClusterReader;
  readonly #taskRunner?: SchedulerServiceTaskRunner;
  readonly #defaultOwner: string;
  readonly #ownerLabel: string;
  readonly #watchSeconds: number;
  readonly #fullEvery: number;
  #connection?: EntityProviderConnection;

  /** Last listed/watched resourceVersion; undefined until the first list in this process. */
  #resourceVersion?: string;
  readonly #clusters = new Map<string, ClusterRecord>();
  /** Malformed objects currently on the hub, by name (or a placeholder key without one). */
  readonly #malformed = new Set<string>();
  /** entityRef -> JSON of the entity last emitted. */
  #emitted = new Map<string, string>();
  #pattern?: string;
  #runsSinceList = 0;
  /** Watch events applied to #clusters but not yet emitted (a failed applyMutation). */
  #dirty = false;
  readonly #badOwnersWarned = new Set<string>();
  #patternCrForbiddenWarned = false;

  /** One provider per hub selected by the config. @public */
  static fromConfig(
    config: ClusterProviderConfig,
    deps: {
      logger: LoggerService;
      createTaskRunner(
        schedule: SchedulerServiceTaskScheduleDefinition,
      ): SchedulerServiceTaskRunner;
    },
  ): MulticloudGitopsClusterProvider[] {
    return config.hubs.map(
      hub =>
        new MulticloudGitopsClusterProvider({
          hub,
          defaultOwner: config.defaultOwner,
          ownerLabel: config.ownerLabel,
          logger: deps.logger.child({ hub: hub.name }),
          taskRunner: deps.createTaskRunner(config.schedule),
          schedule: config.schedule,
        }),
    );
  }

  constructor(options: MulticloudGitopsClusterProviderOptions) {
    this.#hub = options.hub;
    this.#logger = options.logger;
    this.#taskRunner = options.taskRunner;
    this.#defaultOwner = options.defaultOwner;
    this.#ownerLabel = options.ownerLabel;
    this.#watchSeconds = options.watchTimeoutSeconds ?? DEFAULT_WATCH_SECONDS;
    this.#fullEvery =
      options.fullRelistEveryRuns ?? runsPerHour(options.schedule);
    this.#reader =
      options.reader ?? KubernetesHubClusterReader.fromHub(options.hub);
  }

  getProviderName(): string {
    return `multicloud-gitops-clusters:${this.#hub.name}`;
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.#connection = connection;
    if (!this.#hub.clusterProxy) {
      this.#logger.info(
        `Hub ${
          this.#hub.name
        }: cluster entities carry no kubernetes.io annotations, so the Kubernetes plugin cannot reach its clusters; set multicloudGitops.hubs[].clusterProxy.url (ACM's cluster-proxy user route) to add them`,
      );
    }
    await this.#taskRunner?.run({
      id: this.getProviderName(),
      fn: async () => {
        await this.refresh();
      },
    });
  }

  /**
   * One run: a full list the first time (and hourly, after a 410 or a pattern change), a
   * short watch otherwise. Never throws for an upstream problem: it logs one warning and
   * leaves the catalog as it was.
   */
  async refresh(): Promise<void> {
    const connection = this.#connection;
    if (!connection)
      throw new Error(`${this.getProviderName()} is not connected yet`);
    try {
      const pattern = await this.#readPattern();
      const patternChanged =
        this.#resourceVersion !== undefined && pattern !== this.#pattern;
      if (
        this.#resourceVersion === undefined ||
        patternChanged ||
        this.#runsSinceList >= this.#fullEvery
      ) {
        await this.#fullSync(connection, pattern);
        return;
      }
      this.#runsSinceList++;
      const result = await this.#reader.watchManagedClusters(
        this.#resourceVersion,
        this.#watchSeconds,
      );
      if (result.expired) {
        this.#logger.info(
          `Hub ${this.#hub.name}: resourceVersion ${
            this.#resourceVersion
          } expired (410); listing the ManagedClusters again`,
        );
        await this.#fullSync(connection, pattern);
        return;
      }
      const malformedBefore = this.#malformed.size;
      for (const ev of result.events) this.#apply(ev.type, ev.object);
      if (this.#malformed.size > malformedBefore) this.#warnMalformed();
      this.#resourceVersion = result.resourceVersion;
      this.#dirty ||= result.events.length > 0;
      if (!this.#dirty) return;
      await this.#emitDelta(connection, pattern);
      this.#dirty = false;
    } catch (e) {
      this.#logger.warn(
        `Hub ${
          this.#hub.name
        }: cluster entities not refreshed, the catalog keeps them as they were: ${describeHubError(
          e,
          this.#hub.api.url,
        )}`,
      );
    }
  }

  async #readPattern(): Promise<string | undefined> {
    let crs: string[] | undefined;
    try {
      crs = await this.#reader.listPatterns();
    } catch (e: any) {
      if (kubernetesErrorStatus(e) !== 403) throw e;
      // Reading Pattern CRs is optional; say once what granting it would add.
      if (!this.#patternCrForbiddenWarned) {
        this.#patternCrForbiddenWarned = true;
        this.#logger.warn(
          `Hub ${
            this.#hub.name
          }: the service account may not list patterns.gitops.hybrid-cloud-patterns.io (403); using the configured pattern${
            this.#hub.pattern ? ` ${this.#hub.pattern}` : ' (none)'
          }`,
        );
      }
    }
    const names = [...(crs ?? [])].sort();
    return names[0] ?? this.#hub.pattern;
  }

  #apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: unknown) {
    const name = (obj as any)?.metadata?.name;
    const key = typeof name === 'string' && name ? name : '<no name>';
    if (type === 'DELETED') {
      this.#clusters.delete(key);
      this.#malformed.delete(key);
      return;
    }
    try {
      this.#clusters.set(key, toClusterRecord(obj));
      this.#malformed.delete(key);
    } catch (e) {
      if (!(e instanceof MalformedClusterError)) throw e;
      // A cluster that turned malformed leaves the catalog rather than keep stale data.
      this.#clusters.delete(key);
      this.#malformed.add(key);
    }
  }

  #warnMalformed() {
    this.#logger.warn(
      `Hub ${this.#hub.name}: skipped ${
        this.#malformed.size
      } malformed ManagedCluster object(s) (no name, a name that is not a DNS-1123 label, or labels that are not strings)`,
    );
  }

  #entities(pattern: string | undefined): Entity[] {
    return buildEntities(this.#clusters.values(), {
      hub: this.#hub,
      pattern,
      defaultOwner: this.#defaultOwner,
      ownerLabel: this.#ownerLabel,
      location: `multicloud-gitops:${this.#hub.name}`,
      onBadOwner: (cluster, value) => {
        const k = `${cluster}\u0000${value}`;
        if (this.#badOwnersWarned.has(k)) return;
        this.#badOwnersWarned.add(k);
        this.#logger.warn(
          `Hub ${this.#hub.name}: ManagedCluster ${cluster} has ${
            this.#ownerLabel
          }=${JSON.stringify(
            value,
          )}, which is not a catalog entity name; its entity keeps the default owner ${
            this.#defaultOwner
          }`,
        );
      },
    });
  }

  async #fullSync(connection: EntityProviderConnection, pattern?: string) {
    const list = await this.#reader.listManagedClusters();
    this.#clusters.clear();
    this.#malformed.clear();
    for (const item of list.items) this.#apply('ADDED', item);
    if (this.#malformed.size) this.#warnMalformed();
    const entities = this.#entities(pattern);
    await connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
    });
    this.#emitted = new Map(
      entities.map(e => [stringifyEntityRef(e), JSON.stringify(e)]),
    );
    this.#pattern = pattern;
    this.#resourceVersion = list.resourceVersion;
    this.#runsSinceList = 0;
    this.#dirty = false;
  }

  async #emitDelta(connection: EntityProviderConnection, pattern?: string) {
    const entities = this.#entities(pattern);
    const next = new Map<string, string>();
    const added: Entity[] = [];
    for (const e of entities) {
      const ref = stringifyEntityRef(e);
      const json = JSON.stringify(e);
      next.set(ref, json);
      if (this.#emitted.get(ref) !== json) added.push(e);
    }
    const removed = [...this.#emitted.keys()].filter(ref => !next.has(ref));
    if (!added.length && !removed.length) return;
    await connection.applyMutation({
      type: 'delta',
      added: added.map(entity => ({
        entity,
        locationKey: this.getProviderName(),
      })),
      removed: removed.map(entityRef => ({
        entityRef,
        locationKey: this.getProviderName(),
      })),
    });
    this.#emitted = next;
  }
}
