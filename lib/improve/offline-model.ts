/**
 * The offline model step (`offline:template`): deterministic source edits chosen from the
 * diagnosis. Each edit wraps the current definition in a new layer — the previous
 * `export default defineStrategy(…)` becomes `const layerN = defineStrategy(…)` and a new default
 * export adds params and post-processes its signals — so every earlier layer keeps working and the
 * diff shows exactly what was added. The parameter study then tunes old and new params together.
 *
 * Edits: a trend filter (entries only above an SMA), a stop and target (absolute levels from the
 * entry bar's close), a volume confirmation (entries only on volume ≥ a multiple of its average),
 * a time exit (close after N bars). Each is applied at most once; when all are in, the step only
 * re-tunes (widens or tightens) the existing thresholds.
 */
import type { FailedConstraint } from "./constraints";
import type { ImproveModel, Patch, PatchRequest } from "./types";

export type OfflineEdit = "trend_filter" | "stop_target" | "volume_confirmation" | "time_exit";

const MARK = "// improve:";

/** Which edit each failing constraint asks for first (the rest follow as fallbacks). */
const ORDER: Record<FailedConstraint["name"], OfflineEdit[]> = {
  num_trades: ["time_exit", "stop_target", "trend_filter", "volume_confirmation"],
  win_rate: ["trend_filter", "stop_target", "volume_confirmation", "time_exit"],
  sortino: ["stop_target", "trend_filter", "volume_confirmation", "time_exit"],
  total_return: ["trend_filter", "time_exit", "stop_target", "volume_confirmation"],
};

const WHY: Record<OfflineEdit, string> = {
  trend_filter:
    "entries against the prevailing trend tend to lose; only entering above a long moving average keeps the trades on the trend's side",
  stop_target: "losing trades run too far; a stop caps the downside (what Sortino measures) and a target banks winners",
  volume_confirmation:
    "moves on thin volume often fail; requiring above-average volume on the entry bar keeps the better-supported signals",
  time_exit:
    "positions are held long after the signal's edge fades (or too few round trips happen); a time exit frees capital for new entries",
};

const SUMMARY: Record<OfflineEdit, string> = {
  trend_filter: "added a trend filter: entries only when the close is above its SMA(trendPeriod)",
  stop_target: "added a stop-loss and a take-profit at stopPct / targetPct from the entry bar's close",
  volume_confirmation: "added a volume confirmation: entries only when volume ≥ volumeConfirm × its 20-bar average",
  time_exit: "added a time exit: close a position maxHoldBars bars after its entry signal",
};

function layerBody(edit: OfflineEdit): { params: string; body: string } {
  switch (edit) {
    case "trend_filter":
      return {
        params: `trendPeriod: { type: "int", min: 20, max: 300, default: 100, description: "trend filter: SMA window; entries only above it" },`,
        body: [
          `    const trend = ta.sma(bars.close, p.trendPeriod);`,
          `    const entries = new Uint8Array(out.entries.length);`,
          `    for (let i = 0; i < entries.length; i++) entries[i] = out.entries[i] && bars.close[i] > trend[i] ? 1 : 0;`,
          `    return { ...out, entries };`,
        ].join("\n"),
      };
    case "stop_target":
      return {
        params: [
          `stopPct: { type: "float", min: 1, max: 25, step: 0.5, default: 8, description: "stop-loss distance below the entry bar's close (%)" },`,
          `    targetPct: { type: "float", min: 2, max: 60, step: 0.5, default: 20, description: "take-profit distance above the entry bar's close (%)" },`,
        ].join("\n"),
        body: [
          `    const n = out.entries.length;`,
          `    const stopLoss = new Float64Array(n).fill(NaN);`,
          `    const takeProfit = new Float64Array(n).fill(NaN);`,
          `    for (let i = 0; i < n; i++) {`,
          `      if (!out.entries[i]) continue;`,
          `      const s = bars.close[i] * (1 - p.stopPct / 100);`,
          `      const t = bars.close[i] * (1 + p.targetPct / 100);`,
          `      stopLoss[i] = out.stopLoss && out.stopLoss[i] > s ? out.stopLoss[i] : s;`,
          `      takeProfit[i] = out.takeProfit && out.takeProfit[i] < t ? out.takeProfit[i] : t;`,
          `    }`,
          `    return { ...out, stopLoss, takeProfit };`,
        ].join("\n"),
      };
    case "volume_confirmation":
      return {
        params: `volumeConfirm: { type: "float", min: 0.5, max: 3, step: 0.1, default: 1, description: "entries only when volume ≥ this multiple of the prior 20-bar average" },`,
        body: [
          `    const avg = ta.shift(ta.sma(bars.volume, 20), 1);`,
          `    const entries = new Uint8Array(out.entries.length);`,
          `    for (let i = 0; i < entries.length; i++) entries[i] = out.entries[i] && bars.volume[i] >= p.volumeConfirm * avg[i] ? 1 : 0;`,
          `    return { ...out, entries };`,
        ].join("\n"),
      };
    case "time_exit":
      return {
        params: `maxHoldBars: { type: "int", min: 2, max: 120, default: 20, description: "close a position this many bars after its entry signal" },`,
        body: [
          `    const exits = Uint8Array.from(out.exits);`,
          `    let since = -1;`,
          `    for (let i = 0; i < exits.length; i++) {`,
          `      if (out.entries[i]) since = 0;`,
          `      else if (since >= 0) since++;`,
          `      if (since === p.maxHoldBars) exits[i] = 1;`,
          `    }`,
          `    return { ...out, exits };`,
        ].join("\n"),
      };
  }
}

/** Edits already in the source (their markers). */
export function appliedEdits(source: string): OfflineEdit[] {
  const out: OfflineEdit[] = [];
  for (const m of source.matchAll(/\/\/ improve:([a-z_]+)/g)) out.push(m[1] as OfflineEdit);
  return out;
}

/**
 * Apply one edit as a new layer. Returns null when the source has no single
 * `export default defineStrategy(` to wrap.
 */
export function applyEdit(source: string, edit: OfflineEdit): string | null {
  const re = /export\s+default\s+defineStrategy\s*\(/g;
  const hits = source.match(re);
  if (!hits || hits.length !== 1) return null;
  let k = 1;
  while (new RegExp(`\\blayer${k}\\b`).test(source)) k++;
  const base = `layer${k}`;
  const { params, body } = layerBody(edit);
  const wrapped = source.replace(re, `const ${base} = defineStrategy(`).trimEnd();
  return `${wrapped}

${MARK}${edit} — ${SUMMARY[edit]}.
export default defineStrategy({
  ...${base},
  params: {
    ...${base}.params,
    ${params}
  },
  signals(bars, p, ta) {
    const out = ${base}.signals(bars, p, ta);
${body}
  },
});
`;
}

/** The edit the diagnosis asks for: the largest relative gap's preferred edit not yet applied. */
export function chooseEdit(
  failed: FailedConstraint[],
  applied: OfflineEdit[],
  tried: OfflineEdit[],
): OfflineEdit | null {
  const rel = (c: FailedConstraint) => (c.gap === null ? Infinity : c.gap / Math.max(Math.abs(c.threshold), 1e-9));
  const ranked = [...failed].sort((a, b) => rel(b) - rel(a));
  const prefs = ranked.length ? ranked.flatMap((c) => ORDER[c.name]) : ORDER.sortino;
  return prefs.find((e) => !applied.includes(e) && !tried.includes(e)) ?? null;
}

/** The deterministic offline model. Rejected edits are not proposed again within the same loop. */
export function offlineImproveModel(): ImproveModel {
  return {
    id: "offline:template",
    async propose(req: PatchRequest): Promise<Patch> {
      const applied = appliedEdits(req.source);
      const tried = req.history
        .filter((h) => !h.accepted)
        .map((h) => (Object.keys(SUMMARY) as OfflineEdit[]).find((e) => h.summary.startsWith(SUMMARY[e])))
        .filter((e): e is OfflineEdit => e !== undefined);
      const edit = chooseEdit(req.diagnosis.failed_constraints, applied, tried);
      const next = edit ? applyEdit(req.source, edit) : null;
      const gaps = req.diagnosis.failed_constraints
        .map((c) => `${c.name} ${c.value === null ? "undefined" : c.value.toFixed(3)} < ${c.threshold}`)
        .join(", ");
      if (!edit || !next)
        return {
          source: req.source,
          summary:
            "no structural edit left: re-tuned the existing thresholds (widened or tightened by the parameter study)",
          rationale: `every template edit is in or was rejected; failing: ${gaps || "none"}`,
        };
      return {
        source: next,
        summary: SUMMARY[edit],
        rationale: `${WHY[edit]} (failing: ${gaps || "none"}; regime ${req.regime.trend}, volatility ${req.regime.volatility_level})`,
      };
    },
  };
}
