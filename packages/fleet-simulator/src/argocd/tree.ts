import { createHash } from 'crypto';
import { KObject } from '../store/types';

/**
 * The resource tree Argo CD computes from its live-state cache. We derive it from the
 * Application's status.resources: Deployments get a ReplicaSet and Pods, child Applications
 * take their health from the child object when the same instance hosts it.
 */

function uidFor(...parts: string[]): string {
  const h = createHash('sha1').update(parts.join('/')).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(
    17,
    20,
  )}-${h.slice(20, 32)}`;
}

const POD_REASON: Record<string, string> = {
  Degraded: 'CrashLoopBackOff',
  Progressing: 'ContainerCreating',
};

export function resourceTree(
  app: KObject,
  lookupChild: (name: string) => KObject | undefined,
) {
  const nodes: any[] = [];
  const appHealth = app.status?.health?.status ?? 'Unknown';
  const created = app.metadata.creationTimestamp;
  const images: string[] = app.status?.summary?.images ?? [];
  const resources: any[] = app.status?.resources ?? [];
  resources.forEach((r, i) => {
    const uid = uidFor(
      app.metadata.uid ?? '',
      r.kind,
      r.namespace ?? '',
      r.name,
    );
    const node: any = {
      group: r.group ?? '',
      version: r.version,
      kind: r.kind,
      namespace: r.namespace ?? '',
      name: r.name,
      uid,
      resourceVersion: app.metadata.resourceVersion,
      createdAt: created,
    };
    if (r.group === 'argoproj.io' && r.kind === 'Application') {
      const child = lookupChild(r.name);
      node.health = { status: child?.status?.health?.status ?? 'Missing' };
    } else if (r.kind === 'Deployment' || r.kind === 'StatefulSet') {
      // the first workload carries the app's own health, as Argo CD rolls it up from there
      node.health = {
        status: i === 0 ? appHealth : 'Healthy',
        ...(i === 0 && appHealth === 'Degraded'
          ? { message: `Deployment "${r.name}" exceeded its progress deadline` }
          : {}),
      };
      node.info = [{ name: 'Revision', value: 'Rev:1' }];
      node.images = images;
    } else if (r.kind === 'Service') {
      node.health = { status: 'Healthy' };
      node.networkingInfo = { targetLabels: { app: r.name } };
    } else if (r.kind !== 'ConfigMap') {
      node.health = { status: i === 0 ? appHealth : 'Healthy' };
    }
    nodes.push(node);
    if (r.kind === 'Deployment' && appHealth !== 'Missing') {
      const rsName = `${r.name}-${uid.slice(0, 10).replace(/-/g, '')}`;
      const rsUid = uidFor(uid, 'rs');
      nodes.push({
        group: 'apps',
        version: 'v1',
        kind: 'ReplicaSet',
        namespace: r.namespace,
        name: rsName,
        uid: rsUid,
        parentRefs: [
          {
            group: 'apps',
            kind: 'Deployment',
            namespace: r.namespace,
            name: r.name,
            uid,
          },
        ],
        info: [{ name: 'Revision', value: 'Rev:1' }],
        health: { status: node.health.status },
        createdAt: created,
        resourceVersion: app.metadata.resourceVersion,
      });
      const pods = appHealth === 'Progressing' ? 1 : 2;
      for (let p = 0; p < pods; p++) {
        const podUid = uidFor(rsUid, String(p));
        const ready = !(
          appHealth === 'Degraded' || appHealth === 'Progressing'
        );
        nodes.push({
          group: '',
          version: 'v1',
          kind: 'Pod',
          namespace: r.namespace,
          name: `${rsName}-${podUid.slice(0, 5)}`,
          uid: podUid,
          parentRefs: [
            {
              group: 'apps',
              kind: 'ReplicaSet',
              namespace: r.namespace,
              name: rsName,
              uid: rsUid,
            },
          ],
          info: [
            {
              name: 'Status Reason',
              value: POD_REASON[appHealth] ?? 'Running',
            },
            { name: 'Node', value: 'ip-10-0-1-5.compute.internal' },
            { name: 'Containers', value: ready ? '1/1' : '0/1' },
          ],
          networkingInfo: { labels: { app: r.name } },
          images,
          health: {
            status:
              appHealth === 'Degraded' || appHealth === 'Progressing'
                ? appHealth
                : 'Healthy',
          },
          createdAt: created,
          resourceVersion: app.metadata.resourceVersion,
        });
      }
    }
  });
  return { nodes, hosts: [], shardsCount: 1 };
}
