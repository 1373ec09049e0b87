/*
 * The root e2e config pins the portal to 7017 and the simulator to 7018. Several people
 * run browser tests on one machine, so these scripts take --port and write an override
 * that moves every URL that names those ports.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

function portOverride(port, extraYaml = '') {
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
        pollIntervalSeconds: 2
      argocd:
        - name: hub-gitops
          url: http://127.0.0.1:${sim}/argocd/local-cluster
          username: admin
          password: fleet-simulator
`,
  );
  return { file, cleanup: () => fs.rmSync(file, { force: true }) };
}

module.exports = { portOverride };
