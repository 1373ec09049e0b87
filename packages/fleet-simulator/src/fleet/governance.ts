import { KObject } from '../store/types';
import { Prng } from '../util/prng';
import { ClusterModel, ts } from './clusters';

/**
 * ManagedClusterSets, bindings, Placements, PlacementDecisions, Policies (root + replicated)
 * and PlacementBindings, as the pattern's acm chart lays them out per cluster group.
 */

export const POLICY_NS = 'open-cluster-management';
const meta = (
  prng: Prng,
  name: string,
  namespace?: string,
  labels?: Record<string, string>,
) => ({
  name,
  ...(namespace ? { namespace } : {}),
  uid: prng.uuid(),
  generation: 1,
  creationTimestamp: ts(400 * 86400000),
  ...(labels ? { labels } : {}),
});

const cond = (
  type: string,
  status: string,
  reason: string,
  message: string,
) => ({
  type,
  status,
  reason,
  message,
  lastTransitionTime: ts(400 * 86400000),
});

export function clusterSets(prng: Prng): KObject[] {
  return [
    {
      apiVersion: 'cluster.open-cluster-management.io/v1beta2',
      kind: 'ManagedClusterSet',
      metadata: meta(prng, 'default'),
      spec: { clusterSelector: { selectorType: 'ExclusiveClusterSetLabel' } },
      status: {
        conditions: [
          cond(
            'ClusterSetEmpty',
            'False',
            'ClustersSelected',
            'clusters selected',
          ),
        ],
      },
    },
    {
      apiVersion: 'cluster.open-cluster-management.io/v1beta2',
      kind: 'ManagedClusterSet',
      metadata: meta(prng, 'global'),
      spec: {
        clusterSelector: { selectorType: 'LabelSelector', labelSelector: {} },
      },
      status: {
        conditions: [
          cond(
            'ClusterSetEmpty',
            'False',
            'ClustersSelected',
            'clusters selected',
          ),
        ],
      },
    },
  ];
}

export function clusterSetBindings(prng: Prng): KObject[] {
  return [
    { name: 'default', ns: POLICY_NS },
    { name: 'global', ns: 'open-cluster-management-global-set' },
    { name: 'default', ns: 'openshift-gitops' },
  ].map(b => ({
    apiVersion: 'cluster.open-cluster-management.io/v1beta2',
    kind: 'ManagedClusterSetBinding',
    metadata: meta(prng, b.name, b.ns),
    spec: { clusterSet: b.name },
    status: { conditions: [cond('Bound', 'True', 'ClusterSetBound', '')] },
  }));
}

export type Compliance = 'Compliant' | 'NonCompliant' | 'Pending';

export interface GroupGovernance {
  placement: KObject;
  decision: KObject;
  policy: KObject;
  binding: KObject;
  replicated: KObject[];
}

/** Clusters a placement selects: accepted, in the group, not tainted unreachable (NoSelect). */
export function selected(
  clusters: ClusterModel[],
  group: string,
): ClusterModel[] {
  return clusters.filter(
    c => !c.isHub && c.group === group && c.state === 'available',
  );
}

export function groupGovernance(
  prng: Prng,
  pattern: string,
  group: string,
  clusters: ClusterModel[],
): GroupGovernance {
  const placementName = `${group}-placement`;
  const policyName = `${group}-clustergroup-policy`;
  const chosen = selected(clusters, group);
  const placement: KObject = {
    apiVersion: 'cluster.open-cluster-management.io/v1beta1',
    kind: 'Placement',
    metadata: meta(prng, placementName, POLICY_NS),
    spec: {
      clusterSets: ['default'],
      predicates: [
        {
          requiredClusterSelector: {
            labelSelector: { matchLabels: { clusterGroup: group } },
          },
        },
      ],
    },
    status: {
      numberOfSelectedClusters: chosen.length,
      decisionGroups: [
        {
          decisionGroupIndex: 0,
          decisionGroupName: '',
          decisions: [`${placementName}-decision-1`],
          clusterCount: chosen.length,
        },
      ],
      conditions: [
        cond(
          'PlacementMisconfigured',
          'False',
          'Succeedconfigured',
          'Placement configurations check pass',
        ),
        chosen.length
          ? cond(
              'PlacementSatisfied',
              'True',
              'AllDecisionsScheduled',
              'All cluster decisions scheduled',
            )
          : cond(
              'PlacementSatisfied',
              'False',
              'NoManagedClusterMatched',
              'No valid ManagedClusterSetBindings found in placement namespace',
            ),
      ],
    },
  };
  const decision: KObject = {
    apiVersion: 'cluster.open-cluster-management.io/v1beta1',
    kind: 'PlacementDecision',
    metadata: meta(prng, `${placementName}-decision-1`, POLICY_NS, {
      'cluster.open-cluster-management.io/placement': placementName,
      'cluster.open-cluster-management.io/decision-group-index': '0',
      'cluster.open-cluster-management.io/decision-group-name': '',
    }),
    status: {
      decisions: chosen.map(c => ({ clusterName: c.name, reason: '' })),
    },
  };
  const compliance = chosen.map(c => ({
    c,
    compliant: prng.weighted<Compliance>([
      ['Compliant', 88],
      ['NonCompliant', 9],
      ['Pending', 3],
    ]),
  }));
  let rootCompliant: Compliance = 'Compliant';
  if (compliance.some(x => x.compliant === 'Pending'))
    rootCompliant = 'Pending';
  if (compliance.some(x => x.compliant === 'NonCompliant'))
    rootCompliant = 'NonCompliant';
  const template = {
    objectDefinition: {
      apiVersion: 'policy.open-cluster-management.io/v1',
      kind: 'ConfigurationPolicy',
      metadata: { name: `${group}-clustergroup-config` },
      spec: {
        remediationAction: 'enforce',
        severity: 'medium',
        'object-templates': [
          {
            complianceType: 'mustonlyhave',
            objectDefinition: {
              apiVersion: 'argoproj.io/v1alpha1',
              kind: 'Application',
              metadata: {
                name: `${pattern}-${group}`,
                namespace: 'openshift-gitops',
              },
              spec: {
                project: 'default',
                destination: {
                  server: 'https://kubernetes.default.svc',
                  namespace: 'openshift-gitops',
                },
              },
            },
          },
        ],
      },
    },
  };
  const policy: KObject = {
    apiVersion: 'policy.open-cluster-management.io/v1',
    kind: 'Policy',
    metadata: {
      ...meta(prng, policyName, POLICY_NS),
      annotations: {
        'policy.open-cluster-management.io/standards': 'NIST-CSF',
        'policy.open-cluster-management.io/categories': 'PR.DS Data Security',
        'policy.open-cluster-management.io/controls': 'PR.DS-1 Data-at-rest',
        'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true',
      },
    },
    spec: {
      disabled: false,
      remediationAction: 'enforce',
      'policy-templates': [template],
    },
    status: {
      compliant: chosen.length ? rootCompliant : undefined,
      placement: [
        {
          placementBinding: `${group}-placement-binding`,
          placement: placementName,
        },
      ],
      status: compliance.map(x => ({
        clustername: x.c.name,
        clusternamespace: x.c.name,
        compliant: x.compliant,
      })),
    },
  };
  if (!chosen.length) delete policy.status.compliant;
  const binding: KObject = {
    apiVersion: 'policy.open-cluster-management.io/v1',
    kind: 'PlacementBinding',
    metadata: meta(prng, `${group}-placement-binding`, POLICY_NS),
    placementRef: {
      apiGroup: 'cluster.open-cluster-management.io',
      kind: 'Placement',
      name: placementName,
    },
    subjects: [
      {
        apiGroup: 'policy.open-cluster-management.io',
        kind: 'Policy',
        name: policyName,
      },
    ],
    status: {},
  };
  const replicated = compliance.map(({ c, compliant }) => ({
    apiVersion: 'policy.open-cluster-management.io/v1',
    kind: 'Policy',
    metadata: meta(prng, `${POLICY_NS}.${policyName}`, c.name, {
      'policy.open-cluster-management.io/root-policy': `${POLICY_NS}.${policyName}`,
      'policy.open-cluster-management.io/cluster-name': c.name,
      'policy.open-cluster-management.io/cluster-namespace': c.name,
    }),
    spec: {
      disabled: false,
      remediationAction: 'enforce',
      'policy-templates': [template],
    },
    status: {
      compliant,
      details: [
        {
          templateMeta: { name: `${group}-clustergroup-config` },
          compliant,
          history: [
            {
              lastTimestamp: ts(prng.int(86400000)),
              eventName: `${POLICY_NS}.${policyName}.${prng.hex(16)}`,
              message: {
                Compliant: `Compliant; notification - applications [${pattern}-${group}] found as specified in namespace openshift-gitops`,
                Pending: 'Pending; template-error; waiting for dependencies',
                NonCompliant: `NonCompliant; violation - applications [${pattern}-${group}] found but not as specified in namespace openshift-gitops`,
              }[compliant],
            },
          ],
        },
      ],
    },
  }));
  return { placement, decision, policy, binding, replicated };
}

/** What the patterns operator reports of the hub it runs on. */
export function patternClusterStatus(hubName = 'local-cluster') {
  return {
    clusterName: hubName,
    clusterDomain: 'fleet.example.com',
    appClusterDomain: `apps.${hubName}.fleet.example.com`,
    clusterPlatform: 'AWS',
    clusterVersion: '4.17',
  };
}

export function patternCr(
  prng: Prng,
  pattern: string,
  hubName = 'local-cluster',
): KObject {
  return {
    apiVersion: 'gitops.hybrid-cloud-patterns.io/v1alpha1',
    kind: 'Pattern',
    metadata: meta(prng, pattern, 'openshift-operators'),
    spec: {
      clusterGroupName: 'hub',
      gitSpec: {
        targetRepo: `https://github.com/validatedpatterns/${pattern}`,
        targetRevision: 'main',
      },
      multiSourceConfig: { enabled: true, clusterGroupChartVersion: '0.9.*' },
    },
    status: {
      version: 1,
      lastStep: 'Updated status with app health',
      ...patternClusterStatus(hubName),
      applications: [
        {
          name: `${pattern}-hub`,
          namespace: 'openshift-gitops',
          syncStatus: 'Synced',
          healthStatus: 'Healthy',
        },
      ],
      conditions: [
        {
          type: 'Synced',
          status: 'True',
          lastUpdateTime: ts(600000),
          lastTransitionTime: ts(86400000),
          message: 'Validated',
        },
      ],
    },
  };
}

export function appProject(prng: Prng, name: string): KObject {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AppProject',
    metadata: meta(prng, name, 'openshift-gitops'),
    spec: {
      description:
        name === 'default'
          ? 'default project'
          : `project ${name} of the pattern`,
      sourceRepos: ['*'],
      destinations: [{ namespace: '*', server: '*' }],
      clusterResourceWhitelist: [{ group: '*', kind: '*' }],
    },
    status: {},
  };
}
