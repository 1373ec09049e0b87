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

function source(def: AppDef) {
  return memo(`source:${def.name}`, () => makeSource(def));
}

function makeSource(def: AppDef) {
  if (def.chart) {
    return {
      repoURL: `https://github.com/validatedpatterns/${def.chart}-chart`,
      path: '.',
      targetRevision: 'main',
      helm: { ignoreMissingValueFiles: true, releaseName: def.name },
    };
  }
  return {
    repoURL: PATTERN_REPO,
    path: def.path!,
    targetRevision: 'main',
    helm: {
      ignoreMissingValueFiles: true,
      valueFiles: ['/values-global.yaml'],
    },
  };
}

function appOfAppsSources(ctx: AppContext) {
  return [
    { repoURL: PATTERN_REPO, targetRevision: 'main', ref: 'patternref' },
    {
      repoURL: 'https://github.com/validatedpatterns/clustergroup-chart',
      path: '.',
      targetRevision: '0.9.55',
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
  let srcRecord: Record<string, unknown>;
  if (isParent) {
    spec.sources = memo(`sources:${ctx.pattern}:${ctx.group}`, () =>
      appOfAppsSources(ctx),
    );
    srcRecord = { sources: spec.sources };
  } else {
    spec.source = source(def!);
    srcRecord = { source: spec.source };
  }
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
  const status: Record<string, any> = {
    sync: isParent
      ? {
          status: sync,
          revisions: [revision, prng.hex(40)],
          comparedTo: { sources: spec.sources, destination },
        }
      : {
          status: sync,
          revision,
          comparedTo: { source: spec.source, destination },
        },
    health: { status: health, lastTransitionTime: deployedAt },
    operationState: {
      operation: {
        sync: isParent ? { revisions: [revision] } : { revision },
        initiatedBy,
        retry,
      },
      phase:
        sync === 'OutOfSync' && health === 'Degraded' ? 'Failed' : 'Succeeded',
      message:
        sync === 'OutOfSync' && health === 'Degraded'
          ? 'one or more objects failed to apply, reason: admission webhook denied the request'
          : 'successfully synced (all tasks run)',
      syncResult: { revision, ...srcRecord },
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
        ...(isParent ? { revisions: [revision] } : {}),
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
  if (isParent)
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
