import "server-only";
/**
 * One symbol's OHLC bars for a price chart (plain numbers, time in UTC seconds as chart libraries
 * expect), limited to a window and thinned to at most `maxBars` so the payload stays small.
 */
import type { DbOrTx } from "@/server/db";
import { loadBars } from "./store";

export interface ChartBars {
  symbol: string;
  /** UTC seconds. */
  time: number[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  /** True when every k-th bar was kept (long histories). */
  thinned: boolean;
}

export async function chartBars(
  db: DbOrTx,
  workspaceId: string,
  symbol: string,
  opts: { fromMs?: number; toMs?: number; maxBars?: number } = {},
): Promise<ChartBars> {
  const [series] = await loadBars(db, [symbol], { workspaceId, toMs: opts.toMs });
  const from = opts.fromMs ?? -Infinity;
  const to = opts.toMs ?? Infinity;
  const idx: number[] = [];
  for (let i = 0; i < series.timestampsMs.length; i++)
    if (series.timestampsMs[i] >= from && series.timestampsMs[i] <= to) idx.push(i);
  const max = opts.maxBars ?? 3000;
  const step = Math.max(1, Math.ceil(idx.length / max));
  const kept = step === 1 ? idx : idx.filter((_, k) => k % step === 0 || k === idx.length - 1);
  return {
    symbol: series.symbol,
    time: kept.map((i) => Math.floor(series.timestampsMs[i] / 1000)),
    open: kept.map((i) => series.open[i]),
    high: kept.map((i) => series.high[i]),
    low: kept.map((i) => series.low[i]),
    close: kept.map((i) => series.close[i]),
    thinned: step > 1,
  };
}
