/** Thrown for anything the user typed wrong; the CLI exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface ParsedArgs {
  command?: string;
  positionals: string[];
  /** Repeatable options keep every value in order. */
  options: Map<string, string[]>;
  flags: Set<string>;
}

/**
 * A deliberately small parser (no dependency): `--name value`, `--name=value`,
 * and boolean flags declared up front so `--dry-run DIR` is not misread.
 */
export function parseArgs(
  argv: string[],
  booleanFlags: ReadonlySet<string>,
): ParsedArgs {
  const positionals: string[] = [];
  const options = new Map<string, string[]>();
  const flags = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      if (arg.startsWith('-') && arg !== '-') {
        if (arg === '-h') {
          flags.add('help');
          continue;
        }
        throw new UsageError(`unknown option ${arg}`);
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.slice(2, eq >= 0 ? eq : undefined);
    if (booleanFlags.has(name)) {
      if (eq >= 0) {
        throw new UsageError(`--${name} takes no value`);
      }
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq >= 0) {
      value = arg.slice(eq + 1);
    } else {
      value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) {
        throw new UsageError(`--${name} needs a value`);
      }
      i++;
    }
    options.set(name, [...(options.get(name) ?? []), value]);
  }
  const [command, ...rest] = positionals;
  return { command, positionals: rest, options, flags };
}

/** The single value of an option; refuses repeats of non-repeatable options. */
export function single(args: ParsedArgs, name: string): string | undefined {
  const values = args.options.get(name);
  if (!values) {
    return undefined;
  }
  if (values.length > 1) {
    throw new UsageError(
      `--${name} given ${values.length} times; give it once`,
    );
  }
  return values[0];
}

export function required(args: ParsedArgs, name: string): string {
  const v = single(args, name);
  if (v === undefined || v === '') {
    throw new UsageError(`--${name} is required`);
  }
  return v;
}

export function checkKnown(args: ParsedArgs, known: string[]): void {
  for (const name of [...args.options.keys(), ...args.flags]) {
    if (!known.includes(name)) {
      throw new UsageError(`unknown option --${name}`);
    }
  }
}
