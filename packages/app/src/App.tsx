import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import scaffolderPlugin from '@backstage/plugin-scaffolder/alpha';
import kubernetesPlugin from '@backstage/plugin-kubernetes/alpha';
import orgPlugin from '@backstage/plugin-org/alpha';
import userSettingsPlugin from '@backstage/plugin-user-settings/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import multicloudGitopsPlugin, {
  kubernetesClusterProxyAuthModule,
} from '@multicloud-gitops-backstage/plugin-multicloud-gitops/alpha';
import { navModule } from './modules/nav';

/**
 * The example portal on the new frontend system. `app.packages: all` in app-config.yaml
 * also discovers these from package.json; listing them keeps the app testable without
 * discovery.
 */
export default createApp({
  features: [
    catalogPlugin,
    scaffolderPlugin,
    kubernetesPlugin,
    // Managed clusters reached through their hub: the Kubernetes tab needs their auth provider.
    kubernetesClusterProxyAuthModule,
    orgPlugin,
    userSettingsPlugin,
    // Notifications from our backend plugin (owners told), pushed live through signals.
    notificationsPlugin,
    signalsPlugin,
    multicloudGitopsPlugin,
    navModule,
  ],
});
