import "server-only";
/** Helpers shared by the `backtest`, `screen` and `alert` commands. */
import { CliError, type ParsedArgs } from "@/server/cli/args";
import { shutdownSandbox } from "@/server/sandbox";
import { describeRunError } from "@/server/jobs/run-errors";
import { LoadError } from "./load";

/** `--param name=value` flags as a record (values stay strings; the strategy's declarations coerce them). */
export function paramFlags(args: ParsedArgs): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of args.flags.get("param") ?? []) {
    const eq = raw.indexOf("=");
    if (eq <= 0) throw new CliError(`--param needs name=value, got "${raw}"`);
    out[raw.slice(0, eq).trim()] = raw.slice(eq + 1).trim();
  }
  return out;
}

/** The value of a required flag. */
export function requiredFlag(args: ParsedArgs, name: string, hint: string): string {
  const values = args.flags.get(name);
  const v = values?.[values.length - 1];
  if (!v) throw new CliError(`--${name} is required (${hint})`);
  return v;
}

/** A whole-number flag >= min, or the default. */
export function intFlag(args: ParsedArgs, name: string, fallback: number, min = 1): number {
  const values = args.flags.get(name);
  const raw = values?.[values.length - 1];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  return n;
}

/**
 * Run a command body; known failures (bad CSV, bad param, rejected strategy, …) print a
 * readable message on stderr and exit 1. Anything else propagates to the dispatcher.
 * The sandbox's child processes are stopped either way.
 */
export async function withRunErrors(strategy: string | undefined, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof LoadError ? err.message : describeRunError(err, { strategy });
    if (message === undefined) throw err;
    process.stderr.write(`error: ${message}\n`);
    return 1;
  } finally {
    shutdownSandbox();
  }
}

/** Fixed-width number for tables: null/NaN as "—". */
export function fmt(x: number | null | undefined, digits = 2): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
}
