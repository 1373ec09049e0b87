import fs from 'node:fs';
import path from 'node:path';
import {
  EditPlan,
  PatternValidationError,
  PathTraversalError,
  applyChanges,
  formatIssue,
  planAddApplication,
  planAddClusterGroup,
  readPattern,
  renderDiff,
  validatePattern,
} from '../pattern';
import {
  ParsedArgs,
  UsageError,
  checkKnown,
  parseArgs,
  required,
  single,
} from './args';

/**
 * Where the CLI writes; injectable so tests run it in-process.
 * @public
 */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

export const USAGE = `Usage: multicloud-gitops-pattern <command> DIR [options]

Commands:
  validate DIR
      Check a Validated Patterns checkout (values-global.yaml, values-<group>.yaml,
      pattern-metadata.yaml, secrets in tracked files).
  add-cluster-group DIR --group NAME [--label k=v ...]
      Add NAME to the hub group's managedClusterGroups (acmlabels clusterGroup=NAME)
      and create values-NAME.yaml when missing.
  add-application DIR --group NAME --app NAME --namespace NS
      (--path P | --chart C --chart-version V [--repo-url U]) [--argo-project P]
      Add an application (and its namespace and Argo CD project) to a group.

Options:
  --dry-run   print the unified diff instead of writing
  --help      show this text

Exit codes: 0 valid / applied, 1 invalid (messages on stderr), 2 usage error.
`;

const BOOLEAN_FLAGS = new Set(['dry-run', 'help']);

function patternDir(args: ParsedArgs): string {
  if (args.positionals.length !== 1) {
    throw new UsageError(
      args.positionals.length === 0
        ? 'DIR is required'
        : `expected one DIR, got ${args.positionals.join(' ')}`,
    );
  }
  const dir = path.resolve(args.positionals[0]);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${args.positionals[0]} is not a directory`);
  }
  return dir;
}

function parseLabels(values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--label ${v}: use key=value`);
    }
    labels[v.slice(0, eq)] = v.slice(eq + 1);
  }
  return labels;
}

async function runValidate(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, []);
  const dir = patternDir(args);
  const result = await validatePattern(await readPattern(dir));
  for (const issue of [...result.errors, ...result.warnings]) {
    io.stderr(`${formatIssue(issue)}\n`);
  }
  if (!result.valid) {
    io.stderr(
      `${dir}: ${result.errors.length} error(s), ${result.warnings.length} warning(s)\n`,
    );
    return 1;
  }
  io.stdout(`${dir}: valid (${result.warnings.length} warning(s))\n`);
  return 0;
}

async function finish(
  plan: EditPlan,
  dir: string,
  dryRun: boolean,
  io: CliIo,
): Promise<number> {
  for (const w of plan.validation.warnings) {
    io.stderr(`${formatIssue(w)}\n`);
  }
  if (dryRun) {
    io.stdout(plan.changes.length > 0 ? renderDiff(plan.changes) : '');
    io.stderr(`dry run: ${plan.changes.length} file(s) would change\n`);
    return 0;
  }
  await applyChanges(dir, plan.changes);
  for (const note of plan.notes) {
    io.stdout(`${note}\n`);
  }
  io.stdout(
    plan.changes.length > 0
      ? `wrote ${plan.changes.map(c => c.file).join(', ')}\n`
      : 'nothing to change\n',
  );
  return 0;
}

async function runAddClusterGroup(
  args: ParsedArgs,
  io: CliIo,
): Promise<number> {
  checkKnown(args, ['group', 'label', 'dry-run']);
  const dir = patternDir(args);
  const group = required(args, 'group');
  const labels = parseLabels(args.options.get('label') ?? []);
  const plan = await planAddClusterGroup(await readPattern(dir), {
    group,
    labels,
  });
  return finish(plan, dir, args.flags.has('dry-run'), io);
}

async function runAddApplication(args: ParsedArgs, io: CliIo): Promise<number> {
  checkKnown(args, [
    'group',
    'app',
    'namespace',
    'path',
    'chart',
    'chart-version',
    'repo-url',
    'argo-project',
    'dry-run',
  ]);
  const dir = patternDir(args);
  const p = single(args, 'path');
  const chart = single(args, 'chart');
  const chartVersion = single(args, 'chart-version');
  const repoURL = single(args, 'repo-url');
  if ((p === undefined) === (chart === undefined)) {
    throw new UsageError('give either --path or --chart with --chart-version');
  }
  if (chart !== undefined && chartVersion === undefined) {
    throw new UsageError('--chart needs --chart-version');
  }
  if (
    p !== undefined &&
    (chartVersion !== undefined || repoURL !== undefined)
  ) {
    throw new UsageError(
      '--chart-version and --repo-url go with --chart, not --path',
    );
  }
  const plan = await planAddApplication(await readPattern(dir), {
    group: required(args, 'group'),
    app: required(args, 'app'),
    namespace: required(args, 'namespace'),
    path: p,
    chart,
    chartVersion,
    repoURL,
    argoProject: single(args, 'argo-project'),
  });
  return finish(plan, dir, args.flags.has('dry-run'), io);
}

/**
 * Runs the CLI and returns its exit code. Never calls process.exit, so tests
 * and other tools can call it in-process.
 * @public
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  try {
    const args = parseArgs(argv, BOOLEAN_FLAGS);
    if (args.flags.has('help') || args.command === 'help') {
      io.stdout(USAGE);
      return 0;
    }
    switch (args.command) {
      case 'validate':
        return await runValidate(args, io);
      case 'add-cluster-group':
        return await runAddClusterGroup(args, io);
      case 'add-application':
        return await runAddApplication(args, io);
      case undefined:
        throw new UsageError('a command is required');
      default:
        throw new UsageError(`unknown command ${args.command}`);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof PathTraversalError) {
      io.stderr(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    if (e instanceof PatternValidationError) {
      io.stderr(
        `${e.issues
          .filter(i => i.severity === 'error')
          .map(formatIssue)
          .join('\n')}\n`,
      );
      io.stderr('nothing was written\n');
      return 1;
    }
    throw e;
  }
}

/**
 * Entry point of bin/multicloud-gitops-pattern.
 * @public
 */
export function main(): void {
  runCli(process.argv.slice(2), {
    stdout: t => process.stdout.write(t),
    stderr: t => process.stderr.write(t),
  }).then(
    code => {
      process.exitCode = code;
    },
    e => {
      process.stderr.write(
        `unexpected error: ${e instanceof Error ? e.stack : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
