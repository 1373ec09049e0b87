import { KObject } from '../store/types';
import { Prng } from '../util/prng';
import { BASE_DOMAIN, ts } from './clusters';

/**
 * Workloads of the pattern's hub applications, for the Backstage Kubernetes plugin: it lists
 * pods, services, deployments, ... with `labelSelector=backstage.io/kubernetes-id=<id>`.
 */

export const KUBERNETES_ID = 'backstage.io/kubernetes-id';

export interface Workload {
  typeKey: string;
  object: KObject;
}

function labelsFor(app: string) {
  return {
    app,
    [KUBERNETES_ID]: app,
    'app.kubernetes.io/instance': app,
    'app.kubernetes.io/name': app,
  };
}

/** Where the workloads run; the defaults are the hub's (namespace = app name). */
export interface WorkloadPlacement {
  namespace?: string;
  /** cluster name in the apps domain `apps.<cluster>.fleet.example.com` */
  cluster?: string;
  /** cloud region in the node names */
  region?: string;
}

export function appWorkloads(
  prng: Prng,
  app: string,
  image: string,
  replicas: number,
  port = 8080,
  placement: WorkloadPlacement = {},
): Workload[] {
  const ns = placement.namespace ?? app;
  const appsDomain = `apps.${
    placement.cluster ?? 'local-cluster'
  }.${BASE_DOMAIN}`;
  const region = placement.region ?? 'us-east-1';
  const created = ts((10 + prng.int(50)) * 86400000);
  const labels = labelsFor(app);
  const hash = prng.hex(10).replace(/[^a-z0-9]/g, 'x');
  const depUid = prng.uuid();
  const rsUid = prng.uuid();
  const container = {
    name: app,
    image,
    ports: [{ containerPort: port, protocol: 'TCP' }],
    resources: {
      requests: { cpu: '50m', memory: '64Mi' },
      limits: { cpu: '250m', memory: '256Mi' },
    },
    readinessProbe: {
      httpGet: { path: '/', port, scheme: 'HTTP' },
      periodSeconds: 10,
    },
  };
  const podSpec = {
    containers: [container],
    restartPolicy: 'Always',
    serviceAccountName: 'default',
  };
  const out: Workload[] = [];
  out.push({
    typeKey: 'deployments.apps',
    object: {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: app,
        namespace: ns,
        uid: depUid,
        generation: 1,
        creationTimestamp: created,
        labels,
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas,
        selector: { matchLabels: { app } },
        template: { metadata: { labels }, spec: podSpec },
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
        },
      },
      status: {
        observedGeneration: 1,
        replicas,
        updatedReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        conditions: [
          {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
            lastUpdateTime: created,
            lastTransitionTime: created,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: 'NewReplicaSetAvailable',
            message: `ReplicaSet "${app}-${hash}" has successfully progressed.`,
            lastUpdateTime: created,
            lastTransitionTime: created,
          },
        ],
      },
    },
  });
  out.push({
    typeKey: 'replicasets.apps',
    object: {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${app}-${hash}`,
        namespace: ns,
        uid: rsUid,
        generation: 1,
        creationTimestamp: created,
        labels: { ...labels, 'pod-template-hash': hash },
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: app,
            uid: depUid,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      spec: {
        replicas,
        selector: { matchLabels: { app, 'pod-template-hash': hash } },
        template: {
          metadata: { labels: { ...labels, 'pod-template-hash': hash } },
          spec: podSpec,
        },
      },
      status: {
        replicas,
        fullyLabeledReplicas: replicas,
        readyReplicas: replicas,
        availableReplicas: replicas,
        observedGeneration: 1,
      },
    },
  });
  for (let i = 0; i < replicas; i++) {
    const suffix = prng.hex(5).replace(/[^a-z0-9]/g, 'x');
    out.push({
      typeKey: 'pods',
      object: {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: `${app}-${hash}-${suffix}`,
          namespace: ns,
          uid: prng.uuid(),
          creationTimestamp: created,
          labels: { ...labels, 'pod-template-hash': hash },
          ownerReferences: [
            {
              apiVersion: 'apps/v1',
              kind: 'ReplicaSet',
              name: `${app}-${hash}`,
              uid: rsUid,
              controller: true,
              blockOwnerDeletion: true,
            },
          ],
        },
        spec: {
          ...podSpec,
          nodeName: `ip-10-0-${10 + i}-${20 + i}.${region}.compute.internal`,
        },
        status: {
          phase: 'Running',
          podIP: `10.128.${2 + i}.${10 + prng.int(200)}`,
          hostIP: `10.0.${10 + i}.${20 + i}`,
          startTime: created,
          qosClass: 'Burstable',
          conditions: [
            {
              type: 'Initialized',
              status: 'True',
              lastTransitionTime: created,
            },
            { type: 'Ready', status: 'True', lastTransitionTime: created },
            {
              type: 'ContainersReady',
              status: 'True',
              lastTransitionTime: created,
            },
            {
              type: 'PodScheduled',
              status: 'True',
              lastTransitionTime: created,
            },
          ],
          containerStatuses: [
            {
              name: app,
              ready: true,
              started: true,
              restartCount: prng.int(3),
              image,
              imageID: `${image.split(':')[0]}@sha256:${prng.hex(64)}`,
              containerID: `cri-o://${prng.hex(64)}`,
              state: { running: { startedAt: created } },
            },
          ],
        },
      },
    });
  }
  out.push({
    typeKey: 'services',
    object: {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: app,
        namespace: ns,
        uid: prng.uuid(),
        creationTimestamp: created,
        labels,
      },
      spec: {
        type: 'ClusterIP',
        clusterIP: `172.30.${prng.int(250)}.${prng.int(250)}`,
        ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: port }],
        selector: { app },
      },
      status: { loadBalancer: {} },
    },
  });
  out.push({
    typeKey: 'configmaps',
    object: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: `${app}-config`,
        namespace: ns,
        uid: prng.uuid(),
        creationTimestamp: created,
        labels,
      },
      data: {
        'index.html': `<html><body><h1>${app}</h1><p>served by the fleet simulator</p></body></html>`,
      },
    },
  });
  out.push({
    typeKey: 'ingresses.networking.k8s.io',
    object: {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'Ingress',
      metadata: {
        name: app,
        namespace: ns,
        uid: prng.uuid(),
        creationTimestamp: created,
        labels,
      },
      spec: {
        rules: [
          {
            host: `${app}-${ns}.${appsDomain}`,
            http: {
              paths: [
                {
                  path: '/',
                  pathType: 'Prefix',
                  backend: { service: { name: app, port: { number: 80 } } },
                },
              ],
            },
          },
        ],
      },
      status: {
        loadBalancer: {
          ingress: [{ hostname: `router-default.${appsDomain}` }],
        },
      },
    },
  });
  // OpenShift exposes the apps through a Route (the pattern's charts create one)
  out.push({
    typeKey: 'routes.route.openshift.io',
    object: {
      apiVersion: 'route.openshift.io/v1',
      kind: 'Route',
      metadata: {
        name: app,
        namespace: ns,
        uid: prng.uuid(),
        creationTimestamp: created,
        labels,
      },
      spec: {
        host: `${app}-${ns}.${appsDomain}`,
        to: { kind: 'Service', name: app, weight: 100 },
        port: { targetPort: 'http' },
        tls: { termination: 'edge', insecureEdgeTerminationPolicy: 'Redirect' },
        wildcardPolicy: 'None',
      },
      status: {
        ingress: [
          {
            host: `${app}-${ns}.${appsDomain}`,
            routerName: 'default',
            wildcardPolicy: 'None',
            conditions: [
              { type: 'Admitted', status: 'True', lastTransitionTime: created },
            ],
          },
        ],
      },
    },
  });
  return out;
}

/** The workloads of the pattern's hub apps that run pods (config-demo, hello-world). */
export function hubWorkloads(prng: Prng, hubName?: string): Workload[] {
  // a named hub's routes live under its own apps domain
  const placement = hubName ? { cluster: hubName } : {};
  return [
    ...appWorkloads(
      prng.fork('config-demo'),
      'config-demo',
      'ubi9/httpd-24:latest',
      2,
      8080,
      placement,
    ),
    ...appWorkloads(
      prng.fork('hello-world'),
      'hello-world',
      'ubi9/httpd-24:latest',
      1,
      8080,
      placement,
    ),
  ];
}

/**
 * Make freshly generated workloads (from appWorkloads, not yet stored) tell the same story as
 * the Argo CD health of their application: a Degraded app has a pod in CrashLoopBackOff, a
 * Progressing one a pod still being created. The first pod is the one affected, so the
 * picture is stable for a given seed. Other health values leave every pod Ready.
 */
export function applyAppHealth(workloads: Workload[], health: string) {
  if (health !== 'Degraded' && health !== 'Progressing') return;
  const pod = workloads.find(w => w.typeKey === 'pods')?.object;
  if (!pod) return;
  const at = pod.status.startTime as string;
  const crashing = health === 'Degraded';
  const notReady = (type: string) => ({
    type,
    status: 'False',
    reason: 'ContainersNotReady',
    message: `containers with unready status: [${pod.spec.containers[0].name}]`,
    lastTransitionTime: at,
  });
  pod.status.conditions = pod.status.conditions.map((c: any) =>
    c.type === 'Ready' || c.type === 'ContainersReady' ? notReady(c.type) : c,
  );
  const cs = pod.status.containerStatuses[0];
  cs.ready = false;
  cs.started = false;
  if (crashing) {
    cs.restartCount = 12 + cs.restartCount;
    cs.state = {
      waiting: {
        reason: 'CrashLoopBackOff',
        message: `back-off 5m0s restarting failed container=${cs.name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid})`,
      },
    };
    cs.lastState = {
      terminated: {
        exitCode: 1,
        reason: 'Error',
        startedAt: at,
        finishedAt: at,
        containerID: cs.containerID,
      },
    };
  } else {
    // still being created: no container has run, so there is no IP or container id yet
    pod.status.phase = 'Pending';
    delete pod.status.podIP;
    cs.restartCount = 0;
    delete cs.containerID;
    delete cs.imageID;
    cs.state = { waiting: { reason: 'ContainerCreating' } };
  }

  // the controllers count one replica less as ready (the API leaves zero counts out)
  const setReady = (status: any) => {
    const ready = status.replicas - 1;
    for (const k of ['readyReplicas', 'availableReplicas']) {
      if (k in status) {
        if (ready > 0) status[k] = ready;
        else delete status[k];
      }
    }
    return ready;
  };
  const rs = workloads.find(w => w.typeKey === 'replicasets.apps')?.object;
  if (rs) setReady(rs.status);
  const dep = workloads.find(w => w.typeKey === 'deployments.apps')?.object;
  if (dep) {
    const replicas = dep.status.replicas as number;
    setReady(dep.status);
    dep.status.unavailableReplicas = 1;
    // maxUnavailable 25% rounds down: with up to 3 replicas, one missing pod is too many
    if (Math.floor(replicas * 0.25) < 1) {
      dep.status.conditions = dep.status.conditions.map((c: any) =>
        c.type === 'Available'
          ? {
              ...c,
              status: 'False',
              reason: 'MinimumReplicasUnavailable',
              message: 'Deployment does not have minimum availability.',
            }
          : c,
      );
    }
    if (!crashing && rs) {
      dep.status.conditions = dep.status.conditions.map((c: any) =>
        c.type === 'Progressing'
          ? {
              ...c,
              reason: 'ReplicaSetUpdated',
              message: `ReplicaSet "${rs.metadata.name}" is progressing.`,
            }
          : c,
      );
    }
  }
}
