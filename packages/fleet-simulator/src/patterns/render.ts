import YAML from 'yaml';
import type { LabelRequirement } from '../k8s/selectors';

/**
 * What the clustergroup chart renders from a pattern's values files, as the Validated
 * Patterns operator and ACM deploy it: a cluster group's Argo CD Applications, namespaces
 * and Argo projects (templates/plumbing/applications.yaml, argoProjects.yaml,
 * core/namespaces.yaml), and, from the hub's values, the managed cluster groups with the
 * label selector of their Placement (acm-chart's `acm.app.clusterSelector`).
 *
 * Only what the simulator shows is rendered; Helm's templating of value-file names and of
 * overrides is not evaluated.
 */

/** A values file does not render: names the file and the key. */
export class PatternRenderError extends Error {
  constructor(readonly file: string, readonly key: string, detail: string) {
    super(`${file}: ${key ? `${key}: ` : ''}${detail}`);
    this.name = 'PatternRenderError';
  }
}

/** Where the rendered applications point and what the operator passes as parameters. */
export interface RenderContext {
  /** the Pattern CR's name (the operator's `global.pattern` parameter) */
  pattern: string;
  /** `spec.gitSpec.targetRepo` (`global.repoURL`) */
  repoURL: string;
  /** `spec.gitSpec.targetRevision` (`global.targetRevision`) */
  targetRevision: string;
  /** the cluster-wide Argo CD namespace (`global.vpArgoNamespace`) */
  argoNamespace: string;
  /** the Helm repository of chart apps (`global.multiSourceRepoUrl`) */
  multiSourceRepoUrl: string;
}

export type Source = {
  repoURL: string;
  targetRevision: string;
  path?: string;
  chart?: string;
  ref?: string;
  helm?: Record<string, unknown>;
};

/** One Argo CD Application as the chart renders it. */
export interface RenderedApp {
  name: string;
  /** metadata.namespace: the Argo CD namespace the app lives in */
  namespace: string;
  project: string;
  destination: { name: string; namespace: string };
  /** single-source app (a path or chart at a git/Helm revision) */
  source?: Source;
  /** multi-source app (`chartVersion` set): the pattern repo as a ref, then the chart */
  sources?: Source[];
  syncPolicy: Record<string, unknown> | null;
}

export interface LabelSelectorSpec {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface ManagedClusterGroup {
  name: string;
  /** the Placement's label selector */
  selector: LabelSelectorSpec;
  /** the same, as requirements the simulator's label matching takes */
  requirements: LabelRequirement[];
  /** extra Helm parameters of the group's app of apps */
  helmOverrides: { name: string; value: string }[];
}

export interface RenderedGroup {
  /** clusterGroup.name */
  name: string;
  /** where its Applications live */
  argoNamespace: string;
  applications: RenderedApp[];
  namespaces: string[];
  projects: string[];
  /** from `clusterGroup.managedClusterGroups` (the hub's values) */
  managedClusterGroups: ManagedClusterGroup[];
}

/** The parts of the chart's values.yaml defaults that decide what renders. */
const CHART_DEFAULTS = {
  global: {
    singleArgoCD: false,
    pattern: 'common',
    targetRevision: 'main',
    options: { syncPolicy: 'Automatic', applicationRetryLimit: 20 },
  },
  clusterGroup: {
    name: 'example',
    targetCluster: 'in-cluster',
    sharedValueFiles: [],
    managedClusterGroups: {},
    namespaces: [],
    subscriptions: {},
    applications: {},
  },
};

type Values = Record<string, any>;

const isMap = (v: unknown): v is Values =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Later value files win; maps merge key by key, lists and scalars replace (helm -f a -f b). */
function mergeFiles(base: Values, over: Values): Values {
  const out: Values = { ...base };
  for (const [k, v] of Object.entries(over)) {
    out[k] = isMap(v) && isMap(out[k]) ? mergeFiles(out[k], v) : v;
  }
  return out;
}

/** User values over the chart's defaults: a null drops a default, as Helm coalesces. */
function coalesceDefaults(user: Values, defaults: Values): Values {
  const out: Values = { ...defaults };
  for (const [k, v] of Object.entries(user)) {
    if (v === null && k in defaults) delete out[k];
    else if (isMap(v) && isMap(defaults[k]))
      out[k] = coalesceDefaults(v, defaults[k]);
    else out[k] = v;
  }
  return out;
}

/** `--set a.b.c=v`: a parameter wins over every values file. */
function setParameter(values: Values, name: string, value: unknown) {
  const parts = name.split('.');
  let cur = values;
  for (const p of parts.slice(0, -1)) {
    if (!isMap(cur[p])) cur[p] = {};
    cur = cur[p];
  }
  cur[parts[parts.length - 1]] = value;
}

/** Parse one values file; a missing file counts as empty (`ignoreMissingValueFiles`). */
export function parseValuesFile(
  file: string,
  text: string | undefined,
): Values {
  if (text === undefined) return {};
  let doc: unknown;
  try {
    doc = YAML.parse(text, { uniqueKeys: true });
  } catch (e) {
    throw new PatternRenderError(
      file,
      '',
      `not valid YAML: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  if (doc === null || doc === undefined) return {};
  if (!isMap(doc))
    throw new PatternRenderError(file, '', 'must be a YAML map of values');
  return doc;
}

/** Entries of a map (in key order, as Go templates range over maps) or of a list. */
function entries(v: unknown, file: string, key: string): [string, unknown][] {
  if (v === undefined || v === null) return [];
  if (Array.isArray(v)) return v.map((x, i) => [String(i), x]);
  if (isMap(v))
    return Object.keys(v)
      .sort()
      .map(k => [k, v[k]]);
  throw new PatternRenderError(file, key, 'must be a map or a list');
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** The chart's sync policy: Automatic, Manual, or an object taken as it is. */
function syncPolicyOf(app: Values, values: Values): RenderedApp['syncPolicy'] {
  const sp = app.syncPolicy || values.global?.options?.syncPolicy;
  const retry = {
    limit: Number(values.global?.options?.applicationRetryLimit) || 20,
  };
  if (typeof sp === 'string' && sp.toLowerCase() === 'manual') return null;
  if (isMap(sp)) return sp;
  return { automated: {}, retry };
}

function renderApp(
  key: string,
  app: Values,
  values: Values,
  ctx: RenderContext,
  argoNamespace: string,
  file: string,
): RenderedApp {
  const at = `clusterGroup.applications.${key}`;
  const name = str(app.name);
  if (!name) throw new PatternRenderError(file, `${at}.name`, 'is required');
  const chart = str(app.chart);
  const path = str(app.path);
  if (!chart && !path)
    throw new PatternRenderError(file, at, 'needs a path or a chart');
  const g = values.global;
  const what = chart ? { chart } : { path: path! };
  const helm = app.kustomize || app.plugin ? undefined : helmOf(app, values);
  const rendered: RenderedApp = {
    name,
    namespace: argoNamespace,
    project: str(app.argoProject) ?? str(app.project) ?? 'default',
    destination: {
      name: str(values.clusterGroup.targetCluster) ?? 'in-cluster',
      namespace: str(app.namespace) ?? argoNamespace,
    },
    syncPolicy: syncPolicyOf(app, values),
  };
  const chartVersion = str(app.chartVersion);
  if (chartVersion) {
    rendered.sources = [
      {
        repoURL: g.repoURL,
        targetRevision: g.targetRevision,
        ref: 'patternref',
      },
      {
        repoURL: str(app.repoURL) ?? ctx.multiSourceRepoUrl,
        ...what,
        targetRevision: chartVersion,
        ...(helm ? { helm: helm('$patternref/') } : {}),
      },
    ];
  } else {
    rendered.source = {
      repoURL: str(app.repoURL) ?? g.repoURL,
      targetRevision: str(app.targetRevision) ?? g.targetRevision,
      ...what,
      ...(helm ? { helm: helm('/') } : {}),
    };
  }
  return rendered;
}

/** The value files every app gets (the chart's `globalvalues` helpers, platform files omitted). */
function helmOf(app: Values, values: Values) {
  const group = values.clusterGroup.name;
  return (prefix: string) => ({
    ignoreMissingValueFiles: true,
    valueFiles: [
      `${prefix}values-global.yaml`,
      `${prefix}values-${group}.yaml`,
      ...((values.clusterGroup.sharedValueFiles ?? []) as unknown[]).map(
        String,
      ),
      ...(
        (Array.isArray(app.extraValueFiles)
          ? app.extraValueFiles
          : []) as unknown[]
      ).map(String),
    ],
  });
}

function renderNamespaces(v: unknown, file: string): string[] {
  const out: string[] = [];
  for (const [k, ns] of entries(v, file, 'clusterGroup.namespaces')) {
    if (Array.isArray(v)) {
      if (ns === null || ns === undefined) continue;
      if (typeof ns === 'string') out.push(ns);
      else if (isMap(ns)) {
        for (const [name, spec] of Object.entries(ns))
          if (!(isMap(spec) && spec.disabled)) out.push(name);
      } else
        throw new PatternRenderError(
          file,
          `clusterGroup.namespaces[${k}]`,
          'must be a name or a map',
        );
    } else if (!(isMap(ns) && ns.disabled)) out.push(k);
  }
  return out;
}

function renderProjects(cg: Values, file: string): string[] {
  const key = cg.projects ? 'projects' : 'argoProjects';
  const v = cg.projects || cg.argoProjects;
  if (isMap(v)) return Object.keys(v).sort();
  return entries(v, file, `clusterGroup.${key}`).map(([i, p]) => {
    if (typeof p !== 'string')
      throw new PatternRenderError(
        file,
        `clusterGroup.${key}[${i}]`,
        'must be a project name',
      );
    return p;
  });
}

const OPERATORS: Record<string, 'in' | 'notin' | 'exists' | 'notexists'> = {
  In: 'in',
  NotIn: 'notin',
  Exists: 'exists',
  DoesNotExist: 'notexists',
};

/** A Placement's label selector, checked as the API server checks a LabelSelector. */
export function selectorRequirements(
  sel: unknown,
  file: string,
  at: string,
): LabelRequirement[] {
  if (!isMap(sel)) throw new PatternRenderError(file, at, 'must be a map');
  const reqs: LabelRequirement[] = [];
  if (sel.matchLabels !== undefined && sel.matchLabels !== null) {
    if (!isMap(sel.matchLabels))
      throw new PatternRenderError(file, `${at}.matchLabels`, 'must be a map');
    for (const [key, value] of Object.entries(sel.matchLabels))
      reqs.push({ key, op: 'eq', value: String(value ?? '') });
  }
  if (sel.matchExpressions !== undefined && sel.matchExpressions !== null) {
    if (!Array.isArray(sel.matchExpressions))
      throw new PatternRenderError(
        file,
        `${at}.matchExpressions`,
        'must be a list',
      );
    sel.matchExpressions.forEach((e: unknown, i: number) => {
      const here = `${at}.matchExpressions[${i}]`;
      if (!isMap(e) || !str(e.key))
        throw new PatternRenderError(file, `${here}.key`, 'is required');
      const op = OPERATORS[String(e.operator)];
      if (!op)
        throw new PatternRenderError(
          file,
          `${here}.operator`,
          `"${e.operator}" is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`,
        );
      const values: unknown[] = Array.isArray(e.values) ? e.values : [];
      if ((op === 'in' || op === 'notin') && !values.length)
        throw new PatternRenderError(
          file,
          `${here}.values`,
          `must be specified when operator is ${e.operator}`,
        );
      if ((op === 'exists' || op === 'notexists') && values.length)
        throw new PatternRenderError(
          file,
          `${here}.values`,
          `may not be specified when operator is ${e.operator}`,
        );
      const key = String(e.key);
      if (op === 'in' || op === 'notin')
        reqs.push({ key, op, values: values.map(String) });
      else reqs.push({ key, op });
    });
  }
  return reqs;
}

const NOT_LOCAL = {
  key: 'local-cluster',
  operator: 'NotIn',
  values: ['true'],
};

function renderManagedGroups(v: unknown, file: string): ManagedClusterGroup[] {
  const out: ManagedClusterGroup[] = [];
  for (const [k, g] of entries(v, file, 'clusterGroup.managedClusterGroups')) {
    const at = `clusterGroup.managedClusterGroups.${k}`;
    if (g === null || g === undefined) continue;
    if (!isMap(g)) throw new PatternRenderError(file, at, 'must be a map');
    const name = str(g.name);
    if (!name) throw new PatternRenderError(file, `${at}.name`, 'is required');
    let selector: LabelSelectorSpec;
    if (g.clusterSelector) {
      selector = g.clusterSelector as LabelSelectorSpec;
    } else {
      const labels: Record<string, string> = {};
      for (const [i, l] of entries(g.acmlabels, file, `${at}.acmlabels`)) {
        if (Array.isArray(g.acmlabels)) {
          if (!isMap(l) || !str(l.name))
            throw new PatternRenderError(
              file,
              `${at}.acmlabels[${i}].name`,
              'is required',
            );
          labels[String(l.name)] = String(l.value ?? '');
        } else labels[i] = String(l ?? '');
      }
      selector = {
        matchExpressions: [NOT_LOCAL],
        matchLabels: Object.keys(labels).length
          ? labels
          : { clusterGroup: name },
      };
    }
    const helmOverrides = entries(
      g.helmOverrides,
      file,
      `${at}.helmOverrides`,
    ).map(([i, o]) => {
      if (!isMap(o) || !str(o.name))
        throw new PatternRenderError(
          file,
          `${at}.helmOverrides[${i}].name`,
          'is required',
        );
      return { name: String(o.name), value: String(o.value ?? '') };
    });
    out.push({
      name,
      selector,
      requirements: selectorRequirements(
        selector,
        file,
        g.clusterSelector ? `${at}.clusterSelector` : at,
      ),
      helmOverrides,
    });
  }
  return out;
}

/**
 * Render one cluster group from the pattern's files (`files(path)` gives a file's text, or
 * undefined when the repo has none): `values-global.yaml` then `values-<group>.yaml` over the
 * chart's defaults, with the operator's parameters (and a spoke group's `helmOverrides`) on
 * top. Throws PatternRenderError naming the file and key of the first problem.
 */
export function renderClusterGroup(
  files: (path: string) => string | undefined,
  group: string,
  ctx: RenderContext,
  overrides: { name: string; value: string }[] = [],
): RenderedGroup {
  const groupFile = `values-${group}.yaml`;
  const merged = mergeFiles(
    parseValuesFile('values-global.yaml', files('values-global.yaml')),
    parseValuesFile(groupFile, files(groupFile)),
  );
  for (const [k, file] of [
    ['global', 'values-global.yaml'],
    ['clusterGroup', groupFile],
  ])
    if (merged[k] !== undefined && merged[k] !== null && !isMap(merged[k]))
      throw new PatternRenderError(file, k, 'must be a map');
  const values = coalesceDefaults(merged, CHART_DEFAULTS);
  const params: [string, unknown][] = [
    ['global.pattern', ctx.pattern],
    ['global.repoURL', ctx.repoURL],
    ['global.targetRevision', ctx.targetRevision],
    ['global.vpArgoNamespace', ctx.argoNamespace],
    ['global.multiSourceRepoUrl', ctx.multiSourceRepoUrl],
    ['clusterGroup.name', group],
    ...overrides.map(o => [o.name, o.value] as [string, unknown]),
  ];
  for (const [name, value] of params) setParameter(values, name, value);
  const cg = values.clusterGroup;
  const argoNamespace = values.global.singleArgoCD
    ? ctx.argoNamespace
    : `${ctx.pattern}-${cg.name}`;
  const applications: RenderedApp[] = [];
  const seen = new Set<string>();
  for (const [k, app] of entries(
    cg.applications,
    groupFile,
    'clusterGroup.applications',
  )) {
    if (app === null || app === undefined) continue;
    if (!isMap(app))
      throw new PatternRenderError(
        groupFile,
        `clusterGroup.applications.${k}`,
        'must be a map',
      );
    if (app.disabled) continue;
    const rendered = renderApp(k, app, values, ctx, argoNamespace, groupFile);
    if (seen.has(rendered.name))
      throw new PatternRenderError(
        groupFile,
        `clusterGroup.applications.${k}.name`,
        `application "${rendered.name}" is declared twice`,
      );
    seen.add(rendered.name);
    applications.push(rendered);
  }
  return {
    name: String(cg.name),
    argoNamespace,
    applications,
    namespaces: renderNamespaces(cg.namespaces, groupFile),
    projects: renderProjects(cg, groupFile),
    managedClusterGroups: renderManagedGroups(
      cg.managedClusterGroups,
      groupFile,
    ),
  };
}
