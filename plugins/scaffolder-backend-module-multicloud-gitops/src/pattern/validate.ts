// One module for every rule a pattern repository must meet (values-global, each cluster
// group's file, applications, managed groups): the rules refer to each other's names, and
// one pass over the checkout reports all problems at once.
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  GLOBAL_VALUES_FILE,
  METADATA_FILE,
  PatternCheckout,
  groupFileName,
} from './checkout';
import { checkShape } from './checkShape';
import { PatternIssue, hasErrors } from './issues';
import { checkDns1123Label, checkNameLengthRule } from './names';
import { checkRepoRelativePath } from './safePath';
import { scanForSecrets } from './secrets';
import { isObj } from './yamlSafe';
import {
  clusterGroupShape,
  globalShape,
  mainShape,
  topLevelExtraShapes,
} from './shapes';

/** @public */
export interface ValidationResult {
  valid: boolean;
  errors: PatternIssue[];
  warnings: PatternIssue[];
}

type Obj = Record<string, unknown>;

type Report = (
  severity: PatternIssue['severity'],
  at: string,
  message: string,
) => void;

/** Adds findings about one file to `issues`. */
function reportTo(issues: PatternIssue[], file: string): Report {
  return (severity, at, message) => {
    issues.push({ severity, file, path: at, message });
  };
}

/** Entries of a list-or-map section with the YAML path key of each entry. */
export function sectionEntries(
  section: unknown,
): Array<[string | number, unknown]> {
  if (Array.isArray(section)) {
    return section.map((v, i) => [i, v]);
  }
  if (isObj(section)) {
    return Object.entries(section);
  }
  return [];
}

/** Names declared in a namespaces/argoProjects section, in either form. */
export function declaredNames(section: unknown): string[] {
  if (Array.isArray(section)) {
    return section
      .map(v => (typeof v === 'string' || !isObj(v) ? v : v.name))
      .filter((v): v is string => typeof v === 'string');
  }
  if (isObj(section)) {
    return Object.entries(section).map(([k, v]) =>
      isObj(v) && typeof v.name === 'string' ? v.name : k,
    );
  }
  return [];
}

// The operator and ACM inject these at runtime; a value in git is overridden
// at best and confusing at worst (validated-patterns.md §2.1).
const INJECTED_GLOBALS = [
  'repoURL',
  'targetRevision',
  'hubClusterDomain',
  'localClusterDomain',
  'clusterDomain',
  'clusterPlatform',
  'clusterVersion',
  'localClusterName',
  'multiSourceSupport',
  'vpArgoNamespace',
  'deletePattern',
];

function validateGlobal(
  data: unknown,
  checkout: PatternCheckout,
  issues: PatternIssue[],
): { pattern?: string; hubGroup?: string } {
  const file = GLOBAL_VALUES_FILE;
  const report = reportTo(issues, file);
  if (!isObj(data)) {
    report('error', '', 'must be a map with global: and main: sections');
    return {};
  }
  for (const [key, shape] of Object.entries(topLevelExtraShapes)) {
    if (data[key] !== undefined && data[key] !== null) {
      checkShape(data[key], shape, file, [key], issues);
    }
  }
  const global = data.global;
  let pattern: string | undefined;
  if (!isObj(global)) {
    report(
      'error',
      'global',
      'is required; add global.pattern (the pattern name) and global.options {useCSV: false, syncPolicy: Automatic, installPlanApproval: Automatic}',
    );
  } else {
    checkShape(global, globalShape, file, ['global'], issues);
    const problem = checkDns1123Label(global.pattern, 'global.pattern');
    if (problem) {
      report(
        'error',
        'global.pattern',
        `${problem}; it names the Pattern CR, Argo CD apps and namespaces`,
      );
    } else {
      pattern = global.pattern as string;
    }
    for (const key of INJECTED_GLOBALS) {
      if (global[key] !== undefined) {
        report(
          'warning',
          `global.${key}`,
          'is set at runtime by the patterns operator or ACM; remove it from the file',
        );
      }
    }
  }
  const main = data.main;
  let hubGroup: string | undefined;
  if (!isObj(main)) {
    report(
      'error',
      'main',
      'is required; add main.clusterGroupName (the hub group, e.g. hub) and main.multiSourceConfig.enabled: true',
    );
  } else {
    checkShape(main, mainShape, file, ['main'], issues);
    const problem = checkDns1123Label(
      main.clusterGroupName,
      'main.clusterGroupName',
    );
    if (problem) {
      report('error', 'main.clusterGroupName', problem);
    } else {
      hubGroup = main.clusterGroupName as string;
      if (!checkout.groups.has(hubGroup)) {
        report(
          'error',
          'main.clusterGroupName',
          `names group "${hubGroup}" but ${groupFileName(
            hubGroup,
          )} does not exist; create it or fix the name`,
        );
      }
    }
    const msc = main.multiSourceConfig;
    if (!isObj(msc) || msc.enabled !== true) {
      report(
        'error',
        'main.multiSourceConfig.enabled',
        'must be true (the install playbook refuses patterns without multi-source); set main.multiSourceConfig.enabled: true',
      );
    }
  }
  return { pattern, hubGroup };
}

function validateApplications(
  cg: Obj,
  file: string,
  issues: PatternIssue[],
  pathChecks: Array<{ file: string; at: string; rel: string }>,
): void {
  const report = reportTo(issues, file);
  const namespaces = new Set(declaredNames(cg.namespaces));
  const projects = new Set([
    ...declaredNames(cg.argoProjects),
    ...declaredNames(cg.projects),
  ]);
  const seen = new Map<string, string>();
  for (const [key, app] of sectionEntries(cg.applications)) {
    if (!isObj(app)) {
      continue; // reported by the shape check
    }
    const base =
      typeof key === 'number'
        ? `clusterGroup.applications[${key}]`
        : `clusterGroup.applications.${key}`;
    if (typeof app.name === 'string') {
      const problem = checkDns1123Label(app.name, 'application name');
      if (problem) {
        report('error', `${base}.name`, problem);
      }
      const previous = seen.get(app.name);
      if (previous) {
        report(
          'error',
          `${base}.name`,
          `duplicates ${previous}; Argo CD application names must be unique in a group, rename one`,
        );
      }
      seen.set(app.name, base);
    }
    if (app.namespace !== undefined && app.namespace !== null) {
      const problem = checkDns1123Label(app.namespace, 'namespace');
      if (problem) {
        report('error', `${base}.namespace`, problem);
      } else if (!namespaces.has(app.namespace as string)) {
        report(
          'warning',
          `${base}.namespace`,
          `namespace "${app.namespace}" is not in clusterGroup.namespaces; add it there so the framework creates it`,
        );
      }
    }
    const project = (app.argoProject ?? app.project) as unknown;
    if (typeof project === 'string' && !projects.has(project)) {
      report(
        'error',
        `${base}.${app.argoProject !== undefined ? 'argoProject' : 'project'}`,
        `Argo CD project "${project}" is not declared; add it to clusterGroup.argoProjects`,
      );
    }
    const hasPath = typeof app.path === 'string';
    const hasChart = typeof app.chart === 'string';
    if (
      !hasPath &&
      !hasChart &&
      app.kustomize !== true &&
      app.plugin === undefined
    ) {
      report(
        'error',
        base,
        'has no source; set path (a chart directory in the repo) or chart with chartVersion',
      );
    }
    if (hasChart && app.chartVersion === undefined) {
      report(
        'error',
        `${base}.chartVersion`,
        `is required with chart "${app.chart}"; set the chart version, e.g. "0.1.*"`,
      );
    }
    if (hasPath) {
      const problem = checkRepoRelativePath(app.path as string);
      if (problem) {
        report('error', `${base}.path`, problem);
      } else if (app.repoURL === undefined && !hasChart) {
        pathChecks.push({ file, at: `${base}.path`, rel: app.path as string });
      }
    }
  }
}

function validateManagedGroups(
  cg: Obj,
  file: string,
  isHub: boolean,
  pattern: string | undefined,
  checkout: PatternCheckout,
  issues: PatternIssue[],
): void {
  const report = reportTo(issues, file);
  if (
    cg.managedClusterGroups === undefined ||
    cg.managedClusterGroups === null
  ) {
    return;
  }
  if (!isHub) {
    report(
      'warning',
      'clusterGroup.managedClusterGroups',
      'is only read from the hub group (main.clusterGroupName); move it to the hub values file',
    );
  }
  const seen = new Set<string>();
  for (const [key, entry] of sectionEntries(cg.managedClusterGroups)) {
    if (!isObj(entry) || typeof entry.name !== 'string') {
      continue; // reported by the shape check
    }
    const base =
      typeof key === 'number'
        ? `clusterGroup.managedClusterGroups[${key}]`
        : `clusterGroup.managedClusterGroups.${key}`;
    const name = entry.name;
    const problem = checkDns1123Label(name, 'managed cluster group name');
    if (problem) {
      report('error', `${base}.name`, problem);
      continue;
    }
    if (seen.has(name)) {
      report(
        'error',
        `${base}.name`,
        `group "${name}" is listed twice; remove one entry`,
      );
    }
    seen.add(name);
    if (pattern) {
      const rule = checkNameLengthRule(pattern, name);
      if (rule) {
        report('error', `${base}.name`, rule);
      }
    }
    if (!checkout.groups.has(name)) {
      report(
        'error',
        `${base}.name`,
        `${groupFileName(
          name,
        )} is missing; create it with clusterGroup.name: ${name} (multicloud-gitops-pattern add-cluster-group does)`,
      );
    }
    if (Array.isArray(entry.acmlabels) && entry.acmlabels.length > 0) {
      const hasGroupLabel = entry.acmlabels.some(
        l => isObj(l) && l.name === 'clusterGroup' && l.value === name,
      );
      if (!hasGroupLabel) {
        report(
          'warning',
          `${base}.acmlabels`,
          `does not select clusterGroup=${name}; clusters imported with that label will not join the group. Add {name: clusterGroup, value: ${name}}`,
        );
      }
    }
  }
}

function validateGroupFile(
  group: string,
  data: unknown,
  file: string,
  ctx: { pattern?: string; hubGroup?: string },
  checkout: PatternCheckout,
  issues: PatternIssue[],
  pathChecks: Array<{ file: string; at: string; rel: string }>,
): void {
  const report = reportTo(issues, file);
  if (!isObj(data) || !isObj(data.clusterGroup)) {
    report(
      'error',
      'clusterGroup',
      `is required; add clusterGroup with name: ${group}, namespaces and applications`,
    );
    return;
  }
  for (const [key, shape] of Object.entries(topLevelExtraShapes)) {
    if (data[key] !== undefined && data[key] !== null) {
      checkShape(data[key], shape, file, [key], issues);
    }
  }
  const cg = data.clusterGroup;
  checkShape(cg, clusterGroupShape, file, ['clusterGroup'], issues);
  const groupProblem = checkDns1123Label(group, 'group name');
  if (groupProblem) {
    report('error', '', `${groupProblem}; rename the file`);
  }
  if (cg.name !== undefined && cg.name !== group) {
    report(
      'error',
      'clusterGroup.name',
      `is "${String(cg.name)}" but the file is ${groupFileName(
        group,
      )}; set clusterGroup.name: ${group}`,
    );
  }
  if (ctx.pattern && !groupProblem) {
    const rule = checkNameLengthRule(ctx.pattern, group);
    if (rule) {
      report('error', 'clusterGroup.name', rule);
    }
  }
  for (const ns of declaredNames(cg.namespaces)) {
    const problem = checkDns1123Label(ns, 'namespace');
    if (problem) {
      report('error', `clusterGroup.namespaces.${ns}`, problem);
    }
  }
  for (const project of declaredNames(cg.argoProjects)) {
    const problem = checkDns1123Label(project, 'Argo CD project');
    if (problem) {
      report('error', 'clusterGroup.argoProjects', problem);
    }
  }
  validateApplications(cg, file, issues, pathChecks);
  validateManagedGroups(
    cg,
    file,
    group === ctx.hubGroup,
    ctx.pattern,
    checkout,
    issues,
  );
}

/**
 * Validates a pattern checkout against our rules. Never throws for content
 * problems; every finding is returned.
 *
 * @public
 */
export async function validatePattern(
  checkout: PatternCheckout,
): Promise<ValidationResult> {
  const issues: PatternIssue[] = [...checkout.readIssues];
  const pathChecks: Array<{ file: string; at: string; rel: string }> = [];
  let ctx: { pattern?: string; hubGroup?: string } = {};
  if (checkout.global && checkout.global.data !== undefined) {
    ctx = validateGlobal(checkout.global.data, checkout, issues);
  }
  for (const [group, f] of checkout.groups) {
    if (f.data === undefined && f.text.trim() !== '') {
      continue; // parse errors already reported
    }
    validateGroupFile(group, f.data, f.file, ctx, checkout, issues, pathChecks);
  }
  const meta = checkout.metadata?.data;
  if (
    isObj(meta) &&
    ctx.pattern &&
    meta.name !== undefined &&
    meta.name !== ctx.pattern
  ) {
    reportTo(issues, METADATA_FILE)(
      'warning',
      'name',
      `is "${String(meta.name)}" but global.pattern is "${
        ctx.pattern
      }"; use the same name in both`,
    );
  }
  const pendingPaths = [...(checkout.pending?.keys() ?? [])];
  for (const check of pathChecks) {
    if (
      pendingPaths.some(p => p.startsWith(`${check.rel.replace(/\/+$/, '')}/`))
    ) {
      continue;
    }
    const exists = await fs
      .stat(path.join(checkout.dir, check.rel))
      .then(s => s.isDirectory())
      .catch(() => false);
    if (!exists) {
      reportTo(issues, check.file)(
        'warning',
        check.at,
        `directory ${check.rel} is not in the repository; add the chart there or point path at an existing one`,
      );
    }
  }
  issues.push(...(await scanForSecrets(checkout)));
  const errors = issues.filter(i => i.severity === 'error');
  const warnings = issues.filter(i => i.severity === 'warning');
  return { valid: !hasErrors(issues), errors, warnings };
}
