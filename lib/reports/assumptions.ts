/**
 * What a reader of a backtest must know to judge its numbers: where the data came from (synthetic
 * demo data is labelled as such), which symbols and period, starting capital, costs, the fill
 * rule, position sizing and the strategy's parameters. Pure: built from the run's request and
 * the engine's defaults (lib/engine/config.ts), so the stated figures are the ones that ran.
 */
import { resolveConfig, type SimConfigInput } from "@/lib/engine/config";

export type DataKind = "synthetic" | "real" | "mixed" | "unknown";

export interface BacktestAssumptions {
  dataKind: DataKind;
  /** Where the bars came from (demo, csv, a provider …), as recorded on the symbols. */
  dataSources: string[];
  /** A universe name, or null when the run named its symbols. */
  universe: string | null;
  symbolCount: number;
  /** Up to 12 of the symbols, for display. */
  symbolSample: string[];
  /** The requested window (YYYY-MM-DD) or null = whole history. */
  window: { from: string | null; to: string | null };
  startingCapital: number;
  commissionRate: number;
  commissionPerShare: number;
  commissionMin: number;
  slippageBps: number;
  fill: "next-open" | "close";
  /** One sentence: how much each entry buys. */
  sizing: string;
  stops: { stopLossPct: number | null; takeProfitPct: number | null; trailingStopPct: number | null };
  allowShort: boolean;
  params: Record<string, unknown>;
}

export interface AssumptionsInput {
  universe?: string | null;
  symbols: string[];
  from?: string | null;
  to?: string | null;
  config?: SimConfigInput | null;
  params?: Record<string, unknown> | null;
  /** One entry per symbol that ran: its `synthetic` flag and `source`. */
  symbolData: { synthetic: boolean; source: string }[];
}

function kindOf(rows: { synthetic: boolean }[]): DataKind {
  if (rows.length === 0) return "unknown";
  const synthetic = rows.filter((r) => r.synthetic).length;
  return synthetic === rows.length ? "synthetic" : synthetic === 0 ? "real" : "mixed";
}

const finiteOrNull = (v: number) => (Number.isFinite(v) ? v : null);

export function describeAssumptions(input: AssumptionsInput): BacktestAssumptions {
  const cfg = resolveConfig(input.config ?? {}, Math.max(1, input.symbols.length));
  const s = cfg.sizing;
  const sizing =
    s.mode === "fraction"
      ? `${+(s.fraction * 100).toFixed(2)} % of equity per position, at most ${cfg.maxPositions} open`
      : s.mode === "cash"
        ? `${s.cashPerTrade} per entry`
        : s.mode === "units"
          ? `${s.units} units per entry`
          : `volatility target ${+(s.targetVolAnnual * 100).toFixed(2)} % a year (${s.volLookbackBars}-bar window)`;
  return {
    dataKind: kindOf(input.symbolData),
    dataSources: [...new Set(input.symbolData.map((r) => r.source))].sort(),
    universe: input.universe ?? null,
    symbolCount: input.symbols.length,
    symbolSample: input.symbols.slice(0, 12),
    window: { from: input.from ?? null, to: input.to ?? null },
    startingCapital: cfg.initialCash,
    commissionRate: cfg.costs.commissionRate,
    commissionPerShare: cfg.costs.commissionPerShare,
    commissionMin: cfg.costs.commissionMin,
    slippageBps: cfg.costs.slippageBps,
    fill: cfg.fill,
    sizing,
    stops: {
      stopLossPct: finiteOrNull(cfg.stopLossPct),
      takeProfitPct: finiteOrNull(cfg.takeProfitPct),
      trailingStopPct: finiteOrNull(cfg.trailingStopPct),
    },
    allowShort: cfg.allowShort,
    params: input.params ?? {},
  };
}

/** The fill rule in words. */
export function describeFill(fill: "next-open" | "close"): string {
  return fill === "next-open"
    ? "A signal on a bar's close fills at the next bar's open."
    : "A signal fills at the same bar's close.";
}
