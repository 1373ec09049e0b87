import {
  MultiSimulatorOptions,
  OptionError,
  RunningSimulator,
  startSimulator,
  startSimulators,
} from './simulator';

/**
 * `fleet-simulator` command line. Prints exactly one JSON line on stdout when ready
 * ({"url","token","argocd":{...},"clusterProxy":{"url"}}, or {"hubs":[{"name",...}, ...]}
 * with --hubs N > 1); everything else goes to stderr. Bad flags: one line on stderr and exit
 * code 2.
 */

const USAGE = `usage: fleet-simulator [--port N] [--host H] [--clusters N] [--groups N] [--apps-per-cluster N]
                      [--seed S] [--pattern NAME] [--tick DURATION] [--fixtures DIR] [--token T] [--tls]
                      [--hubs N] [--pattern-poll DURATION]`;

const FLAGS: Record<
  string,
  {
    key: keyof MultiSimulatorOptions;
    type: 'int' | 'string' | 'bool' | 'seed';
  }
> = {
  '--port': { key: 'port', type: 'int' },
  '--host': { key: 'host', type: 'string' },
  '--clusters': { key: 'clusters', type: 'int' },
  '--groups': { key: 'groups', type: 'int' },
  '--apps-per-cluster': { key: 'appsPerCluster', type: 'int' },
  '--seed': { key: 'seed', type: 'seed' },
  '--pattern': { key: 'pattern', type: 'string' },
  '--tick': { key: 'tick', type: 'string' },
  '--fixtures': { key: 'fixtures', type: 'string' },
  '--token': { key: 'token', type: 'string' },
  '--tls': { key: 'tls', type: 'bool' },
  '--hubs': { key: 'hubs', type: 'int' },
  '--pattern-poll': { key: 'patternPoll', type: 'string' },
};

export class UsageError extends Error {}

export function parseArgs(argv: string[]): MultiSimulatorOptions | 'help' {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] = arg.includes('=')
      ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
      : [arg, undefined];
    const spec = FLAGS[flag];
    if (!spec) throw new UsageError(`unknown flag ${flag} (see --help)`);
    if (spec.type === 'bool') {
      if (inline !== undefined && !['true', 'false'].includes(inline))
        throw new UsageError(`${flag} takes no value`);
      out[spec.key] = inline !== 'false';
      continue;
    }
    const value = inline ?? argv[++i];
    if (value === undefined || (inline === undefined && value.startsWith('--')))
      throw new UsageError(`${flag} needs a value`);
    if (spec.type === 'int') {
      if (!/^\d+$/.test(value))
        throw new UsageError(
          `${flag} must be a non-negative integer, got "${value}"`,
        );
      out[spec.key] = Number(value);
    } else if (spec.type === 'seed') {
      out[spec.key] = /^\d+$/.test(value) ? Number(value) : value;
    } else {
      out[spec.key] = value;
    }
  }
  return out as MultiSimulatorOptions;
}

/** What a client needs of one hub: the fields of the ready line. */
function readyInfo(sim: RunningSimulator) {
  return {
    url: sim.url,
    token: sim.token,
    argocd: sim.argocd,
    clusterProxy: { url: sim.clusterProxyUrl },
  };
}

function hubDetails(sim: RunningSimulator, prefix = ''): string {
  return `${prefix}read-only token: ${sim.readOnlyToken}; search: ${
    sim.searchUrl
  }; argo CD of a managed cluster: ${sim.url}/argocd/<cluster>\n${
    sim.caData
      ? `${prefix}TLS certificate (trust it as the CA):\n${sim.caData}`
      : ''
  }`;
}

export async function main(argv = process.argv.slice(2)): Promise<void> {
  let opts: MultiSimulatorOptions | 'help';
  try {
    opts = parseArgs(argv);
  } catch (e) {
    process.stderr.write(`fleet-simulator: ${(e as Error).message}\n`);
    process.exit(2);
  }
  if (opts === 'help') {
    process.stderr.write(`${USAGE}\n`);
    return;
  }
  const { hubs, ...single } = opts;
  const logger = (line: string) => process.stderr.write(`${line}\n`);
  let sim: { stop(): Promise<void> };
  try {
    if (hubs === undefined || hubs === 1) {
      // one hub: the same simulator, and the same ready line, as without --hubs
      const one = await startSimulator({ ...single, logger });
      sim = one;
      process.stdout.write(`${JSON.stringify(readyInfo(one))}\n`);
      process.stderr.write(hubDetails(one));
    } else {
      const many = await startSimulators({ ...opts, logger });
      sim = many;
      process.stdout.write(
        `${JSON.stringify({
          hubs: many.hubs.map(h => ({ name: h.hubName, ...readyInfo(h) })),
        })}\n`,
      );
      for (const h of many.hubs)
        process.stderr.write(hubDetails(h, `${h.hubName}: `));
    }
  } catch (e) {
    // option errors and fixture errors: one line, no stack
    const msg = (e as Error).message.split('\n')[0];
    process.stderr.write(`fleet-simulator: ${msg}\n`);
    process.exit(e instanceof OptionError ? 2 : 1);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`received ${signal}, stopping\n`);
    sim!.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

if (require.main === module) {
  main();
}
