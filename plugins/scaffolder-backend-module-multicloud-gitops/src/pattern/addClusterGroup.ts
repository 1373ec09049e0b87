import { PatternCheckout, groupFileName } from './checkout';
import { FileChange } from './changes';
import {
  checkDns1123Label,
  checkLabelKey,
  checkLabelValue,
  checkNameLengthRule,
} from './names';
import { EditPlan, finishPlan, refuse } from './plan';
import { isObj } from './yamlSafe';
import { ValuesEditor } from './valuesEditor';
import { PatternValidationError } from './issues';

/** @public */
export interface AddClusterGroupOptions {
  /** The new cluster group, e.g. `group-two`. */
  group: string;
  /**
   * Extra ACM labels the group's placement selects on, on top of
   * `clusterGroup=<group>` which is always present.
   */
  labels?: Record<string, string>;
}

/** Content of a new, empty but valid values-<group>.yaml. */
export function newGroupFile(pattern: string, group: string): string {
  return `# Cluster group "${group}". Clusters imported into ACM with the label
# clusterGroup=${group} receive the Argo CD application ${pattern}-${group},
# which deploys the applications listed here.
clusterGroup:
  name: ${group}
  namespaces: {}
  argoProjects: []
  applications: {}
`;
}

/** Refuses with the parse problems (syntax, alias bombs...) of a file we are about to edit. */
export function refuseUnreadable(
  checkout: PatternCheckout,
  file: string,
): void {
  const problems = checkout.readIssues.filter(
    i => i.file === file && i.severity === 'error',
  );
  if (problems.length > 0) {
    throw new PatternValidationError(problems);
  }
}

/** Pattern name and hub group from values-global.yaml, or a refusal naming what is missing. */
export function patternBasics(checkout: PatternCheckout): {
  pattern: string;
  hub: string;
} {
  refuseUnreadable(checkout, 'values-global.yaml');
  if (!checkout.global || checkout.global.data === undefined) {
    throw new PatternValidationError(
      checkout.readIssues.length > 0
        ? checkout.readIssues
        : [
            {
              severity: 'error',
              file: 'values-global.yaml',
              path: '',
              message: 'could not be read',
            },
          ],
    );
  }
  const data = checkout.global.data;
  const global = isObj(data) && isObj(data.global) ? data.global : {};
  const main = isObj(data) && isObj(data.main) ? data.main : {};
  const pattern = global.pattern;
  const hub = main.clusterGroupName;
  const pProblem = checkDns1123Label(pattern, 'global.pattern');
  if (pProblem) {
    refuse('values-global.yaml', 'global.pattern', pProblem);
  }
  const hProblem = checkDns1123Label(hub, 'main.clusterGroupName');
  if (hProblem) {
    refuse(
      'values-global.yaml',
      'main.clusterGroupName',
      `${hProblem}; it names the hub group whose file lists managedClusterGroups`,
    );
  }
  return { pattern: pattern as string, hub: hub as string };
}

/**
 * Plans adding a managed cluster group: an entry in the hub group's
 * `managedClusterGroups` (with acmlabels clusterGroup=<group>) and a new
 * values-<group>.yaml when missing. Running it again plans no change.
 *
 * @public
 */
export async function planAddClusterGroup(
  checkout: PatternCheckout,
  options: AddClusterGroupOptions,
): Promise<EditPlan> {
  const { group } = options;
  const { pattern, hub } = patternBasics(checkout);
  const problem = checkDns1123Label(group, 'group');
  if (problem) {
    refuse(groupFileName(String(group)), 'clusterGroup.name', problem);
  }
  if (group === hub) {
    refuse(
      'values-global.yaml',
      'main.clusterGroupName',
      `"${group}" is the hub group itself; choose another name for the managed cluster group`,
    );
  }
  const rule = checkNameLengthRule(pattern, group);
  if (rule) {
    refuse(groupFileName(group), 'clusterGroup.name', rule);
  }
  const labels: Array<{ name: string; value: string }> = [
    { name: 'clusterGroup', value: group },
  ];
  for (const [k, v] of Object.entries(options.labels ?? {})) {
    const kp = checkLabelKey(k) ?? checkLabelValue(k, v);
    if (kp) {
      refuse(
        groupFileName(hub),
        `clusterGroup.managedClusterGroups.${group}.acmlabels`,
        kp,
      );
    }
    if (k === 'clusterGroup') {
      if (v !== group) {
        refuse(
          groupFileName(hub),
          `clusterGroup.managedClusterGroups.${group}.acmlabels`,
          `label clusterGroup must be "${group}" (the group name), not "${v}"; drop that --label`,
        );
      }
      continue;
    }
    labels.push({ name: k, value: v });
  }

  const hubFile = checkout.groups.get(hub);
  refuseUnreadable(checkout, groupFileName(hub));
  if (!hubFile || hubFile.data === undefined) {
    refuse(
      groupFileName(hub),
      '',
      `the hub group file is missing or unreadable; main.clusterGroupName is "${hub}", so create ${groupFileName(
        hub,
      )} first`,
    );
  }
  const data = hubFile.data;
  if (!isObj(data) || !isObj(data.clusterGroup)) {
    refuse(
      hubFile.file,
      'clusterGroup',
      'must be a map; the hub values file needs a clusterGroup section',
    );
  }
  const editor = new ValuesEditor(hubFile.text);
  const notes: string[] = [];
  const mcg = data.clusterGroup.managedClusterGroups;
  const entry = { name: group, acmlabels: labels };
  const mcgPath = ['clusterGroup', 'managedClusterGroups'];

  const addMissingLabels = (
    entryPath: Array<string | number>,
    existing: Record<string, unknown>,
    where: string,
  ) => {
    const current = Array.isArray(existing.acmlabels)
      ? existing.acmlabels
      : undefined;
    const missing = labels.filter(l => {
      const found = current?.find(c => isObj(c) && c.name === l.name);
      if (isObj(found) && found.value !== l.value) {
        refuse(
          hubFile.file,
          `${where}.acmlabels`,
          `already sets ${l.name}=${String(
            found.value,
          )}; change it by hand if ${l.name}=${l.value} is intended`,
        );
      }
      return !found;
    });
    if (missing.length === 0) {
      return;
    }
    if (current) {
      missing.forEach(l => editor.addItem([...entryPath, 'acmlabels'], l));
    } else {
      editor.addPair(entryPath, 'acmlabels', missing);
    }
  };

  if (mcg === undefined || mcg === null) {
    if (mcg === undefined) {
      editor.addPair(['clusterGroup'], 'managedClusterGroups', {
        [group]: entry,
      });
    } else {
      editor.addPair(mcgPath, group, entry);
    }
    notes.push(
      `added ${group} to clusterGroup.managedClusterGroups in ${hubFile.file}`,
    );
  } else if (Array.isArray(mcg)) {
    const idx = mcg.findIndex(e => isObj(e) && e.name === group);
    if (idx >= 0) {
      addMissingLabels(
        [...mcgPath, idx],
        mcg[idx] as Record<string, unknown>,
        `clusterGroup.managedClusterGroups[${idx}]`,
      );
    } else {
      editor.addItem(mcgPath, entry);
      notes.push(
        `added ${group} to clusterGroup.managedClusterGroups in ${hubFile.file}`,
      );
    }
  } else if (isObj(mcg)) {
    const key = Object.keys(mcg).find(
      k => isObj(mcg[k]) && (mcg[k] as Record<string, unknown>).name === group,
    );
    if (key !== undefined) {
      addMissingLabels(
        [...mcgPath, key],
        mcg[key] as Record<string, unknown>,
        `clusterGroup.managedClusterGroups.${key}`,
      );
    } else {
      if (group in mcg) {
        refuse(
          hubFile.file,
          `clusterGroup.managedClusterGroups.${group}`,
          `the key "${group}" is already used by an entry with another name; rename that key`,
        );
      }
      editor.addPair(mcgPath, group, entry);
      notes.push(
        `added ${group} to clusterGroup.managedClusterGroups in ${hubFile.file}`,
      );
    }
  } else {
    refuse(
      hubFile.file,
      'clusterGroup.managedClusterGroups',
      'must be a map (or a list) of cluster groups',
    );
  }
  if (editor.changed && notes.length === 0) {
    notes.push(`added missing acmlabels for ${group} in ${hubFile.file}`);
  }

  const changes: FileChange[] = [];
  if (editor.changed) {
    changes.push({
      file: hubFile.file,
      before: hubFile.text,
      after: editor.toString(),
    });
  } else {
    notes.push(
      `${group} is already in clusterGroup.managedClusterGroups of ${hubFile.file}`,
    );
  }
  const groupFile = groupFileName(group);
  if (!checkout.groups.has(group)) {
    changes.push({ file: groupFile, after: newGroupFile(pattern, group) });
    notes.push(`created ${groupFile}`);
  } else {
    notes.push(`${groupFile} already exists`);
  }
  return finishPlan(checkout, changes, notes);
}
