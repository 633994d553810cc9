import "server-only";
/**
 * Validation of generated code: transpile + static checks, loading the module in the sandbox,
 * then a dry run of `signals()` on a few symbols of the chosen universe. Problems carry the
 * line and column in the generated source when known, so they can go back to the model and
 * into the editor as markers.
 */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { toStrategyInput } from "@/lib/sdk/bars";
import {
  checkStrategySource,
  inspectStrategy,
  runStrategySignals,
  SandboxError,
  type StrategyInfo,
} from "@/server/sandbox";

/** One problem in the code (1-based line/column; 0 when unknown). */
export interface CodeProblem {
  line: number;
  column: number;
  message: string;
}

/** The outcome of {@link validateGeneratedCode}. */
export interface CodeValidation {
  ok: boolean;
  errors: CodeProblem[];
  /** Not failures: e.g. the dry run produced no entries. */
  warnings: string[];
  info: StrategyInfo | null;
  dryRun: { symbols: string[]; bars: number; entries: number } | null;
}

/** Bars for the dry run. */
export interface DryRunData {
  bars: BarSeries[];
  fundamentals?: Record<string, FundamentalSeries>;
}

function fromSandbox(err: SandboxError): CodeProblem[] {
  if (err.errors && err.errors.length > 0) return err.errors;
  return [
    {
      line: err.line ?? 0,
      column: err.column ?? 0,
      message: err.symbol ? `${err.message} (on ${err.symbol})` : err.message,
    },
  ];
}

/** Checks code; `data` limited to `symbols` symbols and the last `bars` bars for the dry run. */
export async function validateGeneratedCode(
  code: string,
  data: DryRunData | null,
  opts: { symbols?: number; bars?: number } = {},
): Promise<CodeValidation> {
  const checked = checkStrategySource(code);
  if (!checked.ok) return { ok: false, errors: checked.errors, warnings: [], info: null, dryRun: null };
  let info: StrategyInfo;
  try {
    info = await inspectStrategy(code);
  } catch (err) {
    if (err instanceof SandboxError)
      return { ok: false, errors: fromSandbox(err), warnings: [], info: null, dryRun: null };
    throw err;
  }
  if (!data || data.bars.length === 0)
    return { ok: true, errors: [], warnings: ["no data for a dry run"], info, dryRun: null };
  const take = opts.bars ?? 750;
  const series = data.bars.slice(0, opts.symbols ?? 3);
  const inputs = series.map((s) => {
    const from = Math.max(0, s.close.length - take);
    const cut = (a: Float64Array) => a.slice(from);
    const f = info.fundamentals ? data.fundamentals?.[s.symbol] : undefined;
    return toStrategyInput(
      {
        symbol: s.symbol,
        timestampsMs: cut(s.timestampsMs),
        open: cut(s.open),
        high: cut(s.high),
        low: cut(s.low),
        close: cut(s.close),
        volume: cut(s.volume),
      },
      f && {
        ...f,
        marketCap: cut(f.marketCap),
        pe: cut(f.pe),
        eps: cut(f.eps),
        revenue: cut(f.revenue),
        pb: cut(f.pb),
        debtToEquity: cut(f.debtToEquity),
      },
    );
  });
  try {
    const signals = await runStrategySignals(code, inputs, {});
    let entries = 0;
    for (const s of signals) for (let i = 0; i < s.entries.length; i++) entries += s.entries[i] ? 1 : 0;
    const dryRun = {
      symbols: series.map((s) => s.symbol),
      bars: inputs.reduce((a, x) => a + x.bars.close.length, 0),
      entries,
    };
    const warnings =
      entries === 0
        ? [`the dry run on ${dryRun.symbols.join(", ")} produced no entries — the conditions may be too strict`]
        : [];
    return { ok: true, errors: [], warnings, info, dryRun };
  } catch (err) {
    if (err instanceof SandboxError) return { ok: false, errors: fromSandbox(err), warnings: [], info, dryRun: null };
    throw err;
  }
}

/** "line 3, column 5: message" lines for prompts and logs. */
export function formatProblems(problems: CodeProblem[]): string {
  return problems
    .map((p) => (p.line > 0 ? `- line ${p.line}, column ${p.column}: ${p.message}` : `- ${p.message}`))
    .join("\n");
}
