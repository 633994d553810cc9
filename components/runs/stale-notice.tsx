import type { StaleSymbol } from "@/lib/data/staleness";
import { STALE_TRADING_DAYS } from "@/lib/data/staleness";
import type { TaggedRunResult } from "./types";

/** The stale symbols a backtest or screen result lists (provider data too far behind; lib/data/staleness.ts). */
export function staleOf(run: TaggedRunResult): StaleSymbol[] {
  return run.kind === "backtest" || run.kind === "screen" ? (run.result.stale ?? []) : [];
}

/** A notice above the result naming each stale symbol, its last bar and how far behind it is. */
export function StaleNotice({ stale }: { stale: StaleSymbol[] }) {
  if (stale.length === 0) return null;
  return (
    <div
      role="status"
      data-testid="run-stale"
      className="rounded-md border border-amber-300 bg-amber-50 p-4 text-sm text-amber-900"
    >
      <p className="font-medium">
        Stale data: {stale.length} symbol{stale.length === 1 ? "" : "s"} ended more than {STALE_TRADING_DAYS} trading
        days before this run. Refresh the universe on the data page for current results.
      </p>
      <ul className="mt-2 grid grid-cols-2 gap-x-6 gap-y-1 text-xs sm:grid-cols-4">
        {stale.map((s) => (
          <li key={s.symbol} data-testid="stale-symbol">
            <b>{s.symbol}</b>: last bar {s.lastBar} ({s.tradingDaysBehind} trading days behind)
          </li>
        ))}
      </ul>
    </div>
  );
}
