import "server-only";
/**
 * Simple alert conditions on the newest bar: `metric op value`. `crosses_above` / `crosses_below`
 * compare the newest bar with the one before (false when either value is unknown). Metrics:
 * close; change_pct (close vs previous close, percent); volume; rsi_14 (Wilder RSI, 14 bars);
 * sma_20_distance_pct (close vs its 20-bar SMA, percent). Unknown values (warm-up) never fire.
 */
import type { BarSeries } from "@/lib/data/bars";
import { rsi, sma } from "@/lib/indicators";
import type { AlertCondition } from "@/server/db/schema";

/** The metric's values for the last two bars: [previous, latest] (NaN where unknown). */
export function metricTail(series: BarSeries, metric: AlertCondition["metric"]): [number, number] {
  const c = series.close;
  const n = c.length;
  const at = (a: ArrayLike<number>, i: number) => (i >= 0 && i < a.length ? a[i] : Number.NaN);
  switch (metric) {
    case "close":
      return [at(c, n - 2), at(c, n - 1)];
    case "volume":
      return [at(series.volume, n - 2), at(series.volume, n - 1)];
    case "change_pct":
      return [(at(c, n - 2) / at(c, n - 3) - 1) * 100, (at(c, n - 1) / at(c, n - 2) - 1) * 100];
    case "rsi_14": {
      const tail = c.subarray(Math.max(0, n - 300));
      const r = rsi(tail, 14);
      return [at(r, r.length - 2), at(r, r.length - 1)];
    }
    case "sma_20_distance_pct": {
      const tail = c.subarray(Math.max(0, n - 21));
      const s = sma(tail, 20);
      const k = tail.length;
      return [(at(tail, k - 2) / at(s, k - 2) - 1) * 100, (at(tail, k - 1) / at(s, k - 1) - 1) * 100];
    }
  }
}

/** Whether `condition` holds on the newest bar of `series`. */
export function conditionFires(series: BarSeries, condition: AlertCondition): boolean {
  const [prev, cur] = metricTail(series, condition.metric);
  if (!Number.isFinite(cur)) return false;
  const v = condition.value;
  switch (condition.op) {
    case ">":
      return cur > v;
    case ">=":
      return cur >= v;
    case "<":
      return cur < v;
    case "<=":
      return cur <= v;
    case "crosses_above":
      return Number.isFinite(prev) && prev <= v && cur > v;
    case "crosses_below":
      return Number.isFinite(prev) && prev >= v && cur < v;
  }
}

/** "close > 100" etc., for messages. */
export function describeCondition(c: AlertCondition): string {
  return `${c.metric} ${c.op.replace("_", " ")} ${c.value}`;
}
