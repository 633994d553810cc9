import "server-only";
/**
 * Faithfulness of generated code to the rules it was written from: the plan is evaluated
 * directly (lib/rules/evaluate) and the code runs in the real sandbox on the same bars; the
 * two are compared bar by bar on every signal bar. Used after offline generation (the Lab's
 * "matches the request on N of N sampled signal bars") and by `lab eval-generation`.
 */
import { toStrategyInput } from "@/lib/sdk/bars";
import { compareSignals, evaluatePlan, mergeComparisons, type RulePlan, type SignalComparison } from "@/lib/rules";
import { runStrategySignals, SandboxError } from "@/server/sandbox";
import type { DryRunData } from "./validate-code";

/** The comparison, or why the code could not be run. */
export type FaithfulnessResult =
  ({ ok: true } & SignalComparison & { symbols: string[] }) | { ok: false; error: string };

/** Sentence for the Lab and the CLI. */
export function describeFaithfulness(r: FaithfulnessResult): string {
  if (!r.ok) return `The faithfulness check could not run the code: ${r.error}`;
  if (r.signalBars === 0)
    return `No signal bars on ${r.symbols.join(", ")} to compare (the rules never fired on this sample).`;
  if (!r.first)
    return `Matches the request on ${r.matchingBars} of ${r.signalBars} sampled signal bars (${r.symbols.join(", ")}).`;
  const f = r.first;
  const when =
    f.timestampMs !== null && Number.isFinite(f.timestampMs)
      ? ` (${new Date(f.timestampMs).toISOString().slice(0, 10)})`
      : "";
  return `Differs from the request on ${r.signalBars - r.matchingBars} of ${r.signalBars} sampled signal bars; first at ${f.symbol} bar ${f.bar}${when}: ${f.field} should be ${f.expected} but the code gives ${f.actual}.`;
}

/** Runs the comparison on up to `symbols` symbols of `data` (fundamentals attached when the plan needs them). */
export async function checkFaithfulness(
  plan: RulePlan,
  code: string,
  data: DryRunData,
  opts: { symbols?: number; bars?: number } = {},
): Promise<FaithfulnessResult> {
  const take = opts.bars ?? 750;
  const series = data.bars.slice(0, opts.symbols ?? 5);
  const inputs = series.map((s) => {
    const from = Math.max(0, s.close.length - take);
    const cut = (a: Float64Array) => a.slice(from);
    const f = data.fundamentals?.[s.symbol];
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
  let actual;
  try {
    actual = await runStrategySignals(code, inputs, {});
  } catch (err) {
    if (err instanceof SandboxError) return { ok: false, error: err.message };
    throw err;
  }
  const parts = inputs.map((input, k) =>
    compareSignals(evaluatePlan(plan, input.bars), actual[k], {
      symbol: input.symbol,
      side: plan.side,
      timestamps: input.bars.timestamps,
    }),
  );
  return { ok: true, ...mergeComparisons(parts), symbols: inputs.map((i) => i.symbol) };
}
