/*
 * Startup failures a newcomer may hit, each of which must be one readable line naming
 * what to fix (issue: "not a stack trace"). These run before the portal tests.
 */
'use strict';
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { root } = require('./portal');

function runStart(configs, timeoutMs = 120000) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        path.join(root, 'scripts/start.js'),
        ...configs.flatMap(c => ['--config', c]),
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
    );
    let out = '';
    child.stdout.on('data', d => (out += d));
    child.stderr.on('data', d => (out += d));
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {}
      reject(
        new Error(
          `start.js did not exit within ${timeoutMs / 1000} s:\n${out.slice(
            -2000,
          )}`,
        ),
      );
    }, timeoutMs);
    child.on('exit', code => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

function tmpConfig(name, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcg-e2e-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function errorLines(out) {
  return out.split('\n').filter(l => /Cannot start|failed to start/.test(l));
}

const startupTests = [
  {
    name: 'startup: a port already in use is one line naming the port and the key',
    async run() {
      const server = net.createServer();
      await new Promise(r => server.listen(0, '127.0.0.1', r));
      const port = server.address().port;
      try {
        const cfg = tmpConfig(
          'port.yaml',
          `backend:\n  listen:\n    port: ${port}\n`,
        );
        const { code, out } = await runStart([
          path.join(__dirname, 'app-config.e2e.yaml'),
          cfg,
        ]);
        assert.equal(code, 1);
        const lines = errorLines(out);
        assert.equal(lines.length, 1, out);
        assert.match(
          lines[0],
          new RegExp(
            `port ${port} \\(backend.listen.port\\) is already in use`,
          ),
        );
        assert.doesNotMatch(out, /\n\s+at /, 'no stack trace');
      } finally {
        server.close();
      }
    },
  },
  {
    name: 'startup: unreadable YAML in a config file is one line naming the file',
    async run() {
      const cfg = tmpConfig('broken.yaml', 'backend:\n  listen: [port: 1\n');
      const { code, out } = await runStart([cfg]);
      assert.equal(code, 1);
      const lines = errorLines(out);
      assert.equal(lines.length, 1, out);
      assert.match(lines[0], /broken\.yaml is not valid YAML/);
    },
  },
  {
    name: 'startup: a bad hub config value is one line naming the key',
    async run() {
      const cfg = tmpConfig(
        'badhub.yaml',
        'multicloudGitops:\n  hubs:\n    - name: hub\n      url: ftp://hub.example.com\n      serviceAccountToken: secret-value-123\n',
      );
      const { code, out } = await runStart([
        path.join(__dirname, 'app-config.e2e.yaml'),
        cfg,
      ]);
      assert.equal(code, 1);
      const lines = errorLines(out);
      assert.equal(lines.length, 1, out.slice(-3000));
      assert.match(
        lines[0],
        /Invalid config at multicloudGitops\.hubs\[0\]\.url: must be an http\(s\) URL/,
      );
      assert.doesNotMatch(
        out,
        /secret-value-123/,
        'the token must not be printed',
      );
    },
  },
];

module.exports = { startupTests };
