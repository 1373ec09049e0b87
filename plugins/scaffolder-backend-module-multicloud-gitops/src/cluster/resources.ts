/** Kubernetes objects of an ACM auto-import, as plain JSON. */

export const MC = {
  group: 'cluster.open-cluster-management.io',
  version: 'v1',
  plural: 'managedclusters',
} as const;
export const KAC = {
  group: 'agent.open-cluster-management.io',
  version: 'v1',
  plural: 'klusterletaddonconfigs',
} as const;
export const AUTO_IMPORT_SECRET = 'auto-import-secret';
export const CLUSTERSET_LABEL = 'cluster.open-cluster-management.io/clusterset';

/** Labels we set ourselves; extra labels may not override them. */
export const RESERVED_LABELS = [
  'name',
  'clusterGroup',
  'cloud',
  'vendor',
  CLUSTERSET_LABEL,
];

export interface ImportCredentials {
  kubeconfig?: string;
  token?: string;
  server?: string;
}

export function managedCluster(
  name: string,
  group: string,
  extraLabels: Record<string, string> = {},
) {
  return {
    apiVersion: `${MC.group}/${MC.version}`,
    kind: 'ManagedCluster',
    metadata: {
      name,
      labels: {
        ...extraLabels,
        name,
        // ACM replaces auto-detect with the real cloud/vendor once the klusterlet reports.
        cloud: 'auto-detect',
        vendor: 'auto-detect',
        clusterGroup: group,
        // acm-chart binds only the `default` set to the policy namespace; a
        // cluster in another set never receives the group's policies.
        [CLUSTERSET_LABEL]: 'default',
      },
    },
    spec: { hubAcceptsClient: true },
  };
}

export function klusterletAddonConfig(name: string) {
  return {
    apiVersion: `${KAC.group}/${KAC.version}`,
    kind: 'KlusterletAddonConfig',
    metadata: { name, namespace: name },
    spec: {
      clusterName: name,
      clusterNamespace: name,
      clusterLabels: { cloud: 'auto-detect', vendor: 'auto-detect' },
      // The application manager and policy controller carry the pattern's
      // GitOps policies to the spoke; search feeds the portal's topology.
      applicationManager: { enabled: true },
      policyController: { enabled: true },
      searchCollector: { enabled: true },
      certPolicyController: { enabled: true },
    },
  };
}

export function namespace(name: string) {
  return { apiVersion: 'v1', kind: 'Namespace', metadata: { name } };
}

/**
 * The import controller reads either `kubeconfig` or `token` + `server`. The
 * values are base64-encoded into `data` (not stringData) so nothing depends on
 * the API server's stringData merge.
 */
export function autoImportSecret(
  name: string,
  creds: ImportCredentials,
  retries: number,
) {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
  const data: Record<string, string> = {
    autoImportRetry: b64(String(retries)),
  };
  let type: string;
  if (creds.kubeconfig) {
    type = 'auto-import/kubeconfig';
    data.kubeconfig = b64(creds.kubeconfig);
  } else {
    type = 'auto-import/kubetoken';
    data.token = b64(creds.token!);
    data.server = b64(creds.server!);
  }
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: AUTO_IMPORT_SECRET, namespace: name },
    type,
    data,
  };
}

/** Commands for a manual import, when no credentials were given. */
export function manualImportCommand(name: string): string {
  return [
    `# On the hub (logged in with oc):`,
    `oc get secret ${name}-import -n ${name} -o jsonpath='{.data.crds\\.yaml}' | base64 -d > klusterlet-crd.yaml`,
    `oc get secret ${name}-import -n ${name} -o jsonpath='{.data.import\\.yaml}' | base64 -d > import.yaml`,
    `# On the cluster being imported:`,
    `oc apply -f klusterlet-crd.yaml && oc apply -f import.yaml`,
  ].join('\n');
}

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export function conditionsOf(obj: unknown): Condition[] {
  const c = (obj as { status?: { conditions?: unknown } })?.status?.conditions;
  return Array.isArray(c) ? (c as Condition[]) : [];
}
