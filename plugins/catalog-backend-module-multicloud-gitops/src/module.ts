import { createBackendModule } from '@backstage/backend-plugin-api';

/** @public */
export const catalogModuleMulticloudGitops = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'multicloud-gitops',
  register(env) {
    env.registerInit({ deps: {}, async init() {} });
  },
});
