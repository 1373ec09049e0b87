import { HUB, SimContext } from '../context';
import { registerRevisionSource } from '../argocd/revisions';
import {
  ARGO_NS,
  CLUSTERGROUP_CHART_VERSION,
  IN_CLUSTER,
  PATTERN_LABEL,
  VP_CHART_REPO,
} from '../fleet/apps';
import { namespace } from '../fleet/clusters';
import { appProject, patternClusterStatus } from '../fleet/governance';
import { typeKey, TYPE } from '../k8s/registry';
import { matchesLabels } from '../k8s/selectors';
import { KObject, StoreEvent } from '../store/types';
import { Prng } from '../util/prng';
import {
  applicationAt,
  childLabels,
  comparisonError,
  DesiredApp,
  INSTANCE_LABEL,
  STAGES,
} from './applications';
import { GitSource, Snapshot } from './gitSource';
import {
  ManagedClusterGroup,
  PatternRenderError,
  RenderContext,
  RenderedGroup,
  renderClusterGroup,
} from './render';

/**
 * A stand-in for the Validated Patterns operator, ACM's clustergroup policies and the Argo CD
 * application controllers they drive. For every Pattern created or changed through the API
 * it fetches the pattern repo, renders the values files as the clustergroup chart does and
 * keeps the Argo CD Applications in step: the app of apps `<pattern>-<clusterGroupName>`
 * and its children on the hub, `<pattern>-<group>` and its children on every joined managed
 * cluster a `managedClusterGroups` selector matches. New commits are polled.
 *
 * The seeded Pattern (written with the generated fleet) is left alone until its spec is
 * changed through the API: its Applications were not rendered from a repo.
 */

const PATTERN = typeKey(TYPE.pattern);
const APP = typeKey(TYPE.application);
const MC = typeKey(TYPE.managedCluster);
const NS = typeKey(TYPE.namespace);
const PROJECT = typeKey(TYPE.appProject);

/** Argo CD polls a repo every 3 minutes; the simulator does it more often, for demos. */
export const DEFAULT_PATTERN_POLL_MS = 10_000;

interface Managed {
  key: string;
  namespace: string;
  name: string;
  /** the spec last seen, as JSON */
  spec: string;
  /** the spec changed since the last reconcile (status.version counts these) */
  specChanged: boolean;
  snapshot?: Snapshot;
  /** managed cluster groups of the last hub values that rendered */
  hubGroups: ManagedClusterGroup[];
  queue: Promise<void>;
  /** the reconcile queued and not started yet */
  waiting?: { fetch: boolean; done: Promise<void> };
}

interface GroupPlan {
  /** the app of apps, with its children */
  parent: DesiredApp;
  parentInputs: string;
  /** why the group's values do not render */
  error?: string;
  /** the Argo projects the group's values declare, and where Argo CD keeps them */
  projects: string[];
  argoNamespace: string;
  children: { app: DesiredApp; inputs: string }[];
}

interface StatusReport {
  lastStep: string;
  lastError?: string;
  missing?: string;
}

const tryRender = (fn: () => RenderedGroup) => {
  try {
    return fn();
  } catch (e) {
    if (e instanceof PatternRenderError) return e;
    throw e;
  }
};

function available(mc: KObject): boolean {
  return (
    !!mc.spec?.hubAcceptsClient &&
    !!mc.status?.conditions?.some(
      (c: any) =>
        c.type === 'ManagedClusterConditionAvailable' && c.status === 'True',
    )
  );
}

export class PatternsOperator {
  private readonly managed = new Map<string, Managed>();
  /** what each Application was last converged from, by `<cluster>/<ns>/<name>` */
  private readonly inputs = new Map<string, string>();
  /** the auto-sync in flight for each Application; a newer one makes older timers stop */
  private readonly progress = new Map<string, number>();
  private seq = 0;
  private prng: Prng;
  private unsubscribe?: () => void;
  private unregister?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly ctx: SimContext,
    private readonly pollMs = DEFAULT_PATTERN_POLL_MS,
    private readonly source = new GitSource(),
  ) {
    this.prng = new Prng(`${ctx.options.seed}:patterns`);
  }

  start(): void {
    this.unsubscribe = this.ctx.store.subscribe(ev => this.onEvent(ev));
    const source = this.source;
    this.unregister = registerRevisionSource(this.ctx, {
      async resolveRevision(repoURL, ref) {
        if (!source.holds(repoURL)) return undefined;
        return (await source.fetch(repoURL, ref)).commit;
      },
      async getRevisionMetadata(repoURL, revision) {
        if (!source.holds(repoURL)) return undefined;
        return (await source.revisionMetadata(repoURL, revision)) ?? null;
      },
    });
    if (this.pollMs > 0) {
      this.timer = setInterval(() => {
        this.poll().catch(() => undefined);
      }, this.pollMs);
      this.timer.unref?.();
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.unregister?.();
    if (this.timer) clearInterval(this.timer);
    this.reset();
    this.source.dispose();
  }

  /** Forget every Pattern and auto-sync (the store was reset to the seeded fleet). */
  reset(): void {
    this.managed.clear();
    this.inputs.clear();
    this.progress.clear();
    this.prng = new Prng(`${this.ctx.options.seed}:patterns`);
  }

  /** Fetch every managed Pattern's repo now and apply what changed; resolves when done. */
  async poll(): Promise<void> {
    await Promise.all(
      [...this.managed.values()].map(m => this.enqueue(m, true)),
    );
  }

  /** Resolves when every reconcile queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.managed.values()].map(m => m.queue));
  }

  private onEvent(ev: StoreEvent) {
    if (ev.cluster !== HUB) return;
    if (ev.typeKey === PATTERN) {
      const ns = ev.object.metadata.namespace ?? '';
      const name = ev.object.metadata.name!;
      const key = `${ns}/${name}`;
      if (ev.type === 'DELETED') {
        this.managed.delete(key);
        return;
      }
      const spec = JSON.stringify(ev.object.spec ?? {});
      let m = this.managed.get(key);
      if (m && m.spec === spec) return;
      if (!m) {
        m = {
          key,
          namespace: ns,
          name,
          spec,
          specChanged: true,
          hubGroups: [],
          queue: Promise.resolve(),
        };
        this.managed.set(key, m);
      }
      m.spec = spec;
      m.specChanged = true;
      this.enqueue(m, true).catch(() => undefined);
    } else if (ev.typeKey === MC) {
      const before = ev.previous;
      const labelsChanged =
        JSON.stringify(before?.metadata.labels) !==
        JSON.stringify(ev.object.metadata.labels);
      const joined =
        ev.type !== 'DELETED' &&
        (!before || available(before) !== available(ev.object));
      // a cluster that joins or gets new labels may now be in a group
      if (labelsChanged || joined)
        for (const m of this.managed.values())
          this.enqueue(m, false).catch(() => undefined);
    }
  }

  /**
   * Queue a reconcile after the running one. Requests made while one is already waiting
   * join it (a fetch if any of them asked for one), so a burst of cluster changes costs one.
   */
  private enqueue(m: Managed, fetch: boolean): Promise<void> {
    if (m.waiting) {
      m.waiting.fetch ||= fetch;
      return m.waiting.done;
    }
    const waiting = { fetch, done: Promise.resolve() };
    m.waiting = waiting;
    waiting.done = m.queue
      .catch(() => undefined)
      .then(() => {
        m.waiting = undefined;
        return this.reconcile(m, waiting.fetch);
      })
      .catch(e => {
        this.ctx.log(`pattern ${m.key}: ${(e as Error).message}`);
      });
    m.queue = waiting.done;
    return waiting.done;
  }

  private current(m: Managed): KObject | undefined {
    if (this.managed.get(m.key) !== m) return undefined;
    return this.ctx.store.get(HUB, PATTERN, m.namespace || undefined, m.name);
  }

  private async reconcile(m: Managed, fetch: boolean) {
    const p = this.current(m);
    if (!p) return;
    const spec = p.spec ?? {};
    const group: string | undefined = spec.clusterGroupName ?? spec.variant;
    const repoURL: string | undefined = spec.gitSpec?.targetRepo;
    const revision: string = spec.gitSpec?.targetRevision || 'HEAD';
    if (!repoURL) {
      this.report(m, {
        lastStep: 'prerequisite validation',
        lastError: 'TargetRepo cannot be empty',
      });
      return;
    }
    if (!group) {
      this.report(m, {
        lastStep: 'prerequisite validation',
        lastError: 'clusterGroupName cannot be empty',
      });
      return;
    }
    let snap = m.snapshot;
    if (
      fetch ||
      !snap ||
      snap.repoURL !== repoURL ||
      snap.revision !== revision
    ) {
      try {
        snap = await this.source.fetch(repoURL, revision);
      } catch (e) {
        this.report(m, {
          lastStep: 'checkout target revision',
          lastError: (e as Error).message,
        });
        return;
      }
      // the spec changed while fetching: the reconcile queued for that change applies it
      if (
        this.current(m) &&
        JSON.stringify(this.current(m)!.spec) !== JSON.stringify(spec)
      )
        return;
      m.snapshot = snap;
    }
    const hubFile = `values-${group}.yaml`;
    if (!snap.valuesFiles.has(hubFile)) {
      const missing = `required values file not found: ${hubFile}`;
      this.report(m, {
        lastStep: 'prerequisite validation',
        lastError: missing,
        missing,
      });
      return;
    }
    const rctx: RenderContext = {
      pattern: m.name,
      repoURL,
      targetRevision: revision,
      argoNamespace: ARGO_NS,
      multiSourceRepoUrl: spec.multiSourceConfig?.helmRepoUrl || VP_CHART_REPO,
    };
    const files = (f: string) => snap!.valuesFiles.get(f);
    const chartVersion =
      spec.multiSourceConfig?.clusterGroupChartVersion ||
      CLUSTERGROUP_CHART_VERSION;
    const appOfApps = (
      valuesGroup: string,
      destination: object,
      params: object[],
    ): DesiredApp => ({
      name: `${m.name}-${valuesGroup}`,
      namespace: ARGO_NS,
      labels: { [PATTERN_LABEL]: m.name },
      spec: {
        project: 'default',
        destination,
        sources: [
          { repoURL, targetRevision: revision, ref: 'patternref' },
          {
            repoURL: rctx.multiSourceRepoUrl,
            chart: 'clustergroup',
            targetRevision: chartVersion,
            helm: {
              ignoreMissingValueFiles: true,
              valueFiles: [
                '$patternref/values-global.yaml',
                `$patternref/values-${valuesGroup}.yaml`,
              ],
              parameters: [
                { name: 'global.pattern', value: m.name },
                { name: 'global.namespace', value: m.namespace },
                { name: 'global.repoURL', value: repoURL },
                { name: 'global.targetRevision', value: revision },
                { name: 'global.vpArgoNamespace', value: ARGO_NS },
                ...params,
              ],
            },
          },
        ],
        syncPolicy: spec.gitOpsSpec?.manualSync
          ? undefined
          : {
              automated: { selfHeal: true },
              syncOptions: [],
              retry: { limit: 20 },
            },
      },
    });

    const hub = tryRender(() => renderClusterGroup(files, group, rctx));
    const hubPlan = await this.plan(
      m,
      group,
      appOfApps(group, { name: 'in-cluster', namespace: ARGO_NS }, []),
      hub,
      snap,
    );
    const plans: [ManagedClusterGroup, GroupPlan][] = [];
    const groups =
      hub instanceof PatternRenderError
        ? m.hubGroups
        : hub.managedClusterGroups;
    for (const g of groups) {
      const rendered = tryRender(() =>
        renderClusterGroup(files, g.name, rctx, g.helmOverrides),
      );
      const parent = appOfApps(
        g.name,
        { server: IN_CLUSTER, namespace: ARGO_NS },
        [{ name: 'clusterGroup.name', value: g.name }, ...g.helmOverrides],
      );
      plans.push([g, await this.plan(m, g.name, parent, rendered, snap)]);
    }
    // the store may have moved on while the repo was read: apply to what it holds now
    if (!this.current(m)) return;
    this.applyGroup(m, HUB, hubPlan, snap);
    if (!(hub instanceof PatternRenderError)) {
      m.hubGroups = hub.managedClusterGroups;
      this.ensureHubObjects(hub);
    }
    const clusters = this.ctx.store.list(HUB, MC).filter(available);
    for (const [g, plan] of plans)
      for (const c of clusters)
        if (matchesLabels(g.requirements, c.metadata.labels)) {
          // the clustergroup chart creates the group's projects on the spoke's Argo CD, and
          // Argo CD its own `default` project, the app of apps' one
          this.ensureProjects(c.metadata.name!, plan.argoNamespace, [
            'default',
            ...plan.projects,
          ]);
          this.applyGroup(m, c.metadata.name!, plan, snap);
        }
    this.report(m, { lastStep: 'reconcile complete' });
  }

  /**
   * What one group deploys on every cluster it selects, with the inputs each app is
   * converged from (made once per group, not once per cluster).
   */
  private async plan(
    m: Managed,
    group: string,
    parent: DesiredApp,
    rendered: RenderedGroup | PatternRenderError,
    snap: Snapshot,
  ): Promise<GroupPlan> {
    const values = JSON.stringify([
      snap.valuesFiles.get('values-global.yaml'),
      snap.valuesFiles.get(`values-${group}.yaml`),
    ]);
    if (rendered instanceof PatternRenderError)
      return {
        parent,
        parentInputs: `error\0${snap.commit}\0${values}`,
        error: rendered.message,
        children: [],
        projects: [],
        argoNamespace: ARGO_NS,
      };
    const children: { app: DesiredApp; inputs: string }[] = [];
    for (const a of rendered.applications) {
      const spec = {
        project: a.project,
        destination: a.destination,
        ...(a.sources ? { sources: a.sources } : { source: a.source }),
        ...(a.syncPolicy ? { syncPolicy: a.syncPolicy } : {}),
      };
      // a path in the pattern repo changes when its folder does
      const tree =
        a.source?.path && a.source.repoURL === snap.repoURL
          ? await snap.treeId(a.source.path)
          : '';
      children.push({
        app: {
          name: a.name,
          namespace: a.namespace,
          labels: childLabels(m.name, parent.name),
          spec,
        },
        inputs: `${JSON.stringify(spec)}\0${tree}`,
      });
    }
    const refs = children.map(c => ({
      name: c.app.name,
      namespace: c.app.namespace,
    }));
    return {
      parent: { ...parent, children: refs },
      parentInputs: `${JSON.stringify(
        parent.spec,
      )}\0${values}\0${JSON.stringify(refs)}`,
      children,
      projects: rendered.projects,
      argoNamespace: rendered.argoNamespace,
    };
  }

  /** Converge one cluster's app of apps for a group, its children, and prune the rest. */
  private applyGroup(
    m: Managed,
    cluster: string,
    plan: GroupPlan,
    snap: Snapshot,
  ) {
    const store = this.ctx.store;
    // the bucket is the cluster's Argo CD instance
    store.bucket(cluster, APP, true);
    const { parent } = plan;
    if (plan.error !== undefined) {
      const key = `${cluster}/${parent.namespace}/${parent.name}`;
      if (this.inputs.get(key) === plan.parentInputs) return;
      this.inputs.set(key, plan.parentInputs);
      this.progress.delete(key);
      const prev = store.get(cluster, APP, parent.namespace, parent.name);
      store.put(
        cluster,
        APP,
        comparisonError(
          parent,
          prev,
          snap.repoURL,
          snap.commit,
          plan.error,
          Date.parse(this.ctx.now()),
        ),
      );
      this.refreshStatusIfHub(m, cluster);
      return;
    }
    this.converge(m, cluster, parent, plan.parentInputs, snap);
    const wanted = new Set<string>();
    for (const { app, inputs } of plan.children) {
      wanted.add(`${app.namespace}/${app.name}`);
      this.converge(m, cluster, app, inputs, snap);
    }
    for (const app of store.list(cluster, APP)) {
      const l = app.metadata.labels ?? {};
      if (
        l[INSTANCE_LABEL] !== parent.name ||
        l[PATTERN_LABEL] !== m.name ||
        wanted.has(`${app.metadata.namespace}/${app.metadata.name}`)
      )
        continue;
      const key = `${cluster}/${app.metadata.namespace}/${app.metadata.name}`;
      this.inputs.delete(key);
      this.progress.delete(key);
      store.remove(cluster, APP, app.metadata.namespace, app.metadata.name!);
    }
    this.refreshStatusIfHub(m, cluster);
  }

  /** Start an auto-sync of `app` unless it was last converged from the same inputs. */
  private converge(
    m: Managed,
    cluster: string,
    app: DesiredApp,
    inputs: string,
    snap: Snapshot,
  ) {
    const store = this.ctx.store;
    const key = `${cluster}/${app.namespace}/${app.name}`;
    const prev = store.get(cluster, APP, app.namespace, app.name);
    if (prev && this.inputs.get(key) === inputs) return;
    this.inputs.set(key, inputs);
    const token = ++this.seq;
    this.progress.set(key, token);
    const write = (stage: number) => {
      const cur = store.get(cluster, APP, app.namespace, app.name);
      store.put(
        cluster,
        APP,
        applicationAt(
          app,
          stage === 0 ? prev : cur,
          STAGES[stage],
          snap.repoURL,
          snap.commit,
          Date.parse(this.ctx.now()),
        ),
      );
      this.refreshStatusIfHub(m, cluster);
    };
    write(0);
    // without automated sync, Argo CD only reports the app OutOfSync
    if (!app.spec.syncPolicy?.automated) {
      this.progress.delete(key);
      return;
    }
    const next = (stage: number) =>
      this.ctx.setTimer(() => {
        if (this.progress.get(key) !== token) return;
        if (!store.get(cluster, APP, app.namespace, app.name)) return;
        write(stage);
        if (stage + 1 < STAGES.length) next(stage + 1);
        else this.progress.delete(key);
      }, this.ctx.options.syncDurationMs);
    next(1);
  }

  /** Namespaces and Argo projects the hub's values declare, created when missing. */
  private ensureHubObjects(hub: RenderedGroup) {
    const store = this.ctx.store;
    const now = this.ctx.now();
    for (const ns of hub.namespaces)
      if (!store.get(HUB, NS, undefined, ns))
        store.put(
          HUB,
          NS,
          namespace(ns, this.prng.uuid(), now, {
            'argocd.argoproj.io/managed-by': hub.argoNamespace,
          }),
        );
    this.ensureProjects(HUB, hub.argoNamespace, hub.projects);
  }

  /** Argo projects of a group's values on a cluster's Argo CD, created when missing. */
  private ensureProjects(
    cluster: string,
    argoNamespace: string,
    projects: string[],
  ) {
    const store = this.ctx.store;
    for (const p of projects)
      if (!store.get(cluster, PROJECT, argoNamespace, p)) {
        const project = appProject(this.prng, p);
        project.metadata.namespace = argoNamespace;
        project.metadata.creationTimestamp = this.ctx.now();
        project.spec.description = `Pattern ${p}`;
        store.put(cluster, PROJECT, project);
      }
  }

  private refreshStatusIfHub(m: Managed, cluster: string) {
    if (cluster !== HUB) return;
    const p = this.current(m);
    if (p)
      this.report(m, {
        lastStep: p.status?.lastStep ?? 'reconcile complete',
        lastError: p.status?.lastError,
      });
  }

  /** The Pattern's status as the operator reports it; written only when it changed. */
  private report(m: Managed, r: StatusReport) {
    const p = this.current(m);
    if (!p) return;
    const now = this.ctx.now();
    const prev = p.status ?? {};
    const status: Record<string, any> = {
      ...patternClusterStatus(this.ctx.options.hubName),
      ...prev,
      lastStep: r.lastStep,
    };
    if (r.lastError) status.lastError = r.lastError;
    else delete status.lastError;
    if (m.specChanged) {
      status.version = (Number(prev.version) || 0) + 1;
      m.specChanged = false;
    }
    const conditions: any[] = (prev.conditions ?? []).filter(
      (c: any) => c.type !== 'Missing',
    );
    if (r.missing) {
      const old = (prev.conditions ?? []).find(
        (c: any) => c.type === 'Missing',
      );
      conditions.push({
        type: 'Missing',
        status: 'True',
        lastUpdateTime: old?.message === r.missing ? old.lastUpdateTime : now,
        lastTransitionTime: old?.lastTransitionTime ?? now,
        message: r.missing,
      });
    }
    if (conditions.length) status.conditions = conditions;
    else delete status.conditions;
    const apps = this.ctx.store
      .list(HUB, APP)
      .filter(a => a.metadata.labels?.[PATTERN_LABEL] === m.name)
      .map(a => ({
        name: a.metadata.name,
        namespace: a.metadata.namespace,
        syncStatus: a.status?.sync?.status ?? '',
        healthStatus: a.status?.health?.status ?? '',
      }));
    if (apps.length) status.applications = apps;
    else delete status.applications;
    if (JSON.stringify(status) === JSON.stringify(p.status)) return;
    this.ctx.store.put(HUB, PATTERN, {
      ...p,
      metadata: { ...p.metadata },
      status,
    });
  }
}
