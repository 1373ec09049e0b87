'use strict';
// Benchmark only: a minimal Backstage backend with our multicloud-gitops plugin, the counterpart
// of bench/peer-ocm/index.js, so both plugins are measured the same way: each in a backend
// process of its own, created with createBackend(). bench/backend.bench.js starts it as
//   node bench/ours-backend/index.js --config <file>
// The catalog is a static one holding the entities of `bench.entities` in the config: a portal
// always has a catalog, but its memory is the catalog's, not the plugin's, and the peer's backend
// has none either. Our workspace packages are TypeScript sources, loaded through the Backstage
// CLI's transform (as `backstage-cli package start` does); a built backend would not carry it.
require('@backstage/cli/config/nodeTransform.cjs');
const { createBackend } = require('@backstage/backend-defaults');
const {
  coreServices,
  createServiceFactory,
} = require('@backstage/backend-plugin-api');
const { catalogServiceRef } = require('@backstage/plugin-catalog-node');
const { stringifyEntityRef } = require('@backstage/catalog-model');

const staticCatalog = createServiceFactory({
  service: catalogServiceRef,
  deps: { config: coreServices.rootConfig },
  factory({ config }) {
    const byRef = new Map(
      (config.getOptional('bench.entities') ?? []).map(e => [
        stringifyEntityRef(e),
        e,
      ]),
    );
    return {
      async getEntityByRef(ref) {
        return byRef.get(
          typeof ref === 'string' ? ref : stringifyEntityRef(ref),
        );
      },
    };
  },
});

// The least an authenticated plugin route costs in this backend: the same plugin router,
// credentials barrier and root middleware as ours, then 11 bytes. The bench measures it as
// a floor beside our views (the framework's liveness route skips the plugin stack).
const { createBackendPlugin } = require('@backstage/backend-plugin-api');
const express = require('express');
const OK = Buffer.from('{"ok":true}');
const floorPlugin = createBackendPlugin({
  pluginId: 'bench-floor',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
      },
      async init({ httpRouter, httpAuth }) {
        const router = express.Router();
        router.get('/ping', async (req, res, next) => {
          try {
            await httpAuth.credentials(req, { allow: ['user', 'service'] });
            // Written the way our views are (a ready Buffer, no res.json/res.send).
            res.setHeader('Content-Type', 'application/json');
            res.end(OK);
          } catch (e) {
            next(e);
          }
        });
        httpRouter.use(router);
      },
    });
  },
});

const backend = createBackend();
backend.add(floorPlugin);
backend.add(staticCatalog);
backend.add(
  require('@multicloud-gitops-backstage/plugin-multicloud-gitops-backend'),
);
backend.start().then(
  () => process.stdout.write('ours ready\n'),
  e => {
    process.stderr.write(
      `our backend failed to start: ${e && e.stack ? e.stack : e}\n`,
    );
    process.exit(1);
  },
);

// The bench sends SIGUSR2 to measure memory after a full GC (the process runs with --expose-gc).
process.on('SIGUSR2', () => {
  if (global.gc) {
    global.gc();
    global.gc();
  }
  process.stdout.write('gc done\n');
});
