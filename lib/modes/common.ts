/** Plumbing shared by the run modes: strategy resolution, inputs, time formatting. */
import type { BarSeries, FundamentalSeries } from "@/lib/data/bars";
import { alignMacroSeries, type MacroSeries } from "@/lib/data/providers/fred";
import { type StrategyInput, toStrategyInput } from "@/lib/sdk/bars";
import { resolveParams } from "@/lib/sdk/params";
import type { ParamValues } from "@/lib/sdk/types";
import type { StrategyInfo, StrategyRunner } from "./runner";

/** Given parameter values as they arrive from a form or the command line. */
export type RawParams = Record<string, string | number | boolean>;

/** Inputs every mode takes: the strategy source, bars already loaded by the caller, params. */
export interface ModeRequest {
  source: string;
  universe: BarSeries[];
  /** Fundamentals by symbol; passed to the strategy only when it declares `fundamentals: true`. */
  fundamentals?: Record<string, FundamentalSeries>;
  /** Macro series by id (FRED), for strategies that declare them in `macro`; aligned to each symbol's bars here. */
  macro?: Record<string, MacroSeries>;
  params?: RawParams;
  /** Carried into the result as `strategy_id`. */
  strategyId?: string | number;
  /** Executes the strategy code (the server passes the sandbox; tests may pass a trusted in-process runner). */
  runner: StrategyRunner;
}

/** A strategy inspected and its params resolved (a bad value throws ParamError). */
export interface PreparedStrategy {
  info: StrategyInfo;
  params: ParamValues;
  runner: StrategyRunner;
}

export async function prepareStrategy(
  req: Pick<ModeRequest, "source" | "params" | "runner">,
): Promise<PreparedStrategy> {
  const { runner } = req;
  const info = await runner.inspect(req.source);
  return { info, params: resolveParams(info.params, req.params ?? {}), runner };
}

/**
 * Strategy inputs for every series, with fundamentals attached when the strategy asks for them,
 * and each macro series it declares on the symbol's own bars (a series not given is all NaN).
 */
export function buildInputs(
  universe: BarSeries[],
  info: StrategyInfo,
  fundamentals?: Record<string, FundamentalSeries>,
  macro?: Record<string, MacroSeries>,
): StrategyInput[] {
  const ids = info.macro ?? [];
  return universe.map((s) => {
    const input = toStrategyInput(
      s,
      info.fundamentals ? fundamentalsPrefix(fundamentals?.[s.symbol], s.close.length) : undefined,
    );
    if (ids.length > 0)
      input.bars.macro = Object.fromEntries(
        ids.map((id) => {
          const series = macro?.[id];
          return [
            id,
            series ? alignMacroSeries(series, s.timestampsMs) : new Float64Array(s.close.length).fill(Number.NaN),
          ];
        }),
      );
    return input;
  });
}

/**
 * Fundamentals start at the same bar as the loaded history; a series cut at an earlier end (`to`,
 * a holdout, a study's in-sample end) sees their first `n` values.
 */
export function fundamentalsPrefix(f: FundamentalSeries | undefined, n: number): FundamentalSeries | undefined {
  if (!f || f.marketCap.length <= n) return f;
  return {
    sector: f.sector,
    marketCap: f.marketCap.subarray(0, n),
    pe: f.pe.subarray(0, n),
    eps: f.eps.subarray(0, n),
    revenue: f.revenue.subarray(0, n),
    pb: f.pb.subarray(0, n),
    debtToEquity: f.debtToEquity.subarray(0, n),
  };
}

/** A warning when the strategy asks for fundamentals that some symbols do not have, else undefined. */
export function missingFundamentalsWarning(
  universe: BarSeries[],
  info: StrategyInfo,
  fundamentals?: Record<string, FundamentalSeries>,
): string | undefined {
  if (!info.fundamentals) return undefined;
  const missing = universe.filter((s) => !fundamentals?.[s.symbol]).map((s) => s.symbol);
  if (missing.length === 0) return undefined;
  const list = missing.slice(0, 5).join(", ") + (missing.length > 5 ? ", …" : "");
  return `the strategy uses fundamentals, but ${missing.length} symbol(s) have none (${list}); it sees no P/E, market cap etc. there`;
}

/** A warning when the strategy declares macro series that were not given (it sees NaN there), else undefined. */
export function missingMacroWarning(info: StrategyInfo, macro?: Record<string, MacroSeries>): string | undefined {
  const missing = (info.macro ?? []).filter((id) => !macro?.[id]);
  if (missing.length === 0) return undefined;
  return `the strategy reads macro series ${missing.join(", ")}, which were not loaded; it sees NaN there (load them with \`data hydrate --provider fred\`)`;
}

/** ISO-8601 UTC text of a millisecond timestamp. */
export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** JSON cannot carry NaN: NaN and ±Infinity become null. */
export function finiteOrNull(x: number | undefined): number | null {
  return x === undefined || !Number.isFinite(x) ? null : x;
}

/** Percent change from `prev` to `cur`, or null when undefined. */
export function changePct(cur: number, prev: number | undefined): number | null {
  return prev === undefined || !(prev > 0) ? null : finiteOrNull((cur / prev - 1) * 100);
}
