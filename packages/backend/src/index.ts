/*
 * The example portal's backend: the standard Backstage plugins a Multicloud GitOps portal
 * needs, our backend plugin and scaffolder module, and (by default) the fleet simulator
 * started in-process so `npm start` needs no cluster and no second terminal.
 */
import { createBackend } from '@backstage/backend-defaults';
import { reportStartupFailure } from './startupErrors';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Sign-in: guest for the example portal (see app-config.yaml).
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the scaffolder's Template kind, and every hub, cluster group and managed
// cluster as a Resource (catalog.providers.multicloudGitops).
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(
  import(
    '@multicloud-gitops-backstage/plugin-catalog-backend-module-multicloud-gitops'
  ),
);

// Scaffolder, with our actions (create pattern, onboard cluster, onboard team).
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(
  import(
    '@multicloud-gitops-backstage/plugin-scaffolder-backend-module-multicloud-gitops'
  ),
);

// Kubernetes plugin: its clusters are the catalog's managed clusters, each reached through
// its hub's cluster-proxy with the hub's token (our auth strategy module).
backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(
  import(
    '@multicloud-gitops-backstage/plugin-kubernetes-backend-module-multicloud-gitops'
  ),
);

// Permissions: everything allowed, except syncing an application, which needs ownership
// of the catalog entity (see permissionPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// Local pattern repositories written by the create-pattern template, served read-only.
backend.add(import('./localGit'));

// The fleet simulator (multicloudGitops.simulator.enabled), then our plugin.
backend.add(import('./simulator'));
backend.add(
  import('@multicloud-gitops-backstage/plugin-multicloud-gitops-backend'),
);

// Owners told when their applications break (our plugin sends them), shown in the portal
// and pushed to open tabs through signals.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Our plugin's actions served to AI assistants over MCP at /api/mcp-actions/v1
// (backend.actions.pluginSources in app-config.yaml).
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start().catch(reportStartupFailure);
