import { Document } from 'yaml';
import { FileChange } from './changes';
import { groupFileName } from './checkout';
import { checkDns1123Label, checkNameLengthRule } from './names';
import { refuse } from './plan';

/**
 * What a new pattern contains. Mirrors the create-pattern template form.
 *
 * @public
 */
export interface CreatePatternOptions {
  /** Pattern name (global.pattern): a DNS-1123 label. */
  name: string;
  description?: string;
  /** Owners, written to pattern-metadata.yaml. */
  owners?: string;
  /** The hub's cluster group (main.clusterGroupName), default `hub`. */
  hubGroup?: string;
  /** Managed (spoke) cluster groups, e.g. ['group-one']. */
  clusterGroups?: string[];
  /** Vault + External Secrets on the hub, ESO on the spokes, a secrets template. */
  secrets?: boolean;
  /** A small local Helm chart deployed to every group. */
  exampleApps?: boolean;
  /** Where the repository will live, for pattern-metadata.yaml. */
  repoUrl?: string;
  /** ACM subscription channel, default release-2.16. */
  acmChannel?: string;
}

export const EXAMPLE_APP = 'hello-world';
const EXAMPLE_PATH = `charts/all/${EXAMPLE_APP}`;

function yamlFile(comment: string, data: unknown): string {
  const doc = new Document(data);
  doc.commentBefore = comment
    .split('\n')
    .map(l => (l ? ` ${l}` : ''))
    .join('\n');
  return doc.toString({ lineWidth: 0, nullStr: '' });
}

function checkOptions(o: CreatePatternOptions): {
  hub: string;
  groups: string[];
} {
  const hub = o.hubGroup ?? 'hub';
  const groups = o.clusterGroups ?? [];
  const nameProblem = checkDns1123Label(o.name, 'pattern name');
  if (nameProblem) {
    refuse('values-global.yaml', 'global.pattern', nameProblem);
  }
  for (const g of [hub, ...groups]) {
    const file = groupFileName(String(g));
    const problem = checkDns1123Label(g, 'cluster group');
    if (problem) {
      refuse(file, 'clusterGroup.name', problem);
    }
    const rule = checkNameLengthRule(o.name, g);
    if (rule) {
      refuse(file, 'clusterGroup.name', rule);
    }
  }
  const seen = new Set<string>();
  for (const g of [hub, ...groups]) {
    if (seen.has(g)) {
      refuse(
        groupFileName(g),
        'clusterGroup.name',
        `cluster group "${g}" is listed twice (the hub group is "${hub}"); give each group once`,
      );
    }
    seen.add(g);
  }
  return { hub, groups };
}

function globalValues(o: CreatePatternOptions, hub: string): string {
  const global: Record<string, unknown> = {
    pattern: o.name,
    // One Argo CD per cluster: the recommended layout for new patterns.
    singleArgoCD: true,
    // Always written: the upstream schema CI requires them (Helm would default them).
    options: {
      useCSV: false,
      syncPolicy: 'Automatic',
      installPlanApproval: 'Automatic',
    },
  };
  if (!o.secrets) {
    // Without Vault there is nothing to load; `make install` skips the secrets phase.
    global.secretLoader = { disabled: true };
  }
  return yamlFile(
    `Values shared by every cluster group of the ${o.name} pattern.\nThe patterns operator adds repoURL, targetRevision and the cluster domains at runtime.`,
    {
      global,
      main: {
        clusterGroupName: hub,
        multiSourceConfig: { enabled: true, clusterGroupChartVersion: '0.9.*' },
      },
    },
  );
}

function hubValues(
  o: CreatePatternOptions,
  hub: string,
  groups: string[],
): string {
  const namespaces: Record<string, unknown> = {
    'open-cluster-management': null,
  };
  const subscriptions: Record<string, unknown> = {
    acm: {
      name: 'advanced-cluster-management',
      namespace: 'open-cluster-management',
      channel: o.acmChannel ?? 'release-2.16',
    },
  };
  const argoProjects = ['hub'];
  const applications: Record<string, unknown> = {
    acm: {
      name: 'acm',
      namespace: 'open-cluster-management',
      argoProject: 'hub',
      chart: 'acm',
      chartVersion: '0.2.*',
    },
  };
  if (o.secrets) {
    Object.assign(namespaces, {
      vault: null,
      'external-secrets-operator': {
        operatorGroup: true,
        targetNamespaces: [],
      },
      'external-secrets': null,
    });
    subscriptions.eso = {
      name: 'openshift-external-secrets-operator',
      namespace: 'external-secrets-operator',
      channel: 'stable-v1',
    };
    applications.vault = {
      name: 'vault',
      namespace: 'vault',
      argoProject: 'hub',
      chart: 'hashicorp-vault',
      chartVersion: '0.1.*',
    };
    applications['openshift-external-secrets'] = {
      name: 'openshift-external-secrets',
      namespace: 'external-secrets',
      argoProject: 'hub',
      chart: 'openshift-external-secrets',
      chartVersion: '0.0.*',
    };
  }
  if (o.exampleApps) {
    namespaces[EXAMPLE_APP] = null;
    argoProjects.push(EXAMPLE_APP);
    applications[EXAMPLE_APP] = {
      name: EXAMPLE_APP,
      namespace: EXAMPLE_APP,
      argoProject: EXAMPLE_APP,
      path: EXAMPLE_PATH,
    };
  }
  const clusterGroup: Record<string, unknown> = {
    name: hub,
    namespaces,
    subscriptions,
    argoProjects,
    applications,
  };
  if (groups.length > 0) {
    clusterGroup.managedClusterGroups = Object.fromEntries(
      groups.map(g => [
        g,
        { name: g, acmlabels: [{ name: 'clusterGroup', value: g }] },
      ]),
    );
  }
  return yamlFile(
    `Cluster group "${hub}": the hub cluster, running ACM${
      o.secrets ? ', Vault and External Secrets' : ''
    }.\nClusters imported into ACM with the label clusterGroup=<group> join the\nmanagedClusterGroups below; each has its own values-<group>.yaml.`,
    { clusterGroup },
  );
}

function spokeValues(o: CreatePatternOptions, group: string): string {
  const namespaces: Record<string, unknown> = {};
  const subscriptions: Record<string, unknown> = {};
  const argoProjects: string[] = [];
  const applications: Record<string, unknown> = {};
  if (o.secrets) {
    Object.assign(namespaces, {
      'external-secrets-operator': {
        operatorGroup: true,
        targetNamespaces: [],
      },
      'external-secrets': null,
    });
    subscriptions.eso = {
      name: 'openshift-external-secrets-operator',
      namespace: 'external-secrets-operator',
      channel: 'stable-v1',
    };
    argoProjects.push('eso');
    applications['openshift-external-secrets'] = {
      name: 'openshift-external-secrets',
      namespace: 'external-secrets',
      argoProject: 'eso',
      chart: 'openshift-external-secrets',
      chartVersion: '0.0.*',
    };
  }
  if (o.exampleApps) {
    namespaces[EXAMPLE_APP] = null;
    argoProjects.push(EXAMPLE_APP);
    applications[EXAMPLE_APP] = {
      name: EXAMPLE_APP,
      namespace: EXAMPLE_APP,
      argoProject: EXAMPLE_APP,
      path: EXAMPLE_PATH,
    };
  }
  const clusterGroup: Record<string, unknown> = {
    name: group,
    namespaces,
    argoProjects,
    applications,
  };
  if (Object.keys(subscriptions).length > 0) {
    clusterGroup.subscriptions = subscriptions;
  }
  return yamlFile(
    `Cluster group "${group}". Clusters imported into ACM with the label\nclusterGroup=${group} receive the Argo CD application ${o.name}-${group},\nwhich deploys the applications listed here. The OpenShift GitOps\nsubscription on these clusters is managed by ACM.`,
    { clusterGroup },
  );
}

function secretsTemplate(o: CreatePatternOptions): string {
  return yamlFile(
    `Secrets of the ${o.name} pattern (values-secret v2 format).\nCopy to ~/values-secret-${o.name}.yaml and fill it in there: never commit\nthe filled-in copy (.gitignore keeps values-secret* out of git).\nValues are generated or read from files, never written here.`,
    {
      version: '2.0',
      secrets: [
        {
          name: EXAMPLE_APP,
          vaultPrefixes: ['global'],
          fields: [
            {
              name: 'secret',
              onMissingValue: 'generate',
              vaultPolicy: 'validatedPatternDefaultPolicy',
            },
          ],
        },
      ],
    },
  );
}

function metadata(o: CreatePatternOptions, hub: string): string {
  return yamlFile(
    'Metadata for documentation and QE, in the Validated Patterns format.',
    {
      metadata_version: '1.0',
      name: o.name,
      description: o.description ?? `The ${o.name} Validated Pattern`,
      pattern_version: '1.0',
      display_name: o.name,
      ...(o.repoUrl ? { repo_url: o.repoUrl } : {}),
      tier: 'sandbox',
      owners: o.owners ?? '',
      extra_features: { hypershift_support: false, spoke_support: true },
      variants: [
        {
          name: hub,
          default: true,
          description: `Hub "${hub}" with ACM managing the cluster groups`,
        },
      ],
    },
  );
}

const EXAMPLE_CHART: Record<string, string> = {
  'Chart.yaml': `apiVersion: v2\nname: ${EXAMPLE_APP}\ndescription: A minimal web page deployed by the pattern to every cluster of a group\ntype: application\nversion: 0.1.0\n`,
  'values.yaml': `# Shown on the page; override per group in values-<group>.yaml.\nmessage: Hello from a Validated Pattern\n# The OpenShift httpd image stream (namespace openshift) provides the image.\nimageStreamTag: httpd:latest\n`,
  'templates/configmap.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${EXAMPLE_APP}-html\ndata:\n  index.html: |\n    <html><body><h1>{{ .Values.message }}</h1>\n    <p>Cluster group {{ .Values.clusterGroup.name }} of pattern {{ .Values.global.pattern }}</p></body></html>\n`,
  'templates/deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${EXAMPLE_APP}\n  annotations:\n    # OpenShift resolves the image from the image stream tag: no registry in git.\n    image.openshift.io/triggers: '[{"from":{"kind":"ImageStreamTag","name":"{{ .Values.imageStreamTag }}","namespace":"openshift"},"fieldPath":"spec.template.spec.containers[?(@.name==\\"httpd\\")].image"}]'\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${EXAMPLE_APP}\n  template:\n    metadata:\n      labels:\n        app: ${EXAMPLE_APP}\n    spec:\n      containers:\n        - name: httpd\n          image: ' '\n          ports:\n            - containerPort: 8080\n          volumeMounts:\n            - name: html\n              mountPath: /var/www/html\n      volumes:\n        - name: html\n          configMap:\n            name: ${EXAMPLE_APP}-html\n`,
  'templates/service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: ${EXAMPLE_APP}\nspec:\n  selector:\n    app: ${EXAMPLE_APP}\n  ports:\n    - port: 8080\n      targetPort: 8080\n`,
};

/**
 * The files of a new pattern repository (values files, metadata, .gitignore,
 * secrets template, example chart). Names are checked first; the result is
 * validated by the caller before anything is written.
 *
 * @public
 */
export function generatePatternFiles(o: CreatePatternOptions): FileChange[] {
  const { hub, groups } = checkOptions(o);
  const files: FileChange[] = [
    { file: 'values-global.yaml', after: globalValues(o, hub) },
    { file: groupFileName(hub), after: hubValues(o, hub, groups) },
    ...groups.map(g => ({ file: groupFileName(g), after: spokeValues(o, g) })),
    { file: 'pattern-metadata.yaml', after: metadata(o, hub) },
    // The template must stay tracked while every filled-in copy is ignored.
    {
      file: '.gitignore',
      after: 'values-secret*\n!values-secret.yaml.template\n',
    },
  ];
  if (o.secrets) {
    files.push({
      file: 'values-secret.yaml.template',
      after: secretsTemplate(o),
    });
  }
  if (o.exampleApps) {
    for (const [f, text] of Object.entries(EXAMPLE_CHART)) {
      files.push({ file: `${EXAMPLE_PATH}/${f}`, after: text });
    }
  }
  return files;
}
