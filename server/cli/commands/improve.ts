/**
 * `npm run lab -- improve --strategy <example|file> --data <csv|demo:SYM|universe> [--iterations 5]
 *   [--min-return 0.5] [--min-sortino 2] [--min-trades N] [--min-win-rate P]
 *   [--improvement-threshold 0.1] [--holdout 0.2] [--model offline:template] [--seed S]
 *   [--trials N (per iteration)] [--max-minutes M (wall-clock cap, default 60)] [--param name=value]… [--out best.ts] [--json]`
 * With `--json`, one object (lib/improve/types.ts `ImproveResult`) and nothing else on stdout.
 * Bad input exits 2 with a message naming the flag.
 */
import { writeFileSync } from "node:fs";
import { runImprove } from "@/lib/improve/loop";
import type { ImproveResult } from "@/lib/improve/types";
import { improveSchema, thresholdsOf, type ImproveSettingsInput } from "@/lib/schemas/improve";
import { improveModelFor, improveStaticChecks } from "@/server/ai/improve-model";
import { envCredentials, UnknownModelError } from "@/server/ai/providers";
import { fmt, paramFlags, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData, loadStrategy } from "@/server/cli/load";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { CliError, flag, hasFlag, parseArgs } from "../args";

const NUMERIC: Record<string, keyof ImproveSettingsInput> = {
  iterations: "iterations",
  "min-return": "min_return",
  "min-sortino": "min_sortino",
  "min-trades": "min_trades",
  "min-win-rate": "min_win_rate",
  "improvement-threshold": "improvement_threshold",
  holdout: "holdout",
  trials: "trials_per_iteration",
  seed: "seed",
  "max-minutes": "max_minutes",
};
const FLAG_OF: Record<string, string> = Object.fromEntries([
  ...Object.entries(NUMERIC).map(([f, k]) => [k, `--${f}`]),
  ["model", "--model"],
]);
const KNOWN = ["strategy", "data", "model", "out", "param", ...Object.keys(NUMERIC)];

function summary(r: ImproveResult, dataSpec: string): string {
  const m = (x: Record<string, number | null> | null | undefined) =>
    `return ${fmt(x?.total_return_pct)} %, Sortino ${fmt(x?.sortino)}, trades ${x?.num_trades ?? "—"}, win rate ${fmt(x?.win_rate_pct)} %`;
  const lines = [
    `improve on ${dataSpec} with ${r.model}: ${r.status === "met" ? "MET" : "NOT MET"} after ${r.iterations.length} iteration(s)`,
  ];
  lines.push(
    `  baseline   validation: ${m(r.baseline.validation.metrics)} | holdout: ${m(r.baseline.holdout.metrics)}`,
  );
  for (const it of r.iterations)
    lines.push(
      `  ${String(it.n).padStart(2)}. ${it.accepted ? "accepted" : "rejected"} — ${it.patch?.summary ?? "no patch"}\n      ${it.reason}${it.validation.metrics ? `\n      validation: ${m(it.validation.metrics)}` : ""}`,
    );
  lines.push(`  best = iteration ${r.best.iteration}`);
  lines.push(`    validation: ${m(r.best.validation.metrics)}`);
  lines.push(`    holdout:    ${m(r.best.holdout.metrics)}`);
  for (const c of r.unmet_constraints)
    lines.push(`  unmet: ${c.name} ${c.value === null ? "undefined" : fmt(c.value, 3)} < ${c.threshold}`);
  lines.push(`  ${r.overfitting.sentence} (DSR ${fmt(r.overfitting.dsr, 3)})`);
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: KNOWN, booleans: ["json"] });
  const strategySpec = requiredFlag(args, "strategy", "an example name such as sma-cross, or a path to a .ts file");
  const dataSpec = requiredFlag(args, "data", "a CSV file, demo:SYMBOL or a universe name such as demo-500");
  const raw: Record<string, unknown> = {};
  for (const [f, k] of Object.entries(NUMERIC)) {
    const v = flag(args, f);
    if (v === undefined) continue;
    const n = Number(v);
    if (v.trim() === "" || !Number.isFinite(n)) throw new CliError(`--${f} must be a number, got "${v}"`);
    raw[k] = n;
  }
  if (flag(args, "model") !== undefined) raw.model = flag(args, "model");
  const parsed = improveSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "");
    throw new CliError(`${FLAG_OF[field] ?? field}: ${issue.message}`);
  }
  const s = parsed.data;
  let model;
  try {
    model = improveModelFor(s.model, envCredentials());
  } catch (err) {
    if (err instanceof UnknownModelError) throw new CliError(`--model: ${err.message}`);
    throw err;
  }
  const json = hasFlag(args, "json");
  const out = flag(args, "out");
  return withRunErrors(strategySpec, async () => {
    const strategy = loadStrategy(strategySpec);
    const data = loadData(dataSpec);
    const result = await runImprove({
      source: strategy.source,
      params: paramFlags(args),
      universe: data.universe,
      fundamentals: data.fundamentals,
      runner: sandboxRunner,
      model,
      checkSource: improveStaticChecks,
      thresholds: thresholdsOf(s),
      iterations: s.iterations,
      improvementThreshold: s.improvement_threshold,
      holdout: s.holdout,
      trialsPerIteration: s.trials_per_iteration,
      seed: s.seed,
      timeLimitMs: s.max_minutes * 60_000,
      clock: { now: () => performance.now() },
      onEvent: json
        ? undefined
        : (e) => {
            if (e.type === "stage")
              process.stderr.write(`[${e.iteration}] ${e.stage}${e.detail ? `: ${e.detail}` : ""}\n`);
          },
    });
    if (out) writeFileSync(out, result.best.code);
    process.stdout.write(json ? `${JSON.stringify(result)}\n` : `${summary(result, dataSpec)}\n`);
    return 0;
  });
}
