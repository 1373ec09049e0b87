/*
 * Owns the hubs: their stores, their sources, and the views served from them. Full
 * topologies are memoised per store version; each narrowed view is cached as serialised
 * JSON with its ETag, so a warm request is a map lookup and a write, with no upstream call.
 */
import { LoggerService } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import {
  ApplicationDetails,
  ClusterDetails,
  HubsResponse,
  LabelRequirement,
  matchesLabelSelector,
  rollupApplications,
  rollupClusters,
  TopologyResponse,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import { createHash, randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import { HubSettings } from '@multicloud-gitops-backstage/plugin-multicloud-gitops-node';
import { AcmSource } from '../sources/AcmSource';
import { ArgoSource } from '../sources/ArgoSource';
import { hubKubeConfig } from '../sources/kubeConfig';
import { SearchSource } from '../sources/SearchSource';
import { HubStore } from '../store/HubStore';
import {
  buildTopology,
  createSummaryCache,
  FullTopology,
  groupSummaries,
  SummaryCache,
  toApplicationSummary,
  toClusterSummary,
} from './buildTopology';

export interface Scope {
  group?: string;
  applications?: string[];
  selector?: { text: string; requirements: LabelRequirement[] };
  project?: string;
  /** Argo CD instances (argocd/instance-name); applications found through Search have none. */
  instances?: string[];
  entityRef?: string;
}

export interface CachedView {
  etag: string;
  /** The answer, serialised once per store version and scope. */
  json: Buffer;
  /**
   * The answer compressed, made once per encoding on first demand (a fleet answer is
   * megabytes of JSON), off the event loop.
   */
  encoded(encoding: ContentEncoding): Promise<Buffer>;
}

export type ContentEncoding = 'br' | 'gzip';

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Compresses once per view and version, so both use levels a per-request middleware could
 * not afford: 10 MB of fleet JSON is about 200 KB as Brotli 5 and 250 KB as gzip 6, in
 * about 45 ms each on the libuv thread pool.
 */
function compress(json: Buffer, encoding: ContentEncoding): Promise<Buffer> {
  return encoding === 'br'
    ? brotliAsync(json, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: 5,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: json.length,
        },
      })
    : gzipAsync(json, { level: 6 });
}

/** What tells two scopes' views apart: the key of the view cache. */
export function viewKey(scope: Scope): string {
  return JSON.stringify([
    scope.group,
    scope.applications,
    scope.selector?.text,
    scope.project,
    scope.instances,
    scope.entityRef,
  ]);
}

/**
 * Each application's JSON in an answer, by its summary object. Summaries of unchanged
 * applications survive a rebuild (see buildTopology), so after a change an answer is
 * written from the strings it had, and only the changed applications are serialised.
 */
const applicationJson = new WeakMap<ApplicationDetails, string>();
function jsonOf(a: ApplicationDetails): string {
  let json = applicationJson.get(a);
  if (json === undefined) {
    json = JSON.stringify(toApplicationSummary(a));
    applicationJson.set(a, json);
  }
  return json;
}
/** Stands in for the applications while the rest of an answer is serialised. */
const APPLICATIONS_SLOT = `"applications-${randomUUID()}"`;

/** What a scope shows of a hub's full topology. */
interface Narrowed {
  t: FullTopology;
  clusters: FullTopology['clusters'];
  apps: ApplicationDetails[];
}

interface HubRuntime {
  settings: HubSettings;
  store: HubStore;
  acm?: AcmSource;
  search?: SearchSource;
  argo: Map<string, ArgoSource>;
  memo?: FullTopology;
  /** Application summaries kept between rebuilds (see buildTopology). */
  summaries: SummaryCache;
  views: Map<string, CachedView>;
  viewsVersion: number;
}

/** Describes which configured credential a source uses, by key, never by value. */
function credentialOf(index: number, rawKubernetesCluster?: string) {
  return rawKubernetesCluster
    ? `serviceAccountToken of Kubernetes cluster "${rawKubernetesCluster}" (kubernetes.clusterLocatorMethods)`
    : `token multicloudGitops.hubs[${index}].serviceAccountToken`;
}

export class TopologyService {
  readonly #hubs = new Map<string, HubRuntime>();
  readonly #logger: LoggerService;
  #started = false;

  constructor(opts: {
    hubs: HubSettings[];
    logger: LoggerService;
    kubernetesClusterNames?: (string | undefined)[];
    debounceMs?: number;
  }) {
    this.#logger = opts.logger;
    opts.hubs.forEach((settings, index) => {
      const store = new HubStore(settings.name, opts.debounceMs);
      const runtime: HubRuntime = {
        settings,
        store,
        argo: new Map(),
        summaries: createSummaryCache(),
        views: new Map(),
        viewsVersion: -1,
      };
      const credential = credentialOf(
        index,
        opts.kubernetesClusterNames?.[index],
      );
      runtime.acm = new AcmSource({
        store,
        kubeConfig: hubKubeConfig(settings.name, settings.api),
        logger: this.#logger,
        credential,
        url: settings.api.url,
      });
      if (settings.search) {
        runtime.search = new SearchSource({
          store,
          settings: settings.search,
          logger: this.#logger,
          credential:
            settings.search.token === settings.api.token
              ? `hub ${credential}`
              : `token multicloudGitops.hubs[${index}].search.token`,
        });
      }
      settings.argocd.forEach((a, i) => {
        const key = a.token
          ? `token multicloudGitops.hubs[${index}].argocd[${i}].token`
          : `password of account "${a.username}" (multicloudGitops.hubs[${index}].argocd[${i}].password)`;
        runtime.argo.set(
          a.name,
          new ArgoSource({
            store,
            settings: a,
            logger: this.#logger,
            credentialKey: key,
          }),
        );
      });
      this.#hubs.set(settings.name, runtime);
    });
  }

  start() {
    if (this.#started) return;
    this.#started = true;
    for (const h of this.#hubs.values()) {
      h.acm?.start();
      h.search?.start();
      for (const a of h.argo.values()) a.start();
    }
  }

  async stop() {
    for (const h of this.#hubs.values()) {
      await h.acm?.stop();
      await h.search?.stop();
      for (const a of h.argo.values()) await a.stop();
      h.store.dispose();
    }
  }

  hubIds(): string[] {
    return [...this.#hubs.keys()];
  }

  onChange(
    listener: (hub: string, version: number, storeId: string) => void,
  ): () => void {
    const offs = [...this.#hubs.values()].map(h =>
      h.store.onChange(v => listener(h.settings.name, v, h.store.id)),
    );
    return () => offs.forEach(off => off());
  }

  #runtime(hub: string): HubRuntime {
    const h = this.#hubs.get(hub);
    if (!h) {
      throw new NotFoundError(
        `Unknown hub "${hub}"; configured hubs: ${
          this.hubIds().join(', ') || '(none)'
        }`,
      );
    }
    return h;
  }

  full(hub: string): FullTopology {
    const h = this.#runtime(hub);
    if (!h.memo || h.memo.version !== h.store.version)
      h.memo = buildTopology(h.store, h.settings, h.summaries);
    return h.memo;
  }

  hubs(): HubsResponse {
    return {
      hubs: [...this.#hubs.keys()].map(id => {
        const t = this.full(id);
        return {
          ...t.hub,
          sources: t.sources,
          clusterCount: t.clusters.length,
          applicationCount: t.applications.length,
        };
      }),
    };
  }

  /** Hubs running a pattern (a hub runs one pattern; several hubs may run the same one). */
  hubsForPattern(pattern: string): string[] {
    return this.hubIds().filter(id => this.full(id).hub.pattern === pattern);
  }

  knownPatterns(): string[] {
    return [
      ...new Set(
        this.hubIds()
          .map(id => this.full(id).hub.pattern)
          .filter(Boolean) as string[],
      ),
    ];
  }

  /** The clusters and applications a scope shows, from the hub's full topology. */
  #narrow(hub: string, scope: Scope): Narrowed {
    const t = this.full(hub);
    let clusters = t.clusters;
    let apps = t.applications;
    if (scope.group) {
      clusters = clusters.filter(c => c.group === scope.group);
      const names = new Set(clusters.map(c => c.name));
      apps = apps.filter(a => names.has(a.cluster));
    }
    const narrowApps = Boolean(
      scope.applications?.length ||
        scope.selector ||
        scope.project ||
        scope.instances?.length,
    );
    if (scope.applications?.length) {
      const wanted = new Set(scope.applications);
      apps = apps.filter(a => wanted.has(a.name));
    }
    if (scope.selector) {
      const req = scope.selector.requirements;
      apps = apps.filter(a => matchesLabelSelector(a.labels, req));
    }
    if (scope.project) apps = apps.filter(a => a.project === scope.project);
    if (scope.instances?.length) {
      const wanted = new Set(scope.instances);
      apps = apps.filter(
        a => a.instance !== undefined && wanted.has(a.instance),
      );
    }
    if (narrowApps) {
      // An application view shows the clusters the application runs on.
      const running = new Set(apps.map(a => a.cluster));
      clusters = clusters.filter(c => running.has(c.name));
    }
    return { t, clusters, apps };
  }

  /** A scope's answer without its applications, which the caller fills in. */
  #response<A>(
    hub: string,
    scope: Scope,
    { t, clusters, apps }: Narrowed,
    applications: A,
  ) {
    return {
      hub: t.hub,
      pattern: t.pattern ?? '',
      scope: {
        group: scope.group,
        applications: scope.applications,
        selector: scope.selector?.text,
        entityRef: scope.entityRef,
      },
      groups: groupSummaries(clusters, apps),
      clusters: clusters.map(toClusterSummary),
      applications,
      sources: t.sources,
      storeId: this.#runtime(hub).store.id,
      version: t.version,
      generatedAt: t.generatedAt,
      clusterRollup: rollupClusters(clusters),
      applicationRollup: rollupApplications(apps),
    };
  }

  scoped(hub: string, scope: Scope): TopologyResponse {
    const narrowed = this.#narrow(hub, scope);
    return this.#response(
      hub,
      scope,
      narrowed,
      narrowed.apps.map(toApplicationSummary),
    );
  }

  /** The same JSON as `JSON.stringify(scoped(hub, scope))`, from each application's cached JSON. */
  #serialise(hub: string, scope: Scope): string {
    const narrowed = this.#narrow(hub, scope);
    const json = JSON.stringify(
      this.#response(hub, scope, narrowed, APPLICATIONS_SLOT.slice(1, -1)),
    );
    const at = json.indexOf(APPLICATIONS_SLOT);
    return `${json.slice(0, at)}[${narrowed.apps
      .map(jsonOf)
      .join(',')}]${json.slice(at + APPLICATIONS_SLOT.length)}`;
  }

  /**
   * The scoped view as JSON with an ETag, cached until the hub's store changes. `key` is
   * `viewKey(scope)`, for callers that keep it.
   */
  view(hub: string, scope: Scope, key = viewKey(scope)): CachedView {
    const h = this.#runtime(hub);
    const version = h.store.publishedVersion;
    if (h.viewsVersion !== version) {
      h.views.clear();
      h.viewsVersion = version;
    }
    let cached = h.views.get(key);
    if (!cached) {
      const json = Buffer.from(this.#serialise(hub, scope));
      const hash = createHash('sha1')
        .update(key)
        .digest('base64url')
        .slice(0, 10);
      const encodings = new Map<ContentEncoding, Promise<Buffer>>();
      cached = {
        etag: `W/"${hub}-${h.store.id}-${version}-${hash}"`,
        json,
        encoded: encoding => {
          let body = encodings.get(encoding);
          if (!body) {
            body = compress(json, encoding);
            encodings.set(encoding, body);
          }
          return body;
        },
      };
      if (h.views.size > 500) h.views.clear(); // bound memory under many distinct scopes
      h.views.set(key, cached);
    }
    return cached;
  }

  clusterDetails(hub: string, cluster: string): ClusterDetails {
    const h = this.#runtime(hub);
    const t = this.full(hub);
    const summary = t.clusterByName.get(cluster);
    const record = h.store.clusters.get(cluster);
    if (!summary || !record) {
      throw new NotFoundError(
        `Hub "${hub}" has no managed cluster "${cluster}"`,
      );
    }
    const info = h.store.clusterInfos.get(cluster);
    const policies = [...h.store.policies.values()]
      .filter(p => p.clusters[cluster] !== undefined)
      .map(p => ({
        name: p.name,
        namespace: p.namespace,
        compliance: (['Compliant', 'NonCompliant', 'Pending'].includes(
          p.clusters[cluster],
        )
          ? p.clusters[cluster]
          : 'Unknown') as any,
        remediationAction: p.remediationAction,
        severity: p.severity,
      }))
      .sort(
        (a, b) =>
          a.compliance.localeCompare(b.compliance) ||
          a.name.localeCompare(b.name),
      );
    const links: ClusterDetails['links'] = [];
    if (summary.consoleUrl)
      links.push({
        title: 'OpenShift console',
        url: summary.consoleUrl,
        kind: 'openshift-console',
      });
    if (t.hub.consoleUrl) {
      links.push({
        title: 'ACM console',
        url: `${
          t.hub.consoleUrl
        }/multicloud/infrastructure/clusters/details/${encodeURIComponent(
          cluster,
        )}/${encodeURIComponent(cluster)}/overview`,
        kind: 'acm-console',
      });
    }
    const argo = summary.argocdInstance
      ? h.settings.argocd.find(a => a.name === summary.argocdInstance)
      : undefined;
    if (argo)
      links.push({
        title: `Argo CD (${argo.name})`,
        url: argo.uiUrl,
        kind: 'argocd',
      });
    return {
      hub: t.hub,
      cluster: summary,
      conditions: record.conditions,
      taints: record.taints,
      claims: record.claims,
      nodes: info?.nodes ?? [],
      availableUpgrades: info?.availableUpgrades ?? [],
      policies,
      applications: t.applications.filter(a => a.cluster === cluster),
      links,
      sources: t.sources,
    };
  }

  argoInstance(hub: string, instance: string): ArgoSource {
    const h = this.#runtime(hub);
    const a = h.argo.get(instance);
    if (!a) {
      throw new NotFoundError(
        `Hub "${hub}" has no Argo CD instance "${instance}"; configured: ${
          [...h.argo.keys()].join(', ') || '(none)'
        }`,
      );
    }
    return a;
  }

  store(hub: string): HubStore {
    return this.#runtime(hub).store;
  }
}
