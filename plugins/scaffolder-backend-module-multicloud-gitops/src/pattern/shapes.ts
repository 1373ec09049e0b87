/**
 * Our own structural rules for values files, written from the facts of the
 * upstream clustergroup chart's values.schema.json (draft-07). Differences on
 * purpose:
 *  - the upstream schema only applies item definitions to the *list* form of
 *    applications/subscriptions/managedClusterGroups; we apply them to map-form
 *    entries too, because map form is what patterns use;
 *  - `overrides` must be a list of {name, value} (the chart iterates a list;
 *    the upstream schema types it as an object);
 *  - unknown application keys are warnings (upstream allows them, but they are
 *    almost always typos such as `namepsace`).
 */

export type Shape =
  | { kind: 'any' }
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'integer' }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'union'; of: readonly Shape[]; describe: string }
  | { kind: 'list'; items: Shape }
  /** Accepts both forms the chart supports; entries are checked either way. */
  | { kind: 'listOrMap'; items: Shape; nullable?: boolean }
  | {
      kind: 'object';
      required?: readonly string[];
      props: Record<string, Shape>;
      /** What to do with keys not in `props`. */
      additional: 'allow' | 'warn' | 'error';
      deprecated?: Record<string, string>;
      nullable?: boolean;
    };

const any: Shape = { kind: 'any' };
const str: Shape = { kind: 'string' };
const bool: Shape = { kind: 'boolean' };
const int: Shape = { kind: 'integer' };
const strList: Shape = { kind: 'list', items: str };
const anyObject: Shape = { kind: 'object', props: {}, additional: 'allow' };

const nameValue: Shape = {
  kind: 'object',
  required: ['name', 'value'],
  props: { name: str, value: any },
  additional: 'error',
};

export const applicationShape: Shape = {
  kind: 'object',
  required: ['name'],
  additional: 'warn',
  deprecated: { project: 'argoProject' },
  props: {
    name: str,
    namespace: str,
    argoProject: str,
    project: str,
    path: str,
    chart: str,
    chartVersion: str,
    repoURL: str,
    targetRevision: str,
    kustomize: bool,
    plugin: anyObject,
    extraValueFiles: strList,
    extraHubClusterDomainFields: strList,
    extraLocalClusterDomainFields: strList,
    extraRepoURLFields: strList,
    extraTargetRevisionFields: strList,
    extraNamespaceFields: strList,
    extraPatternNameFields: strList,
    overrides: {
      kind: 'list',
      items: {
        kind: 'object',
        required: ['name', 'value'],
        props: { name: str, value: any, forceString: bool },
        additional: 'error',
      },
    },
    fileParameters: { kind: 'list', items: anyObject },
    ignoreDifferences: { kind: 'list', items: anyObject },
    syncPolicy: any,
    annotations: anyObject,
    disabled: bool,
  },
};

export const subscriptionShape: Shape = {
  kind: 'object',
  required: ['name'],
  additional: 'error',
  props: {
    name: str,
    namespaces: strList,
    namespace: str,
    sourceNamespace: str,
    source: str,
    channel: str,
    csv: str,
    installPlanApproval: { kind: 'enum', values: ['Manual', 'Automatic'] },
    annotations: anyObject,
    config: any,
    disabled: bool,
    sequenceJob: {
      kind: 'object',
      additional: 'error',
      props: {
        syncWave: any,
        resourceType: str,
        resourceName: str,
        resourceNamespace: str,
        hookType: str,
        image: str,
        command: any,
        disabled: bool,
      },
    },
    channels: strList,
    version: str,
    upgradeConstraintPolicy: str,
    serviceAccountName: str,
  },
};

const clusterPoolShape: Shape = {
  kind: 'object',
  required: ['name', 'openshiftVersion', 'baseDomain', 'platform', 'clusters'],
  additional: 'error',
  props: {
    size: int,
    name: str,
    openshiftVersion: str,
    baseDomain: str,
    platform: anyObject,
    clusters: { kind: 'list', items: any },
  },
};

const clusterDeploymentShape: Shape = {
  kind: 'object',
  required: ['name', 'openshiftVersion', 'baseDomain', 'platform'],
  additional: 'error',
  props: {
    name: str,
    openshiftVersion: str,
    baseDomain: str,
    platform: anyObject,
  },
};

export const managedClusterGroupShape: Shape = {
  kind: 'object',
  // Upstream requires nothing, but acm-chart names policies, placements and the
  // spoke app after `name`; an entry without it produces broken objects.
  required: ['name'],
  additional: 'error',
  props: {
    name: str,
    targetRevision: str,
    acmlabels: { kind: 'list', items: nameValue },
    clusterPools: { kind: 'listOrMap', items: clusterPoolShape },
    clusterDeployments: { kind: 'listOrMap', items: clusterDeploymentShape },
    clusterSelector: anyObject,
    helmOverrides: { kind: 'list', items: nameValue },
  },
};

const jobShape: Shape = {
  kind: 'object',
  required: ['name', 'playbook'],
  additional: 'error',
  props: {
    name: str,
    playbook: str,
    timeout: {
      kind: 'union',
      of: [int, str],
      describe: 'an integer or a string',
    },
    image: str,
    tags: str,
    extravars: { kind: 'list', items: any },
    verbosity: str,
  },
};

const imperativeShape: Shape = {
  kind: 'object',
  required: ['jobs'],
  additional: 'error',
  props: {
    // Must be a list: Helm loses the order of map keys, and jobs run in order.
    jobs: { kind: 'list', items: jobShape },
    image: str,
    ansibleDevMode: {
      kind: 'object',
      required: ['enabled'],
      additional: 'error',
      props: {
        enabled: bool,
        requirementsFile: str,
        requirementsContent: str,
        ansibleCfgFile: str,
        ansibleCfgContent: str,
      },
    },
    namespace: { kind: 'enum', values: ['imperative'] },
    serviceAccountCreate: bool,
    valuesConfigMap: str,
    cronJobName: str,
    jobName: str,
    imagePullPolicy: {
      kind: 'enum',
      values: ['Always', 'IfNotPresent', 'Never'],
    },
    activeDeadlineSeconds: int,
    schedule: str,
    insecureUnsealVaultInsideClusterSchedule: str,
    verbosity: { kind: 'enum', values: ['', '-v', '-vv', '-vvv', '-vvvv'] },
    extraPlaybookArgs: strList,
    serviceAccountName: str,
    clusterRoleName: str,
    clusterRoleYaml: any,
    roleName: str,
    roleYaml: str,
    adminServiceAccountCreate: bool,
    adminServiceAccountName: str,
    adminClusterRoleName: str,
    vaultNamespace: str,
  },
};

const argoCDShape: Shape = {
  kind: 'object',
  additional: 'error',
  props: {
    configManagementPlugins: { kind: 'list', items: any },
    initContainers: { kind: 'list', items: any },
    volumes: { kind: 'list', items: any },
    volumeMounts: { kind: 'list', items: any },
    env: { kind: 'list', items: any },
    resourceTrackingMethod: str,
    resourceExclusions: any,
    resourceHealthChecks: { kind: 'list', items: any },
    resourceActions: { kind: 'list', items: any },
    rbac: any,
  },
};

const namespaceEntryShape: Shape = {
  kind: 'union',
  describe: 'empty, a name or a map of settings',
  of: [str, { kind: 'object', props: {}, additional: 'allow', nullable: true }],
};

export const clusterGroupShape: Shape = {
  kind: 'object',
  required: ['name', 'namespaces', 'applications'],
  additional: 'error',
  deprecated: {
    projects: 'argoProjects',
    isHubCluster: '(nothing: the hub is detected from the cluster domains)',
  },
  props: {
    name: str,
    targetCluster: str,
    isHubCluster: any,
    sharedValueFiles: strList,
    scheduler: anyObject,
    namespaces: { kind: 'listOrMap', items: namespaceEntryShape },
    nodes: { kind: 'listOrMap', items: any },
    indexImages: {
      kind: 'listOrMap',
      items: {
        kind: 'object',
        additional: 'error',
        props: { name: str, image: str },
      },
    },
    operatorgroupExcludes: strList,
    operatorgroupExcludeTargetNS: any,
    subscriptions: {
      kind: 'listOrMap',
      items: subscriptionShape,
      nullable: true,
    },
    argoProjects: { kind: 'listOrMap', items: str, nullable: true },
    projects: { kind: 'listOrMap', items: str, nullable: true },
    applications: { kind: 'listOrMap', items: applicationShape },
    argoCD: argoCDShape,
    imperative: imperativeShape,
    extraObjects: any,
    managedClusterGroups: {
      kind: 'listOrMap',
      items: managedClusterGroupShape,
    },
  },
};

export const globalShape: Shape = {
  kind: 'object',
  required: ['options'],
  additional: 'allow',
  props: {
    pattern: str,
    singleArgoCD: bool,
    options: {
      kind: 'object',
      required: ['installPlanApproval', 'syncPolicy', 'useCSV'],
      additional: 'error',
      props: {
        useCSV: bool,
        syncPolicy: str,
        installPlanApproval: str,
        autoApproveManualInstallPlans: bool,
        applicationRetryLimit: int,
      },
    },
    secretStore: {
      kind: 'object',
      additional: 'error',
      props: { backend: str },
    },
    git: anyObject,
  },
};

export const mainShape: Shape = {
  kind: 'object',
  required: ['clusterGroupName'],
  additional: 'allow',
  props: {
    clusterGroupName: str,
    multiSourceRepoUrl: str,
    extraParameters: { kind: 'list', items: any },
    experimentalCapabilities: str,
    git: {
      kind: 'object',
      additional: 'error',
      props: { repoUpstreamURL: str, repoURL: str, revision: str },
    },
    gitops: anyObject,
    patternsOperator: anyObject,
    multiSourceConfig: anyObject,
    analyticsUUID: str,
  },
};

/** Top-level keys outside global/main/clusterGroup that the schema constrains. */
export const topLevelExtraShapes: Record<string, Shape> = {
  secretLoader: {
    kind: 'object',
    additional: 'error',
    props: { disabled: bool },
  },
  secretStore: {
    kind: 'object',
    required: ['name', 'kind'],
    additional: 'error',
    props: { name: str, kind: str },
  },
};
