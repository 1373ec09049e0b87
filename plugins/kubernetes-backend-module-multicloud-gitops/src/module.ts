import { createBackendModule } from '@backstage/backend-plugin-api';

/** @public */
export const kubernetesModuleMulticloudGitops = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'multicloud-gitops',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});
