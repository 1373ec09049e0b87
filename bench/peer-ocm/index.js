'use strict';
// Benchmark only: a minimal Backstage backend with the peer @backstage-community/plugin-ocm-backend,
// built from this folder's own node_modules (its own @backstage/backend-defaults, the version range
// the peer asks for). bench/backend.bench.js starts it as a child process with
//   node bench/peer-ocm/index.js --config <file>
// where the config file sets backend.listen.port and catalog.providers.ocm.<id> (the simulator hub).
// Unauthenticated calls are let through (auth.dangerouslyDisableDefaultAuthPolicy), and the
// permission framework is off, so the default permission service allows everything.
const { createBackend } = require('@backstage/backend-defaults');

const backend = createBackend();
backend.add(require('@backstage-community/plugin-ocm-backend'));
backend.start().then(
  () => process.stdout.write('peer-ocm ready\n'),
  e => {
    process.stderr.write(
      `peer-ocm failed to start: ${e && e.stack ? e.stack : e}\n`,
    );
    process.exit(1);
  },
);

// SIGTERM/SIGINT stop it cleanly: @backstage/backend-app-api registers those handlers itself.

// The bench sends SIGUSR2 to measure memory after a full GC (the process runs with --expose-gc).
process.on('SIGUSR2', () => {
  if (global.gc) {
    global.gc();
    global.gc();
  }
  process.stdout.write('gc done\n');
});
