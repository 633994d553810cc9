/**
 * Alert mode: run the strategy over each watched symbol's history and report the signals on
 * the newest bars (the last `newBars`, or every bar after `sinceMs`).
 */
import type { ParamValues } from "@/lib/sdk/types";
import { type ModeRequest, buildInputs, changePct, finiteOrNull, isoTime, prepareStrategy } from "./common";

export interface AlertRequest extends ModeRequest {
  /** How many of the most recent bars count as new. Default 1. Ignored when `sinceMs` is given. */
  newBars?: number;
  /** Bars strictly after this UTC millisecond time count as new. */
  sinceMs?: number;
  /** Also raise alerts for exit / short-exit signals (they are always counted in `signals`). Default false. */
  includeExits?: boolean;
}

/** What kind of signal fired. */
export type AlertType = "entry" | "exit" | "short_entry" | "short_exit";

export interface Alert {
  symbol: string;
  type: AlertType;
  message: string;
  timestamp: string;
  timestamp_ms: number;
  bar_index: number;
  /** "high" when the strategy's confidence is at least 0.7, else "normal". */
  priority: "high" | "normal";
  data: {
    current_price: number;
    daily_change_pct: number | null;
    score: number | null;
    confidence: number | null;
    stop_loss: number | null;
    take_profit: number | null;
  };
}

/** Latest state of one watched symbol. */
export interface SymbolSignal {
  /** An entry fired on one of the new bars. */
  signal: boolean;
  /** Time and close of the symbol's newest bar. */
  timestamp: string;
  current_price: number;
  entries: number;
  exits: number;
  score: number | null;
}

export interface AlertResult {
  success: true;
  strategy_id: string | number | null;
  execution_mode: "alert";
  strategy: { name: string; params: ParamValues };
  alerts: Alert[];
  signals: Record<string, SymbolSignal>;
  symbols_monitored: number;
}

const KINDS: readonly [AlertType, "entries" | "exits" | "shortEntries" | "shortExits", string][] = [
  ["entry", "entries", "entry signal"],
  ["short_entry", "shortEntries", "short entry signal"],
  ["exit", "exits", "exit signal"],
  ["short_exit", "shortExits", "short exit signal"],
];

/**
 * Evaluate the newest bars of every watched symbol. Entry signals become alerts (exits too with
 * `includeExits`); alerts come newest first, entries before exits, then by symbol.
 */
export async function runAlert(req: AlertRequest): Promise<AlertResult> {
  const prepared = await prepareStrategy(req);
  const universe = req.universe.filter((s) => s.close.length > 0);
  const inputs = buildInputs(universe, prepared.info, req.fundamentals, req.macro);
  const outputs = await prepared.runner.signals(req.source, inputs, prepared.params);
  const alerts: Alert[] = [];
  const signals: Record<string, SymbolSignal> = {};
  inputs.forEach(({ symbol, bars }, k) => {
    const out = outputs[k];
    const n = bars.close.length;
    let first = Math.max(0, n - Math.max(1, req.newBars ?? 1));
    if (req.sinceMs !== undefined) {
      first = n;
      while (first > 0 && bars.timestamps[first - 1] > req.sinceMs) first--;
    }
    let entries = 0;
    let exits = 0;
    for (let i = first; i < n; i++) {
      for (const [type, key, label] of KINDS) {
        if (out[key]?.[i] !== 1) continue;
        const isEntry = type === "entry" || type === "short_entry";
        if (isEntry) entries++;
        else exits++;
        if (!isEntry && !req.includeExits) continue;
        const confidence = finiteOrNull(out.confidence?.[i]);
        const price = bars.close[i];
        alerts.push({
          symbol,
          type,
          message: `${symbol}: ${prepared.info.name} ${label} at ${price} on ${isoTime(bars.timestamps[i]).slice(0, 10)}`,
          timestamp: isoTime(bars.timestamps[i]),
          timestamp_ms: bars.timestamps[i],
          bar_index: i,
          priority: confidence !== null && confidence >= 0.7 ? "high" : "normal",
          data: {
            current_price: price,
            daily_change_pct: changePct(price, i > 0 ? bars.close[i - 1] : undefined),
            score: finiteOrNull(out.score?.[i]),
            confidence,
            stop_loss: finiteOrNull(out.stopLoss?.[i]),
            take_profit: finiteOrNull(out.takeProfit?.[i]),
          },
        });
      }
    }
    signals[symbol] = {
      signal: entries > 0,
      timestamp: isoTime(bars.timestamps[n - 1]),
      current_price: bars.close[n - 1],
      entries,
      exits,
      score: finiteOrNull(out.score?.[n - 1]),
    };
  });
  const order: Record<AlertType, number> = { entry: 0, short_entry: 1, exit: 2, short_exit: 3 };
  alerts.sort(
    (a, b) => b.timestamp_ms - a.timestamp_ms || order[a.type] - order[b.type] || (a.symbol < b.symbol ? -1 : 1),
  );
  return {
    success: true,
    strategy_id: req.strategyId ?? null,
    execution_mode: "alert",
    strategy: { name: prepared.info.name, params: prepared.params },
    alerts,
    signals,
    symbols_monitored: req.universe.length,
  };
}
