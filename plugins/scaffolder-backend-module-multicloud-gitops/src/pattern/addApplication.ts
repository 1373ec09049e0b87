import { PatternCheckout, groupFileName } from './checkout';
import { FileChange } from './changes';
import { checkDns1123Label } from './names';
import { isDeepStrictEqual } from 'node:util';
import { EditPlan, finishPlan, refuse } from './plan';
import { isObj } from './yamlSafe';
import { checkRepoRelativePath } from './safePath';
import { declaredNames } from './validate';
import { ValuesEditor } from './valuesEditor';
import { patternBasics, refuseUnreadable } from './addClusterGroup';

/**
 * An application to deploy to every cluster of a group. Give either `path`
 * (a chart directory in the pattern repo) or `chart` + `chartVersion`
 * (optionally from `repoURL`, default the Validated Patterns chart repo).
 *
 * @public
 */
export interface AddApplicationOptions {
  group: string;
  app: string;
  namespace: string;
  path?: string;
  chart?: string;
  chartVersion?: string;
  repoURL?: string;
  /** Argo CD project; defaults to the application name. */
  argoProject?: string;
}

/** The map entry written for an application, keys in the order patterns use. */
export function applicationEntry(
  o: AddApplicationOptions,
): Record<string, string> {
  const entry: Record<string, string> = {
    name: o.app,
    namespace: o.namespace,
    argoProject: o.argoProject ?? o.app,
  };
  if (o.path !== undefined) {
    entry.path = o.path;
  } else {
    entry.chart = o.chart!;
    entry.chartVersion = o.chartVersion!;
    if (o.repoURL !== undefined) {
      entry.repoURL = o.repoURL;
    }
  }
  return entry;
}

function checkOptions(o: AddApplicationOptions, file: string): void {
  const base = `clusterGroup.applications.${o.app}`;
  const checks: Array<[string, string | undefined]> = [
    ['', checkDns1123Label(o.group, 'group')],
    [`${base}.name`, checkDns1123Label(o.app, 'application name')],
    [`${base}.namespace`, checkDns1123Label(o.namespace, 'namespace')],
    [
      `${base}.argoProject`,
      o.argoProject === undefined
        ? undefined
        : checkDns1123Label(o.argoProject, 'Argo CD project'),
    ],
  ];
  for (const [at, problem] of checks) {
    if (problem) {
      refuse(file, at, problem);
    }
  }
  const hasPath = o.path !== undefined;
  const hasChart = o.chart !== undefined || o.chartVersion !== undefined;
  if (hasPath === hasChart) {
    refuse(
      file,
      base,
      'give either a path (chart directory in the repo) or chart and chartVersion, not both and not neither',
    );
  }
  if (hasPath) {
    const problem = checkRepoRelativePath(o.path!);
    if (problem) {
      refuse(file, `${base}.path`, problem);
    }
    if (o.repoURL !== undefined) {
      refuse(
        file,
        `${base}.repoURL`,
        'repoURL goes with chart and chartVersion; drop it for a path in the pattern repo',
      );
    }
  } else {
    if (!o.chart || !/^[A-Za-z0-9][-A-Za-z0-9_.]*$/.test(o.chart)) {
      refuse(
        file,
        `${base}.chart`,
        `chart "${o.chart ?? ''}" must be a chart name such as hashicorp-vault`,
      );
    }
    if (
      !o.chartVersion ||
      !/^[-A-Za-z0-9_.*+~^<>=|, ]+$/.test(o.chartVersion)
    ) {
      refuse(
        file,
        `${base}.chartVersion`,
        `chartVersion "${
          o.chartVersion ?? ''
        }" must be a version or range such as 0.1.* (or a git ref when repoURL is a git repository)`,
      );
    }
    if (
      o.repoURL !== undefined &&
      !/^(https?|oci|ssh):\/\/\S+$|^git@\S+:\S+$/.test(o.repoURL)
    ) {
      refuse(
        file,
        `${base}.repoURL`,
        `repoURL "${o.repoURL}" must be an https://, oci://, ssh:// or git@host: URL`,
      );
    }
  }
}

/**
 * Plans adding an application (and its namespace and Argo CD project when
 * missing) to a cluster group. Identical existing entries mean no change; a
 * different existing entry of the same name is refused.
 *
 * @public
 */
export async function planAddApplication(
  checkout: PatternCheckout,
  options: AddApplicationOptions,
): Promise<EditPlan> {
  const file = groupFileName(String(options.group));
  checkOptions(options, file);
  patternBasics(checkout);
  const groupFile = checkout.groups.get(options.group);
  refuseUnreadable(checkout, file);
  if (!groupFile) {
    refuse(
      file,
      '',
      `is missing, so group "${options.group}" does not exist; add it first (multicloud-gitops-pattern add-cluster-group)`,
    );
  }
  const data = groupFile.data;
  if (!isObj(data) || !isObj(data.clusterGroup)) {
    refuse(
      groupFile.file,
      'clusterGroup',
      'must be a map with name, namespaces and applications',
    );
  }
  const cg = data.clusterGroup;
  const editor = new ValuesEditor(groupFile.text);
  const notes: string[] = [];
  const entry = applicationEntry(options);

  // Namespace first, so the framework creates it before Argo CD syncs into it.
  if (!declaredNames(cg.namespaces).includes(options.namespace)) {
    if (Array.isArray(cg.namespaces)) {
      editor.addItem(['clusterGroup', 'namespaces'], options.namespace);
    } else if (cg.namespaces === undefined) {
      editor.addPair(['clusterGroup'], 'namespaces', {
        [options.namespace]: null,
      });
    } else {
      editor.addPair(['clusterGroup', 'namespaces'], options.namespace, null);
    }
    notes.push(`added namespace ${options.namespace}`);
  }
  const project = entry.argoProject;
  if (
    ![
      ...declaredNames(cg.argoProjects),
      ...declaredNames(cg.projects),
    ].includes(project)
  ) {
    if (Array.isArray(cg.argoProjects) || cg.argoProjects === null) {
      editor.addItem(['clusterGroup', 'argoProjects'], project);
    } else if (cg.argoProjects === undefined) {
      editor.addPair(['clusterGroup'], 'argoProjects', [project]);
    } else {
      editor.addPair(['clusterGroup', 'argoProjects'], project, null);
    }
    notes.push(`added Argo CD project ${project}`);
  }

  const apps = cg.applications;
  let existing: unknown;
  if (Array.isArray(apps)) {
    existing = apps.find(a => isObj(a) && a.name === options.app);
  } else if (isObj(apps)) {
    existing =
      Object.values(apps).find(a => isObj(a) && a.name === options.app) ??
      apps[options.app];
  }
  if (existing !== undefined) {
    const same =
      isObj(existing) &&
      Object.entries(entry).every(([k, v]) =>
        isDeepStrictEqual(existing[k], v),
      ) &&
      ['path', 'chart', 'chartVersion', 'repoURL'].every(
        k => k in entry === (existing[k] !== undefined),
      );
    if (!same) {
      refuse(
        groupFile.file,
        `clusterGroup.applications.${options.app}`,
        `an application "${options.app}" already exists with other settings; choose another name or edit the entry by hand`,
      );
    }
    notes.push(`application ${options.app} is already in ${groupFile.file}`);
  } else if (Array.isArray(apps)) {
    editor.addItem(['clusterGroup', 'applications'], entry);
    notes.push(`added application ${options.app} to ${groupFile.file}`);
  } else {
    if (apps === undefined) {
      editor.addPair(['clusterGroup'], 'applications', {
        [options.app]: entry,
      });
    } else {
      editor.addPair(['clusterGroup', 'applications'], options.app, entry);
    }
    notes.push(`added application ${options.app} to ${groupFile.file}`);
  }
  const changes: FileChange[] = editor.changed
    ? [
        {
          file: groupFile.file,
          before: groupFile.text,
          after: editor.toString(),
        },
      ]
    : [];
  return finishPlan(checkout, changes, notes);
}
