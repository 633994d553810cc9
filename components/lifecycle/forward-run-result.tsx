"use client";
/** A forward run's result: paper return on the forward bars against the backtest's expectation. */
import { Card } from "@/components/ui/card";
import type { ForwardResult } from "@/lib/modes/forward";

const f = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);

export function ForwardRunResult({ result }: { result: ForwardResult }) {
  return (
    <Card data-testid="forward-result">
      <p className="text-sm">
        {result.bars} forward bars on {result.symbols.join(", ")} since{" "}
        {new Date(result.start_ms).toISOString().slice(0, 10)}: return {f(result.return_pct)} % vs expected{" "}
        {f(result.expected_return_pct)} %, max drawdown {f(result.max_drawdown_pct, 1)} %, {result.num_trades} closed
        trades.
      </p>
    </Card>
  );
}
