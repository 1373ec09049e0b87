import type {
  ApplicationDiff,
  ApplicationHistory,
  RevisionSpread,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops-common';
import type { ApplicationRef, RevisionSpreadRequest } from '../api';

export const NEW_SHA = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b';
export const OLD_SHA = '5f3c2a1d9e8b7c6a5f4e3d2c1b0a9f8e7d6c5b4a';

/** hello-world: the new commit on two clusters, one behind, one only Search reports. */
export function spreadAnswer(request: RevisionSpreadRequest): RevisionSpread {
  return {
    hub: request.hub ?? 'prod-hub',
    application: request.name,
    total: 4,
    revisions: [
      { revision: NEW_SHA, clusters: ['east-1', 'edge-1'] },
      { revision: OLD_SHA, clusters: ['west-1'] },
    ],
    leading: NEW_SHA,
    lagging: ['west-1'],
    unknown: ['south-1'],
  };
}

export function historyAnswer(
  app: ApplicationRef,
  overrides: Partial<ApplicationHistory> = {},
): ApplicationHistory {
  return {
    hub: app.hub,
    cluster: app.cluster,
    application: app.name,
    through: 'argocd:hub-gitops',
    rollbackAllowed: true,
    entries: [
      {
        id: 7,
        revision: NEW_SHA,
        deployedAt: '2026-12-04T10:00:09Z',
        initiatedBy: 'automated',
        current: true,
        commit: {
          author: 'Ana Lima <alima@example.com>',
          date: '2026-12-04T09:40:00Z',
          message: 'hello-world: raise replicas to 2',
        },
      },
      {
        id: 6,
        revision: OLD_SHA,
        deployedAt: '2026-12-01T08:00:00Z',
        initiatedBy: 'user:default/platform-alice',
        current: false,
        commitError: 'Failed to checkout revision 5f3c2a1',
      },
    ],
    ...overrides,
  };
}

export function diffAnswer(app: ApplicationRef): ApplicationDiff {
  return {
    hub: app.hub,
    cluster: app.cluster,
    application: app.name,
    sync: 'OutOfSync',
    resources: [
      {
        group: 'apps',
        kind: 'Deployment',
        namespace: 'hello-world',
        name: 'hello-world',
        modified: true,
        diff: '--- desired\n+++ live\n@@ -1,3 +1,3 @@\n spec:\n-  replicas: 2\n+  replicas: 4\n',
      },
      {
        group: '',
        kind: 'Service',
        namespace: 'hello-world',
        name: 'hello-world',
        modified: false,
        diff: '',
      },
    ],
  };
}
