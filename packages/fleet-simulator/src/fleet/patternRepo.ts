import YAML from 'yaml';
import type { LabelRequirement } from '../k8s/selectors';
import { renderClusterGroup, RenderedApp } from '../patterns/render';
import { ARGO_NS, VP_CHART_REPO } from './apps';
import { AppDef, HUB_APPS, PATTERN_REPO } from './catalog';

/**
 * The pattern repo the seeded fleet comes from: the values files the simulator writes for
 * the hub and each cluster group, rendered by the same clustergroup-chart stand-in as a
 * Pattern's real repo. A Pattern pointing at a repo with these files deploys the seeded
 * fleet's applications on the same clusters.
 */

export interface SeededPatternOptions {
  pattern: string;
  groups: string[];
  /** each group's applications, in the order the values file lists them */
  groupApps: AppDef[];
}

const uniq = (xs: string[]) => [...new Set(xs)];

/** Applications as a list: the chart keeps a list's order, and the fleet is drawn in it. */
function applications(defs: AppDef[]) {
  return defs.map(d => ({
    name: d.name,
    namespace: d.namespace,
    argoProject: d.project,
    ...(d.chart ? { chart: d.chart, chartVersion: d.chartVersion } : {}),
    ...(d.path ? { path: d.path } : {}),
  }));
}

function clusterGroup(name: string, defs: AppDef[], extra = {}) {
  return YAML.stringify({
    clusterGroup: {
      name,
      namespaces: uniq(defs.map(d => d.namespace)),
      argoProjects: uniq(defs.map(d => d.project)),
      applications: applications(defs),
      ...extra,
    },
  });
}

/** The values files of the seeded pattern, by file name. */
export function seededPatternFiles(
  o: SeededPatternOptions,
): Record<string, string> {
  const files: Record<string, string> = {
    'values-global.yaml': YAML.stringify({
      global: {
        pattern: o.pattern,
        singleArgoCD: true,
        options: {
          useCSV: false,
          syncPolicy: 'Automatic',
          installPlanApproval: 'Automatic',
        },
      },
      main: {
        clusterGroupName: 'hub',
        multiSourceConfig: { enabled: true, clusterGroupChartVersion: '0.9.*' },
      },
    }),
    'values-hub.yaml': clusterGroup('hub', HUB_APPS, {
      managedClusterGroups: o.groups.map(g => ({
        name: g,
        acmlabels: [{ name: 'clusterGroup', value: g }],
      })),
    }),
  };
  for (const g of o.groups)
    files[`values-${g}.yaml`] = clusterGroup(g, o.groupApps);
  return files;
}

export interface SeededPattern {
  hubApps: AppDef[];
  groups: { name: string; requirements: LabelRequirement[]; apps: AppDef[] }[];
}

/** The seeded pattern's files rendered: the hub's apps, each group's apps and selector. */
export function renderSeededPattern(o: SeededPatternOptions): SeededPattern {
  const files = seededPatternFiles(o);
  const ctx = {
    pattern: o.pattern,
    repoURL: PATTERN_REPO,
    targetRevision: 'main',
    argoNamespace: ARGO_NS,
    multiSourceRepoUrl: VP_CHART_REPO,
  };
  const known = new Map(
    [...HUB_APPS, ...o.groupApps].map(d => [d.name, d] as const),
  );
  // what the fleet draws of an app beyond the chart: its workloads and images
  const toDef = (a: RenderedApp): AppDef => {
    const s = a.sources ? a.sources[1] : a.source!;
    const def = known.get(a.name);
    return {
      name: a.name,
      namespace: a.destination.namespace,
      project: a.project,
      ...(s.chart ? { chart: s.chart } : {}),
      ...(a.sources ? { chartVersion: s.targetRevision } : {}),
      ...(s.path ? { path: s.path } : {}),
      workloads: def?.workloads ?? [],
      ...(def?.images ? { images: def.images } : {}),
    };
  };
  const read = (f: string) => files[f];
  const hub = renderClusterGroup(read, 'hub', ctx);
  return {
    hubApps: hub.applications.map(toDef),
    groups: hub.managedClusterGroups.map(g => ({
      name: g.name,
      requirements: g.requirements,
      apps: renderClusterGroup(read, g.name, ctx).applications.map(toDef),
    })),
  };
}
