import "server-only";
/** One place that turns a failed run into the sentence a person reads (CLI stderr, job logs). */
import { CsvImportError, formatProblem } from "@/lib/data/csv";
import { InvalidConfigError, InvalidInputError } from "@/lib/engine/errors";
import { StrategyOutputError } from "@/lib/sdk/normalize";
import { ParamError, StrategyDefinitionError } from "@/lib/sdk/params";
import { SandboxError } from "@/server/sandbox/errors";
import { EmptyRangeError } from "@/lib/modes/window";

/** Most CSV problems listed before "… and N more". */
const MAX_LISTED = 50;

/** A human-readable, possibly multi-line description of `err`, or undefined for an unexpected error. */
export function describeRunError(err: unknown, context: { strategy?: string } = {}): string | undefined {
  if (err instanceof CsvImportError) {
    const lines = err.problems.slice(0, MAX_LISTED).map((p) => `  ${formatProblem(p)}`);
    if (err.problems.length > MAX_LISTED) lines.push(`  … and ${err.problems.length - MAX_LISTED} more`);
    return `${err.symbol}: the CSV file has ${err.problems.length} problem(s):\n${lines.join("\n")}`;
  }
  if (err instanceof SandboxError) {
    const where = context.strategy ?? "strategy";
    if (err.errors && err.errors.length > 0) {
      const lines = err.errors.map((e) => `  ${where}:${e.line}:${e.column}: ${e.message}`);
      return `strategy rejected (${err.code}):\n${lines.join("\n")}`;
    }
    const at = err.line !== undefined ? `${where}:${err.line}:${err.column ?? 1}: ` : "";
    const sym = err.symbol && !err.message.includes(err.symbol) ? ` (while processing ${err.symbol})` : "";
    return `strategy failed (${err.code}): ${at}${err.message}${sym}`;
  }
  if (err instanceof ParamError || err instanceof EmptyRangeError) return err.message;
  if (err instanceof StrategyDefinitionError) return `invalid strategy definition: ${err.message}`;
  if (err instanceof StrategyOutputError) return `invalid strategy output: ${err.message}`;
  if (err instanceof InvalidInputError) return `bad input data: ${err.message}`;
  if (err instanceof InvalidConfigError) return `bad backtest settings: ${err.message}`;
  return undefined;
}
