import { describeStartupFailure } from './startupErrors';

describe('describeStartupFailure', () => {
  it('names the port that is taken and the keys that choose it', () => {
    const err = Object.assign(
      new Error('listen EADDRINUSE: address already in use :::7007'),
      {
        code: 'EADDRINUSE',
        port: 7007,
      },
    );
    const wrapped = new Error("Plugin 'app' startup failed", { cause: err });
    expect(describeStartupFailure(wrapped)).toBe(
      'port 7007 is already in use: stop the process using it, or choose another port (backend.listen.port, multicloudGitops.simulator.port)',
    );
  });

  it("finds the taken port in a failed plugin of Backstage's BackendStartupError", () => {
    // As backend.start() rejects: the failed plugins in the message, their errors in `result`.
    const listen = Object.assign(
      new Error('listen EADDRINUSE: address already in use 127.0.0.1:7008'),
      { code: 'EADDRINUSE', port: 7008, syscall: 'listen' },
    );
    const startup = Object.assign(
      new Error(
        "Backend startup failed due to the following errors:\n  Plugin 'simulated-hub' startup failed; caused by Error: listen EADDRINUSE: address already in use 127.0.0.1:7008",
      ),
      {
        name: 'BackendStartupError',
        result: {
          plugins: [
            { pluginId: 'app', modules: [] },
            {
              pluginId: 'simulated-hub',
              failure: { allowed: false, error: listen },
              modules: [],
            },
          ],
        },
      },
    );
    expect(describeStartupFailure(startup)).toBe(
      'port 7008 is already in use: stop the process using it, or choose another port (backend.listen.port, multicloudGitops.simulator.port)',
    );
  });

  it('keeps one line per cause, without stack traces', () => {
    const cause = new Error(
      'Invalid config at multicloudGitops.hubs[0].url: must be an http(s) URL\n    at foo (bar.ts:1:1)',
    );
    const wrapped = new Error("Plugin 'multicloud-gitops' startup failed", {
      cause,
    });
    const line = describeStartupFailure(wrapped);
    expect(line).toBe(
      "Plugin 'multicloud-gitops' startup failed: Invalid config at multicloudGitops.hubs[0].url: must be an http(s) URL",
    );
    expect(line).not.toMatch(/\n|at foo/);
  });
});
