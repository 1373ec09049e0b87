'use strict';
// Test only: a minimal Backstage backend with Roadie's Argo CD backend plugin, unmodified,
// built from this folder's own node_modules. roadie.test.js starts it as a child process with
//   node bench/peer-roadie/index.js --config <file>
// where the config sets backend.listen.port, a static token for the test
// (backend.auth.externalAccess) and argocd.appLocatorMethods (the simulator's instances).
const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(require('@roadiehq/backstage-plugin-argo-cd-backend'));
backend.start().then(
  () => process.stdout.write('peer-roadie ready\n'),
  e => {
    process.stderr.write(
      `peer-roadie failed to start: ${e && e.stack ? e.stack : e}\n`,
    );
    process.exit(1);
  },
);

// SIGTERM/SIGINT stop it cleanly: @backstage/backend-app-api registers those handlers itself.
