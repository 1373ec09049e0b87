import { InputError } from '@backstage/errors';
import { parse as parseYaml } from 'yaml';
import {
  HUB_ERROR_HINTS,
  HubClients,
  hubCallError,
  statusOf,
} from '../hub/client';
import {
  AUTO_IMPORT_SECRET,
  ImportCredentials,
  KAC,
  MC,
  RESERVED_LABELS,
  autoImportSecret,
  klusterletAddonConfig,
  managedCluster,
  namespace,
} from './resources';
import {
  checkDns1123Label,
  checkLabelKey,
  checkLabelValue,
} from '../pattern/names';

export type StepResult = 'created' | 'unchanged';

/** Returns a function that replaces every secret value in a string with ***. */
export function redactor(
  secrets: Array<string | undefined>,
): (s: string) => string {
  const values = secrets.filter((s): s is string => !!s && s.length >= 4);
  return s => values.reduce((acc, v) => acc.split(v).join('***'), s);
}

export interface ImportRequest {
  clusterName: string;
  clusterGroup: string;
  labels?: Record<string, string>;
  credentials?: ImportCredentials;
  autoImportRetry?: number;
}

/**
 * Why a kubeconfig cannot work, without quoting it (it is a credential): ACM's import
 * controller would only fail later, on the hub, where the user cannot see why.
 */
function kubeconfigProblem(text: string): string | undefined {
  let doc: unknown;
  try {
    // The yaml library's alias limit refuses "billion laughs" documents.
    doc = parseYaml(text, { maxAliasCount: 100, prettyErrors: false });
  } catch (e) {
    const reason = /alias/i.test((e as Error).message)
      ? 'it expands too many aliases'
      : 'it is not valid YAML';
    return `is not a kubeconfig: ${reason}`;
  }
  const k = doc as Record<string, unknown> | null;
  if (!k || typeof k !== 'object' || Array.isArray(k))
    return 'is not a kubeconfig: it is not a YAML mapping';
  const missing = ['clusters', 'users'].filter(
    key => !Array.isArray(k[key]) || (k[key] as unknown[]).length === 0,
  );
  if (missing.length)
    return `is not a kubeconfig: it has no ${missing.join(', ')}`;
  return undefined;
}

/** Checks names and credentials before any call to the hub. */
export function checkImportRequest(req: ImportRequest): void {
  const problems = [
    checkDns1123Label(req.clusterName, 'clusterName'),
    checkDns1123Label(req.clusterGroup, 'clusterGroup'),
  ].filter(Boolean);
  for (const [k, v] of Object.entries(req.labels ?? {})) {
    if (RESERVED_LABELS.includes(k)) {
      problems.push(
        `label "${k}" is set by the import itself; remove it from labels`,
      );
    }
    const p = checkLabelKey(k) ?? checkLabelValue(k, v);
    if (p) {
      problems.push(p);
    }
  }
  const c = req.credentials;
  if (c && !c.kubeconfig && (!c.token || !c.server)) {
    problems.push(
      'import credentials need the secret "kubeconfig", or both "token" and "server"',
    );
  }
  if (c?.kubeconfig) {
    const problem = kubeconfigProblem(c.kubeconfig);
    if (problem) problems.push(`the secret "kubeconfig" ${problem}`);
  }
  if (c?.server && !/^https:\/\/\S+$/.test(c.server)) {
    problems.push(
      'the secret "server" must be the https:// API URL of the cluster to import',
    );
  }
  if (problems.length > 0) {
    throw new InputError(problems.join('; '));
  }
}

/**
 * The hub-side steps of an ACM auto-import, each idempotent: an object that
 * already exists is left alone and reported as unchanged.
 */
export class ClusterImporter {
  constructor(
    private readonly clients: HubClients,
    private readonly redact: (s: string) => string = s => s,
  ) {}

  private fail(what: string, e: unknown): never {
    throw hubCallError(what, e, this.redact, {
      ...HUB_ERROR_HINTS,
      403: 'the hub service account lacks RBAC for this; grant create/get on it',
      404: 'is ACM installed on the hub?',
    });
  }

  async getManagedCluster(
    name: string,
  ): Promise<Record<string, any> | undefined> {
    try {
      return (await this.clients.custom.getClusterCustomObject({
        ...MC,
        name,
      })) as Record<string, any>;
    } catch (e) {
      if (statusOf(e) === 404) {
        return undefined;
      }
      return this.fail(`reading ManagedCluster ${name}`, e);
    }
  }

  /**
   * Refuses to touch a cluster that already exists in another group (or with
   * the import denied): re-labelling a live cluster moves its workloads, which
   * must be a deliberate act, not a side effect of a form.
   */
  async preflight(req: ImportRequest): Promise<{ exists: boolean }> {
    const existing = await this.getManagedCluster(req.clusterName);
    if (!existing) {
      return { exists: false };
    }
    const group = existing.metadata?.labels?.clusterGroup;
    if (group !== req.clusterGroup) {
      throw new InputError(
        `ManagedCluster ${req.clusterName} already exists ${
          group ? `in cluster group "${group}"` : 'without a clusterGroup label'
        }; ` +
          `choose another cluster name, or move it deliberately with: oc label managedcluster ${req.clusterName} clusterGroup=${req.clusterGroup} --overwrite`,
      );
    }
    return { exists: true };
  }

  async ensureManagedCluster(req: ImportRequest): Promise<StepResult> {
    if (await this.getManagedCluster(req.clusterName)) {
      return 'unchanged';
    }
    try {
      await this.clients.custom.createClusterCustomObject({
        ...MC,
        body: managedCluster(req.clusterName, req.clusterGroup, req.labels),
      });
      return 'created';
    } catch (e) {
      if (statusOf(e) === 409) {
        return 'unchanged';
      }
      return this.fail(`creating ManagedCluster ${req.clusterName}`, e);
    }
  }

  async ensureNamespace(name: string): Promise<StepResult> {
    try {
      await this.clients.core.readNamespace({ name });
      return 'unchanged';
    } catch (e) {
      if (statusOf(e) !== 404) {
        return this.fail(`reading namespace ${name}`, e);
      }
    }
    try {
      await this.clients.core.createNamespace({ body: namespace(name) });
      return 'created';
    } catch (e) {
      // ACM's registration controller creates the cluster namespace itself as
      // soon as the ManagedCluster exists; losing that race is fine.
      if (statusOf(e) === 409) {
        return 'unchanged';
      }
      return this.fail(`creating namespace ${name}`, e);
    }
  }

  async ensureKlusterletAddonConfig(name: string): Promise<StepResult> {
    try {
      await this.clients.custom.getNamespacedCustomObject({
        ...KAC,
        namespace: name,
        name,
      });
      return 'unchanged';
    } catch (e) {
      if (statusOf(e) !== 404) {
        return this.fail(`reading KlusterletAddonConfig ${name}`, e);
      }
    }
    try {
      await this.clients.custom.createNamespacedCustomObject({
        ...KAC,
        namespace: name,
        body: klusterletAddonConfig(name),
      });
      return 'created';
    } catch (e) {
      if (statusOf(e) === 409) {
        return 'unchanged';
      }
      return this.fail(`creating KlusterletAddonConfig ${name}`, e);
    }
  }

  async ensureAutoImportSecret(
    name: string,
    creds: ImportCredentials,
    retries: number,
  ): Promise<StepResult> {
    try {
      await this.clients.core.readNamespacedSecret({
        name: AUTO_IMPORT_SECRET,
        namespace: name,
      });
      return 'unchanged';
    } catch (e) {
      if (statusOf(e) !== 404) {
        return this.fail(`reading secret ${name}/${AUTO_IMPORT_SECRET}`, e);
      }
    }
    try {
      await this.clients.core.createNamespacedSecret({
        namespace: name,
        body: autoImportSecret(name, creds, retries),
      });
      return 'created';
    } catch (e) {
      if (statusOf(e) === 409) {
        return 'unchanged';
      }
      return this.fail(`creating secret ${name}/${AUTO_IMPORT_SECRET}`, e);
    }
  }
}
