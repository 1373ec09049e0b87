/*
 * The root e2e config pins the portal to 7017 and the simulator to 7018. Several people
 * run browser tests on one machine, so these scripts take --port and write an override
 * that moves every URL that names those ports.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/**
 * `extraYaml` goes under `multicloudGitops.simulator` (4 spaces) and may add
 * `multicloudGitops` keys (2 spaces). Search is polled every 2 s so tests see changes
 * quickly; benchmarks pass `searchPollSeconds: 15`, the plugin's default.
 */
function portOverride(port, extraYaml = '', { searchPollSeconds = 2 } = {}) {
  const sim = port + 1;
  const file = path.join(os.tmpdir(), `mcg-e2e-${process.pid}-${port}.yaml`);
  fs.writeFileSync(
    file,
    `app:
  baseUrl: http://localhost:${port}
backend:
  baseUrl: http://localhost:${port}
  listen:
    port: ${port}
kubernetes:
  clusterLocatorMethods:
    - type: config
      clusters:
        - name: hub
          title: Simulated ACM hub
          url: http://127.0.0.1:${sim}
          authProvider: serviceAccount
          serviceAccountToken: fleet-simulator-token
          skipTLSVerify: true
          skipMetricsLookup: true
multicloudGitops:
  simulator:
    enabled: true
    port: ${sim}
${extraYaml}  hubs:
    - name: hub
      title: Simulated hub
      kubernetesCluster: hub
      search:
        url: http://127.0.0.1:${sim}/searchapi/graphql
        pollIntervalSeconds: ${searchPollSeconds}
      argocd:
        - name: hub-gitops
          url: http://127.0.0.1:${sim}/argocd/local-cluster
          username: admin
          password: fleet-simulator
`,
  );
  return {
    file,
    cleanup: async () => {
      await stopProcessesUsing(file);
      fs.rmSync(file, { force: true });
    },
  };
}

/**
 * Stopping the portal's process group can leave the backend (started by
 * `backstage-cli package start`) running. Our processes are the ones whose command line
 * names our own override file, so stop exactly those: SIGINT, then SIGKILL.
 */
async function stopProcessesUsing(file) {
  const mine = () => {
    if (!fs.existsSync('/proc')) return [];
    return fs
      .readdirSync('/proc')
      .filter(d => /^\d+$/.test(d) && Number(d) !== process.pid)
      .filter(d => {
        try {
          return fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes(file);
        } catch {
          return false;
        }
      })
      .map(Number);
  };
  const signal = (pids, sig) =>
    pids.forEach(pid => {
      try {
        process.kill(pid, sig);
      } catch {
        // already gone
      }
    });
  signal(mine(), 'SIGINT');
  for (let i = 0; i < 20 && mine().length; i++)
    await new Promise(r => setTimeout(r, 500));
  signal(mine(), 'SIGKILL');
}

module.exports = { portOverride };
