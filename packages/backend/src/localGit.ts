/*
 * Serves the example portal's local pattern repositories (multicloudGitops.localGit.rootDir,
 * written by the multicloud-gitops:publish:local action) read-only over HTTP, so a git client
 * or an Argo-style consumer can clone what the create-pattern template produced, and the
 * catalog can read its catalog-info.yaml. Example portal only: it needs no sign-in, and the
 * publisher refuses to write secrets into these repositories.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { createLocalGitHttpHandler } from '@multicloud-gitops-backstage/plugin-scaffolder-backend-module-multicloud-gitops';
import Router from 'express-promise-router';
import fs from 'node:fs';

export default createBackendPlugin({
  pluginId: 'local-git',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ config, httpRouter, logger }) {
        const rootDir = config.getOptionalString(
          'multicloudGitops.localGit.rootDir',
        );
        if (!rootDir) return;
        fs.mkdirSync(rootDir, { recursive: true });
        const handler = createLocalGitHttpHandler({ rootDir });
        const router = Router();
        router.use((req, res) => handler(req, res));
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
        logger.info(
          `Serving local pattern repositories from ${rootDir} read-only`,
        );
      },
    });
  },
});
