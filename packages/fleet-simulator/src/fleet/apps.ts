import { KObject } from '../store/types';
import { Prng } from '../util/prng';
import { AppDef, PATTERN_REPO } from './catalog';
import { ts } from './clusters';

/**
 * Argo CD Applications as the Validated Patterns operator deploys them: an app-of-apps
 * `<pattern>-<group>` (multi-source: the pattern repo as a `ref` plus the clustergroup chart)
 * and one child Application per entry in the group's values file.
 */

export const ARGO_NS = 'openshift-gitops';
export const PATTERN_LABEL = 'validatedpatterns.io/pattern';
export const IN_CLUSTER = 'https://kubernetes.default.svc';

export type Sync = 'Synced' | 'OutOfSync' | 'Unknown';
export type Health =
  | 'Healthy'
  | 'Progressing'
  | 'Degraded'
  | 'Suspended'
  | 'Missing'
  | 'Unknown';

const STATES: [[Sync, Health], number][] = [
  [['Synced', 'Healthy'], 84],
  [['OutOfSync', 'Healthy'], 6],
  [['Synced', 'Progressing'], 3],
  [['Synced', 'Degraded'], 3],
  [['OutOfSync', 'Missing'], 2],
  [['Unknown', 'Unknown'], 1],
  [['OutOfSync', 'Degraded'], 1],
];

export interface AppContext {
  pattern: string;
  group: string;
  cluster: string;
  /** destination server: the cluster's API URL (spokes) or in-cluster (hub) */
  server: string;
}

/*
 * Identical sub-objects (sources, sync policies, resource lists) are shared between the
 * generated apps: stored objects are never mutated in place (every write clones), and
 * sharing keeps a 40,000-app fleet well inside the memory budget.
 */
const shared = new Map<string, any>();
function memo<T>(key: string, make: () => T): T {
  let v = shared.get(key);
  if (v === undefined) {
    v = make();
    shared.set(key, v);
  }
  return v;
}

/** The Validated Patterns Helm repository (`global.multiSourceRepoUrl`'s default). */
export const VP_CHART_REPO = 'https://charts.validatedpatterns.io';

/** The pattern repository as a `ref` source, so value files can say `$patternref/...`. */
const patternRef = {
  repoURL: PATTERN_REPO,
  targetRevision: 'main',
  ref: 'patternref',
};

/**
 * A path app has one source, the pattern repo. A chart app (one with `chartVersion`) is
 * multi-source, as clustergroup-chart's applications.yaml renders it: the pattern repo as a
 * ref, then the chart from the VP Helm repo at `chartVersion`.
 */
function sourceSpec(def: AppDef, ctx: AppContext) {
  if (def.chart) {
    return {
      sources: memo(`chart-sources:${def.name}:${ctx.group}`, () => [
        patternRef,
        {
          repoURL: VP_CHART_REPO,
          chart: def.chart,
          targetRevision: def.chartVersion ?? 'HEAD',
          helm: {
            ignoreMissingValueFiles: true,
            releaseName: def.name,
            valueFiles: [
              '$patternref/values-global.yaml',
              `$patternref/values-${ctx.group}.yaml`,
            ],
          },
        },
      ]),
    };
  }
  return {
    source: memo(`source:${def.name}`, () => ({
      repoURL: PATTERN_REPO,
      path: def.path!,
      targetRevision: 'main',
      helm: {
        ignoreMissingValueFiles: true,
        valueFiles: ['/values-global.yaml'],
      },
    })),
  };
}

/** `main.multiSourceConfig.clusterGroupChartVersion` as the pattern sets it. */
export const CLUSTERGROUP_CHART_VERSION = '0.9.*';

/** The newest release of each chart in the simulated VP Helm repo. */
const CHART_RELEASES: Record<string, string> = {
  clustergroup: '0.9.55',
  acm: '0.2.8',
  'hashicorp-vault': '0.1.5',
  'golang-external-secrets': '0.1.4',
};

/** The release Argo CD resolves a chart's version range to (its `status.sync.revisions` entry). */
export function resolveChartVersion(chart: string, range: string): string {
  const newest = CHART_RELEASES[chart];
  if (
    newest &&
    new RegExp(`^${range.replace(/\./g, '\\.').replace(/\*/g, '\\d+')}$`).test(
      newest,
    )
  )
    return newest;
  return range.replace(/\*/g, '0');
}

function appOfAppsSources(ctx: AppContext) {
  return [
    patternRef,
    {
      repoURL: VP_CHART_REPO,
      chart: 'clustergroup',
      targetRevision: CLUSTERGROUP_CHART_VERSION,
      helm: {
        ignoreMissingValueFiles: true,
        valueFiles: [
          '$patternref/values-global.yaml',
          `$patternref/values-${ctx.group}.yaml`,
        ],
        parameters: [
          { name: 'global.pattern', value: ctx.pattern },
          { name: 'global.clusterDomain', value: 'apps.fleet.example.com' },
          { name: 'clusterGroup.name', value: ctx.group },
        ],
      },
    },
  ];
}

export function drawState(prng: Prng, healthyBias = 0): [Sync, Health] {
  if (healthyBias && prng.next() < healthyBias) return ['Synced', 'Healthy'];
  return prng.weighted(STATES);
}

/** status.resources entries (Argo CD 3.x leaves per-resource health out of the CR). */
function resources(def: AppDef | undefined, children: string[], sync: Sync) {
  if (!def) {
    return children.map((name, i) => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      kind: 'Application',
      namespace: ARGO_NS,
      name,
      status: i === 0 && sync === 'OutOfSync' ? 'OutOfSync' : 'Synced',
    }));
  }
  return def.workloads.map((w, i) => {
    const r: Record<string, unknown> = {
      group: w.group,
      version: w.version,
      kind: w.kind,
      name: w.name,
      status: i === 0 && sync !== 'Synced' ? sync : 'Synced',
    };
    if (!/^(ClusterSecretStore|MultiClusterHub)$/.test(w.kind))
      r.namespace = def.namespace;
    if (w.group === '') delete r.group;
    return r;
  });
}

export function application(
  prng: Prng,
  ctx: AppContext,
  def: AppDef | undefined,
  children: string[],
  state: [Sync, Health],
): KObject {
  const [sync, health] = state;
  const isParent = !def;
  const name = def ? def.name : `${ctx.pattern}-${ctx.group}`;
  const revision = prng.hex(40);
  const created = ts((20 + prng.int(200)) * 86400000);
  const deployedAt = ts(prng.int(7 * 86400000) + 3600000);
  const deployStarted = new Date(
    Date.parse(deployedAt) - 4000 - prng.int(20000),
  )
    .toISOString()
    .replace(/\.\d+Z$/, 'Z');
  const destination = isParent
    ? { server: ctx.server, namespace: ARGO_NS }
    : { server: ctx.server, namespace: def!.namespace };
  const syncPolicy = memo(`syncPolicy:${isParent}`, () => ({
    automated: { prune: false, selfHeal: true },
    retry: { limit: 20 },
    ...(isParent ? { syncOptions: ['CreateNamespace=true'] } : {}),
  }));
  const spec: Record<string, any> = {
    project: isParent ? 'default' : def!.project,
    destination,
    syncPolicy,
  };
  if (isParent) {
    spec.sources = memo(`sources:${ctx.pattern}:${ctx.group}`, () =>
      appOfAppsSources(ctx),
    );
  } else {
    Object.assign(spec, sourceSpec(def!, ctx));
  }
  const multiSource = Array.isArray(spec.sources);
  const srcRecord: Record<string, unknown> = multiSource
    ? { sources: spec.sources }
    : { source: spec.source };
  // children are created by the app-of-apps, so they carry Argo CD's tracking label
  const labels = memo(
    `labels:${ctx.pattern}:${ctx.group}:${isParent}`,
    (): Record<string, string> =>
      isParent
        ? { [PATTERN_LABEL]: ctx.pattern }
        : {
            [PATTERN_LABEL]: ctx.pattern,
            'app.kubernetes.io/instance': `${ctx.pattern}-${ctx.group}`,
          },
  );
  const initiatedBy = memo('initiatedBy', () => ({ automated: true }));
  const retry = memo('retry', () => ({ limit: 20 }));
  // One revision per source: the pattern repo's commit for the ref, the release a chart's
  // version range resolved to. The app of apps draws its hash even when every source is a
  // chart, so the seeded sequence, and with it every seeded fleet, does not depend on that.
  const parentDraw = isParent ? prng.hex(40) : undefined;
  const revisions: string[] | undefined = multiSource
    ? [
        revision,
        ...(spec.sources as any[])
          .slice(1)
          .map(s =>
            s.chart
              ? resolveChartVersion(s.chart, s.targetRevision)
              : parentDraw ?? revision,
          ),
      ]
    : undefined;
  const revisionRecord = revisions ? { revisions } : { revision };
  const status: Record<string, any> = {
    sync: {
      status: sync,
      ...revisionRecord,
      comparedTo: { ...srcRecord, destination },
    },
    health: { status: health, lastTransitionTime: deployedAt },
    operationState: {
      operation: {
        sync: revisionRecord,
        initiatedBy,
        retry,
      },
      phase:
        sync === 'OutOfSync' && health === 'Degraded' ? 'Failed' : 'Succeeded',
      message:
        sync === 'OutOfSync' && health === 'Degraded'
          ? 'one or more objects failed to apply, reason: admission webhook denied the request'
          : 'successfully synced (all tasks run)',
      syncResult: {
        revision,
        ...(revisions ? { revisions } : {}),
        ...srcRecord,
      },
      startedAt: deployStarted,
      finishedAt: deployedAt,
    },
    history: [
      {
        id: 1 + prng.int(40),
        revision,
        deployedAt,
        deployStartedAt: deployStarted,
        ...srcRecord,
        initiatedBy,
        ...(revisions ? { revisions } : {}),
      },
    ],
    reconciledAt: ts(prng.int(180000)),
    sourceType: 'Helm',
    summary: memo(`summary:${def?.name}`, () =>
      def?.images ? { images: def.images } : {},
    ),
    resources: memo(
      `resources:${def?.name ?? `parent:${children.join(',')}`}:${sync}`,
      () => resources(def, children, sync),
    ),
    controllerNamespace: ARGO_NS,
    resourceHealthSource: 'appTree',
  };
  if (multiSource)
    status.sourceTypes = memo('sourceTypes', () => ['Helm', 'Helm']);
  if (sync === 'Unknown') {
    status.conditions = [
      {
        type: 'ComparisonError',
        message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = failed to list refs: dial tcp: lookup github.com: i/o timeout`,
        lastTransitionTime: deployedAt,
      },
    ];
  } else if (status.operationState.phase === 'Failed') {
    status.conditions = [
      {
        type: 'SyncError',
        message:
          'Failed sync attempt: one or more objects failed to apply (dry run)',
        lastTransitionTime: deployedAt,
      },
    ];
  }
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: {
      name,
      namespace: ARGO_NS,
      uid: prng.uuid(),
      generation: 2 + prng.int(30),
      creationTimestamp: created,
      labels,
      ...(isParent
        ? {}
        : {
            finalizers: memo('finalizers', () => [
              'resources-finalizer.argocd.argoproj.io',
            ]),
          }),
    },
    spec,
    status,
  };
}
