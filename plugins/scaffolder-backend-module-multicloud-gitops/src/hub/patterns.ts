import { InputError } from '@backstage/errors';
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { HUB_ERROR_HINTS, HubClients, hubCallError, statusOf } from './client';
import { MC } from '../cluster/resources';
import { checkDns1123Label, checkNameLengthRule } from '../pattern/names';

/** The Validated Patterns operator's Pattern CRD. */
export const PATTERN = {
  group: 'gitops.hybrid-cloud-patterns.io',
  version: 'v1alpha1',
  plural: 'patterns',
} as const;

/** Where the operator runs on installs since 0.0.65, and before (the global operators namespace). */
export const PATTERNS_NAMESPACE = 'patterns-operator';
export const LEGACY_PATTERNS_NAMESPACE = 'openshift-operators';
export const DEFAULT_TARGET_REVISION = 'main';
export const DEFAULT_CLUSTER_GROUP = 'hub';

const CONSOLE_CLAIM = 'consoleurl.cluster.open-cluster-management.io';

export interface PatternRequest {
  name: string;
  /** Unset: the operator's namespace on this hub (patterns-operator, else the legacy one). */
  namespace?: string;
  clusterGroupName: string;
  targetRepo: string;
  targetRevision: string;
}

/** The part of a Pattern's spec this action owns; every other field is left as it is. */
export interface PatternSpecFields {
  clusterGroupName: string;
  gitSpec: { targetRepo: string; targetRevision: string };
}

export type PatternInstallResult = 'created' | 'updated' | 'unchanged';

export interface PatternPlan {
  result: PatternInstallResult;
  namespace: string;
  spec: PatternSpecFields;
  /** What changes on an update, e.g. `gitSpec.targetRevision: main -> v2`. */
  changes: string[];
  /** Why the namespace is what it is, when that is not obvious. */
  notes: string[];
  /** The merge patch of an update (clears the `variant` alias, which excludes clusterGroupName). */
  patch?: Record<string, unknown>;
}

type Obj = Record<string, any>;

/**
 * Checks a request before any call to the hub. Messages never repeat the
 * repository URL when it carries credentials.
 */
export function checkPatternRequest(req: PatternRequest): void {
  const problems = [
    checkDns1123Label(req.name, 'patternName'),
    checkDns1123Label(req.clusterGroupName, 'clusterGroupName'),
    req.namespace === undefined
      ? undefined
      : checkDns1123Label(req.namespace, 'namespace'),
  ].filter((p): p is string => !!p);
  if (problems.length === 0) {
    const rule = checkNameLengthRule(req.name, req.clusterGroupName);
    if (rule) {
      problems.push(rule);
    }
  }
  const repoProblem = checkTargetRepo(req.targetRepo);
  if (repoProblem) {
    problems.push(repoProblem);
  }
  const revisionProblem = checkTargetRevision(req.targetRevision);
  if (revisionProblem) {
    problems.push(revisionProblem);
  }
  if (problems.length > 0) {
    throw new InputError(problems.join('; '));
  }
}

function checkTargetRepo(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'targetRepo must be the http(s) URL of the pattern repository, e.g. https://github.com/org/pattern.git';
  }
  if (url.username || url.password) {
    // Argo CD on the hub would store the URL, credentials included, in plain
    // sight; private repositories take a token secret instead.
    return "targetRepo must not carry credentials; give a private repository its token through the Pattern's gitSpec.tokenSecret instead";
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return `targetRepo must be an http(s) URL the hub can clone, not ${url.protocol}//...; for the local git repository set multicloudGitops.localGit.baseUrl so publish:local returns one`;
  }
  return undefined;
}

function checkTargetRevision(value: string): string | undefined {
  // git check-ref-format's rules that matter for a branch or tag name.
  if (
    !value ||
    /[\s~^:?*[\\]/.test(value) ||
    Array.from(value).some(ch => ch.charCodeAt(0) < 0x20 || ch === '\u007f') ||
    value.includes('..') ||
    value.includes('@{') ||
    value.startsWith('/') ||
    value.endsWith('/') ||
    value.endsWith('.') ||
    value.endsWith('.lock') ||
    value.startsWith('-')
  ) {
    return `targetRevision "${value}" is not a valid branch, tag or commit`;
  }
  if (/^[0-9a-f]{7,39}$/.test(value)) {
    return `targetRevision "${value}" looks like a short commit SHA, which the patterns operator does not support; give the full 40-character SHA, a branch or a tag`;
  }
  return undefined;
}

export function patternObject(namespace: string, req: PatternRequest): Obj {
  return {
    apiVersion: `${PATTERN.group}/${PATTERN.version}`,
    kind: 'Pattern',
    metadata: { name: req.name, namespace },
    spec: specFields(req),
  };
}

function specFields(req: PatternRequest): PatternSpecFields {
  return {
    clusterGroupName: req.clusterGroupName,
    gitSpec: {
      targetRepo: req.targetRepo,
      targetRevision: req.targetRevision,
    },
  };
}

/** OpenShift console page of a Pattern. */
export function patternConsoleUrl(
  consoleUrl: string,
  namespace: string,
  name: string,
): string {
  return `${consoleUrl.replace(/\/+$/, '')}/k8s/ns/${encodeURIComponent(
    namespace,
  )}/${PATTERN.group}~${PATTERN.version}~Pattern/${encodeURIComponent(name)}`;
}

/**
 * Creates or updates the one Pattern CR of a hub. The operator's admission
 * webhook allows a single Pattern per cluster, so any other Pattern is a
 * refusal, never something to overwrite.
 */
export class PatternInstaller {
  constructor(
    private readonly clients: HubClients,
    private readonly hubName: string,
    private readonly redact: (s: string) => string = s => s,
  ) {}

  private fail(what: string, e: unknown): never {
    throw hubCallError(`${what} on hub ${this.hubName}`, e, this.redact, {
      ...HUB_ERROR_HINTS,
      403: 'the hub service account lacks RBAC for this; grant get/list/create/patch on patterns.gitops.hybrid-cloud-patterns.io and get on namespaces',
    });
  }

  async listPatterns(): Promise<Obj[]> {
    try {
      const list = (await this.clients.custom.listClusterCustomObject(
        PATTERN,
      )) as { items?: Obj[] };
      return list.items ?? [];
    } catch (e) {
      if (statusOf(e) === 404) {
        throw new InputError(
          `hub ${this.hubName} has no Pattern API (${PATTERN.plural}.${PATTERN.group}); install the Validated Patterns operator on the hub first`,
        );
      }
      return this.fail('listing Patterns', e);
    }
  }

  private async namespaceExists(name: string): Promise<boolean> {
    try {
      await this.clients.core.readNamespace({ name });
      return true;
    } catch (e) {
      if (statusOf(e) === 404) {
        return false;
      }
      return this.fail(`reading namespace ${name}`, e);
    }
  }

  /** What an install would do, from the hub's current Patterns; writes nothing. */
  async plan(req: PatternRequest): Promise<PatternPlan> {
    const patterns = await this.listPatterns();
    const same = patterns.find(p => p.metadata?.name === req.name);
    const others = patterns.filter(p => p !== same);
    if (others.length > 0) {
      const names = others
        .map(p => `${p.metadata?.namespace}/${p.metadata?.name}`)
        .join(', ');
      throw new InputError(
        `hub ${this.hubName} already runs the Pattern ${names}; the patterns operator allows only one Pattern per cluster, so ${req.name} cannot be installed there. Install it on another hub, or uninstall ${names} first (annotation patterns.gitops.hybrid-cloud-patterns.io/prune: "true", then delete it)`,
      );
    }
    const spec = specFields(req);
    if (same) {
      return this.planUpdate(req, same, spec);
    }
    const notes: string[] = [];
    let namespace = req.namespace;
    if (namespace === undefined) {
      namespace = PATTERNS_NAMESPACE;
      if (
        !(await this.namespaceExists(PATTERNS_NAMESPACE)) &&
        (await this.namespaceExists(LEGACY_PATTERNS_NAMESPACE))
      ) {
        namespace = LEGACY_PATTERNS_NAMESPACE;
        notes.push(
          `namespace ${PATTERNS_NAMESPACE} does not exist on hub ${this.hubName}: using ${LEGACY_PATTERNS_NAMESPACE}, where older installs run the patterns operator`,
        );
      }
    }
    if (!(await this.namespaceExists(namespace))) {
      throw new InputError(
        `namespace ${namespace} does not exist on hub ${this.hubName}; install the patterns operator there, or set namespace to the one it runs in`,
      );
    }
    return { result: 'created', namespace, spec, changes: [], notes };
  }

  private planUpdate(
    req: PatternRequest,
    existing: Obj,
    spec: PatternSpecFields,
  ): PatternPlan {
    const namespace: string = existing.metadata.namespace;
    const notes: string[] = [];
    if (req.namespace !== undefined && req.namespace !== namespace) {
      // Moving it would mean deleting the running pattern (and its apps).
      notes.push(
        `Pattern ${req.name} already exists in namespace ${namespace}; updating it there rather than in ${req.namespace}`,
      );
    }
    const cur = existing.spec ?? {};
    const curGroup: string | undefined = cur.clusterGroupName || cur.variant;
    const curRepo: string | undefined = cur.gitSpec?.targetRepo;
    // The operator treats an unset revision as its default branch.
    const curRevision: string =
      cur.gitSpec?.targetRevision || DEFAULT_TARGET_REVISION;
    const changes: string[] = [];
    const diff = (field: string, from: string | undefined, to: string) => {
      if (from !== to) {
        changes.push(`${field}: ${from ?? '(unset)'} -> ${to}`);
      }
    };
    diff('clusterGroupName', curGroup, spec.clusterGroupName);
    diff('gitSpec.targetRepo', curRepo, spec.gitSpec.targetRepo);
    diff('gitSpec.targetRevision', curRevision, spec.gitSpec.targetRevision);
    if (changes.length === 0) {
      return { result: 'unchanged', namespace, spec, changes, notes };
    }
    const patchSpec: Record<string, unknown> = { ...spec };
    if (cur.variant) {
      // The webhook refuses variant and clusterGroupName together.
      patchSpec.variant = null;
    }
    return {
      result: 'updated',
      namespace,
      spec,
      changes,
      notes,
      patch: { spec: patchSpec },
    };
  }

  /** Carries out a plan. */
  async apply(req: PatternRequest, plan: PatternPlan): Promise<void> {
    if (plan.result === 'unchanged') {
      return;
    }
    if (plan.result === 'created') {
      try {
        await this.clients.custom.createNamespacedCustomObject({
          ...PATTERN,
          namespace: plan.namespace,
          body: patternObject(plan.namespace, req),
        });
      } catch (e) {
        this.fail(`creating Pattern ${plan.namespace}/${req.name}`, e);
      }
      return;
    }
    try {
      await this.clients.custom.patchNamespacedCustomObject(
        {
          ...PATTERN,
          namespace: plan.namespace,
          name: req.name,
          body: plan.patch,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      );
    } catch (e) {
      this.fail(`updating Pattern ${plan.namespace}/${req.name}`, e);
    }
  }

  /** The hub's OpenShift console, from its local-cluster's claim; undefined when not reported. */
  async hubConsoleUrl(): Promise<string | undefined> {
    try {
      const list = (await this.clients.custom.listClusterCustomObject({
        ...MC,
        labelSelector: 'local-cluster=true',
      })) as { items?: Obj[] };
      const claims: Array<{ name?: string; value?: string }> =
        list.items?.[0]?.status?.clusterClaims ?? [];
      const value = claims.find(c => c.name === CONSOLE_CLAIM)?.value;
      return value && /^https?:\/\//.test(value) ? value : undefined;
    } catch {
      // Only a link: a hub without ACM's claims simply gets none.
      return undefined;
    }
  }
}
