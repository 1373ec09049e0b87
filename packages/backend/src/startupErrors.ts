/**
 * Turns a failed backend start into one line a person can act on, instead of a stack
 * trace: which port is taken, which config key is wrong, which plugin failed and why.
 */
export function describeStartupFailure(error: unknown): string {
  // Backstage's BackendStartupError names the failed plugins in its message, and keeps
  // their errors (with the code that tells a taken port) in `result`, not in `cause`.
  for (const failure of [error, ...pluginFailures(error)]) {
    const line = describeSystemError(failure);
    if (line) return line;
  }
  const err = error as NodeJS.ErrnoException & { cause?: unknown };
  const messages: string[] = [];
  let current: any = err;
  // Backstage wraps plugin failures ("Plugin 'x' startup failed; caused by ..."); walk the
  // causes and keep each distinct message once.
  for (let depth = 0; current && depth < 5; depth++) {
    // Keep every line of the message but none of a stack trace: Backstage lists the failed
    // plugins on the lines after "Backend startup failed due to the following errors:".
    const msg = String(current.message ?? current)
      .split('\n')
      .map(l => l.trim())
      .filter(l => l && !l.startsWith('at '))
      .join(' ');
    if (msg && !messages.some(m => m.includes(msg))) messages.push(msg);
    current = current.cause;
  }
  return messages.join(': ') || 'unknown error';
}

/** One error's cause chain: a taken or forbidden port, said in one line; else undefined. */
function describeSystemError(error: unknown): string | undefined {
  let current: any = error;
  for (let depth = 0; current && depth < 5; depth++) {
    if (current.code === 'EADDRINUSE') {
      const port = current.port ?? /:(\d+)/.exec(String(current.message))?.[1];
      return `port ${
        port ?? '(unknown)'
      } is already in use: stop the process using it, or choose another port (backend.listen.port, multicloudGitops.simulator.port)`;
    }
    if (current.code === 'EACCES' && current.syscall === 'listen') {
      return `not allowed to listen on port ${current.port}: choose a port above 1024 (backend.listen.port)`;
    }
    current = current.cause;
  }
  return undefined;
}

/** The errors of the plugins and modules that failed, from a BackendStartupError. */
function pluginFailures(error: unknown): unknown[] {
  const plugins = (error as any)?.result?.plugins;
  if (!Array.isArray(plugins)) return [];
  const failures: unknown[] = [];
  for (const plugin of plugins) {
    if (plugin?.failure && !plugin.failure.allowed)
      failures.push(plugin.failure.error);
    for (const mod of plugin?.modules ?? [])
      if (mod?.failure && !mod.failure.allowed)
        failures.push(mod.failure.error);
  }
  return failures;
}

export function reportStartupFailure(error: unknown): never {
  process.stderr.write(
    `Backend failed to start: ${describeStartupFailure(error)}\n`,
  );
  process.exit(1);
}
