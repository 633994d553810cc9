/** Tiny hand-made bar series for rule tests. */
import type { BarSeries } from "@/lib/data/bars";
import type { SignalArrays } from "@/lib/engine/signals";

const DAY = 86_400_000;

/** Bars from [open, high, low, close] rows, one day apart from 2020-01-01. */
export function bars(symbol: string, rows: [number, number, number, number][]): BarSeries {
  const n = rows.length;
  const s: BarSeries = {
    symbol,
    timestampsMs: new Float64Array(n),
    open: new Float64Array(n),
    high: new Float64Array(n),
    low: new Float64Array(n),
    close: new Float64Array(n),
    volume: new Float64Array(n).fill(1000),
  };
  rows.forEach(([o, h, l, c], i) => {
    s.timestampsMs[i] = Date.UTC(2020, 0, 1) + i * DAY;
    s.open[i] = o;
    s.high[i] = h;
    s.low[i] = l;
    s.close[i] = c;
  });
  return s;
}

/** Flat bars (open = high = low = close) from a price list. */
export function flat(symbol: string, prices: number[]): BarSeries {
  return bars(
    symbol,
    prices.map((p) => [p, p, p, p]),
  );
}

/** Signals with 1s at the given bar indices. */
export function sig(
  n: number,
  on: { entries?: number[]; exits?: number[]; shortEntries?: number[]; shortExits?: number[] },
  extra: Partial<SignalArrays> = {},
): SignalArrays {
  const mk = (idx?: number[]) => {
    const a = new Uint8Array(n);
    idx?.forEach((i) => (a[i] = 1));
    return a;
  };
  return {
    entries: mk(on.entries),
    exits: mk(on.exits),
    ...(on.shortEntries ? { shortEntries: mk(on.shortEntries) } : {}),
    ...(on.shortExits ? { shortExits: mk(on.shortExits) } : {}),
    ...extra,
  };
}
