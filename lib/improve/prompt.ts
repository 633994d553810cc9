/** The improvement prompt: the current version, its validation metrics, every failing constraint with its gap, and the regime. */
import type { PatchRequest } from "./types";

const fmt = (x: number | null | undefined, d = 3) =>
  x === null || x === undefined || !Number.isFinite(x) ? "n/a" : x.toFixed(d);

/** The text sent to a hosted model (and recorded in the trace for the offline one). */
export function improvementPrompt(req: Omit<PatchRequest, "prompt">): string {
  const m = req.diagnosis.metrics;
  const t = req.diagnosis.thresholds;
  const lines = [
    `You improve a trading strategy written against @strategy-lab/sdk. Iteration ${req.iteration}.`,
    `Return the complete new TypeScript module in one \`\`\`ts block, then one line "SUMMARY: …" (what you changed) and one line "WHY: …".`,
    `Rules: import only from "@strategy-lab/sdk"; keep \`export default defineStrategy({ … })\`; never read bars after index i when deciding bar i; declare every new number as a param with a range.`,
    "",
    `Market regime (data before the validation period): ${req.regime.trend} (${fmt(req.regime.share_above_sma200 * 100, 0)} % of symbols above their 200-bar SMA), volatility ${req.regime.volatility_level} (${fmt(req.regime.volatility, 2)} annualized), 60-bar return ${fmt(req.regime.recent_return * 100, 1)} %.`,
    "",
    "Current validation metrics:",
    `  total return ${fmt(m?.total_return_pct === null || m?.total_return_pct === undefined ? null : m.total_return_pct / 100)} · Sortino ${fmt(m?.sortino)} · Sharpe ${fmt(m?.sharpe)} · trades ${m?.num_trades ?? "n/a"} · win rate ${fmt(m?.win_rate_pct === null || m?.win_rate_pct === undefined ? null : m.win_rate_pct / 100)} · max drawdown ${fmt(m?.max_drawdown_pct, 1)} %`,
    `Thresholds (inclusive): total return ≥ ${t.minReturn}, Sortino ≥ ${t.minSortino}${t.minTrades > 0 ? `, trades ≥ ${t.minTrades}` : ""}${t.minWinRate > 0 ? `, win rate ≥ ${t.minWinRate}` : ""}.`,
    req.diagnosis.failed_constraints.length === 0 ? "No constraint fails." : "Failing constraints:",
    ...req.diagnosis.failed_constraints.map(
      (c) => `  - ${c.name}: ${fmt(c.value)} < ${c.threshold} (gap ${c.gap === null ? "undefined value" : fmt(c.gap)})`,
    ),
  ];
  if (req.history.length) {
    lines.push("", "Tried so far:");
    for (const h of req.history)
      lines.push(`  ${h.n}. ${h.summary} → ${h.accepted ? "accepted" : "rejected"}: ${h.reason}`);
  }
  lines.push("", "Current source:", "```ts", req.source.trimEnd(), "```");
  return lines.join("\n");
}

/** The repair prompt for a patch that failed the checks. */
export function repairPrompt(source: string, errors: string[]): string {
  return [
    "This strategy module failed the platform's checks. Fix every problem and return the complete module in one ```ts block.",
    "Problems:",
    ...errors.map((e) => `  - ${e}`),
    "",
    "```ts",
    source.trimEnd(),
    "```",
  ].join("\n");
}
