/** Small argv parser shared by the CLI commands: `--flag value`, `--flag=value`, repeated flags, booleans. */

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 2,
  ) {
    super(message);
    this.name = "CliError";
  }
}

export interface ParsedArgs {
  positionals: string[];
  /** Every value given for each flag, in order (`--param a=1 --param b=2`). */
  flags: Map<string, string[]>;
}

/**
 * Parse argv. Flags named in `booleans` take no value; every other flag requires one.
 * Unknown flags are rejected when `known` is given.
 */
export function parseArgs(argv: string[], opts: { booleans?: string[]; known?: string[] } = {}): ParsedArgs {
  const booleans = new Set(opts.booleans ?? []);
  const known = opts.known ? new Set([...opts.known, ...booleans]) : null;
  const positionals: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith("--")) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    if (known && !known.has(name)) throw new CliError(`unknown option --${name}`);
    let value: string;
    if (booleans.has(name)) value = eq >= 0 ? arg.slice(eq + 1) : "true";
    else if (eq >= 0) value = arg.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new CliError(`option --${name} needs a value`);
      value = next;
      i++;
    }
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { positionals, flags };
}

/** The last value of a flag, or undefined. */
export function flag(args: ParsedArgs, name: string): string | undefined {
  const values = args.flags.get(name);
  return values?.[values.length - 1];
}

export function hasFlag(args: ParsedArgs, name: string): boolean {
  const v = flag(args, name);
  return v !== undefined && v !== "false";
}

/** A numeric flag; a non-number is a CliError naming the flag. */
export function numberFlag(args: ParsedArgs, name: string): number | undefined {
  const raw = flag(args, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${raw}"`);
  return n;
}
