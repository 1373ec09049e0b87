/*
 * Starts the fleet simulator's CLI as a child process, for benchmarks whose figures must not
 * include the simulator's own CPU in the measuring process. Resolves once the CLI has printed
 * its first line (JSON: url, token, ...).
 */
'use strict';

const path = require('path');
const { spawn } = require('child_process');

const BIN = path.resolve(
  __dirname,
  '../../packages/fleet-simulator/bin/fleet-simulator',
);

/**
 * Resolves with { child, info, ms, stderr() }; `args` are the CLI's flags. `onSpawn(child)`,
 * if given, gets the child at once, so a caller can stop it while it is still starting.
 */
function startSimulatorProcess(args, onSpawn) {
  return new Promise((resolve, reject) => {
    const t = performance.now();
    const child = spawn(process.execPath, [BIN, ...args.map(String)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (onSpawn) onSpawn(child);
    let out = '';
    let err = '';
    child.stderr.on('data', d => (err += d));
    child.stdout.on('data', d => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0)
        resolve({
          child,
          info: JSON.parse(out.slice(0, nl)),
          ms: performance.now() - t,
          stderr: () => err,
        });
    });
    child.on('exit', code =>
      reject(new Error(`simulator exited with ${code}: ${err}`)),
    );
  });
}

module.exports = { startSimulatorProcess };
