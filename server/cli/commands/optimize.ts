/**
 * `npm run lab -- optimize --data <csv|demo:SYM|universe> --strategy <example|file>
 *   --range name=min:max[:step][:log]… [--choice name=a,b,…] [--constraint "fast < slow"]…
 *   [--method grid|random|tpe|nsga2] [--objective sharpe[:max|:min]]… [--trials N] [--timeout S]
 *   [--patience N] [--seed S] [--holdout 0.3 (0 = none)] [--walk-forward folds=5[,anchored]]
 *   [--subset N[,top=K]] [--pruner none|median|asha] [--min-trades N] [--max-drawdown PCT]
 *   [--param name=value]… [--cash N] [--commission F] [--slippage-bps N] [--fill next-open|close]
 *   [--max-combos N] [--window W] [--json]`
 * `--window W` samples trial n against the same history as a queued study with window W (its
 * `parallel_window`: 1 + LAB_OPTIMIZE_HELPERS), so a seeded queued study's sequence is repeated here.
 * With `--json`, one object (lib/modes/optimize.ts `OptimizeResult`) and nothing else on stdout.
 * Bad input exits 2 with a message naming the flag.
 */
import type { SimConfigInput } from "@/lib/engine/config";
import { DEFAULT_GRID_LIMIT, runOptimize, type OptimizeResult } from "@/lib/modes/optimize";
import { SpaceError } from "@/lib/optimize/space";
import {
  choicesFromText,
  objectiveFromText,
  rangeFromText,
  StudyTextError,
  studySchema,
  subsetFromText,
  walkForwardFromText,
  type StudyInput,
} from "@/lib/schemas/study";
import { fmt, intFlag, paramFlags, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData, loadStrategy } from "@/server/cli/load";
import { CliError, flag, hasFlag, numberFlag, parseArgs, type ParsedArgs } from "../args";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";

const KNOWN = [
  "data",
  "strategy",
  "range",
  "choice",
  "constraint",
  "method",
  "objective",
  "trials",
  "timeout",
  "patience",
  "seed",
  "holdout",
  "walk-forward",
  "subset",
  "pruner",
  "min-trades",
  "max-drawdown",
  "param",
  "cash",
  "commission",
  "slippage-bps",
  "fill",
  "max-combos",
  "window",
];

const FLAG_OF: Record<string, string> = {
  ranges: "--range",
  choices: "--choice",
  constraints: "--constraint",
  method: "--method",
  objectives: "--objective",
  trials: "--trials",
  timeout: "--timeout",
  patience: "--patience",
  seed: "--seed",
  holdout: "--holdout",
  walk_forward: "--walk-forward",
  subset: "--subset",
  pruner: "--pruner",
  min_trades: "--min-trades",
  max_drawdown_pct: "--max-drawdown",
  window: "--window",
};

function num(raw: string, what: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new CliError(`${what}: "${raw}" is not a number`);
  return n;
}

/** A text form's value, or a CliError naming the flag. */
function fromText<T>(flagName: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof StudyTextError) throw new CliError(`${flagName}: ${err.message}`);
    throw err;
  }
}

/** The study object from the flags (the same fields REST takes in `study`). */
export function studyFromArgs(args: ParsedArgs): StudyInput {
  const ranges: Record<string, ReturnType<typeof rangeFromText>> = {};
  for (const raw of args.flags.get("range") ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(raw.trim());
    if (!m) throw new CliError(`--range needs name=min:max[:step], got "${raw}"`);
    ranges[m[1]] = fromText(`--range ${m[1]}`, () => rangeFromText(m[2]));
  }
  const choices: Record<string, ReturnType<typeof choicesFromText>> = {};
  for (const raw of args.flags.get("choice") ?? []) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(raw.trim());
    if (!m) throw new CliError(`--choice needs name=a,b,…, got "${raw}"`);
    choices[m[1]] = fromText(`--choice ${m[1]}`, () => choicesFromText(m[2]));
  }
  const objectives = (args.flags.get("objective") ?? []).map((raw) =>
    fromText(`--objective ${raw}`, () => objectiveFromText(raw)),
  );
  const s: StudyInput = { ranges, choices, constraints: args.flags.get("constraint") ?? [] };
  if (objectives.length) s.objectives = objectives as StudyInput["objectives"];
  const method = flag(args, "method");
  if (method !== undefined) s.method = method as StudyInput["method"];
  const numeric = (f: string) => (flag(args, f) === undefined ? undefined : num(flag(args, f)!, `--${f}`));
  if (numeric("trials") !== undefined) s.trials = numeric("trials");
  if (numeric("timeout") !== undefined) s.timeout = numeric("timeout");
  if (numeric("patience") !== undefined) s.patience = numeric("patience");
  if (numeric("seed") !== undefined) s.seed = numeric("seed");
  if (numeric("window") !== undefined) s.window = numeric("window");
  if (numeric("holdout") !== undefined) s.holdout = numeric("holdout");
  if (numeric("min-trades") !== undefined) s.min_trades = numeric("min-trades");
  if (numeric("max-drawdown") !== undefined) s.max_drawdown_pct = numeric("max-drawdown");
  const pruner = flag(args, "pruner");
  if (pruner !== undefined) s.pruner = pruner as StudyInput["pruner"];
  const wf = flag(args, "walk-forward");
  if (wf !== undefined) s.walk_forward = fromText("--walk-forward", () => walkForwardFromText(wf));
  const sub = flag(args, "subset");
  if (sub !== undefined) s.subset = fromText("--subset", () => subsetFromText(sub));
  return s;
}

function writeAll(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

function simConfig(args: ParsedArgs): SimConfigInput {
  const fill = flag(args, "fill") ?? "next-open";
  if (fill !== "next-open" && fill !== "close") throw new CliError(`--fill must be next-open or close, got "${fill}"`);
  return {
    initialCash: numberFlag(args, "cash") ?? 10_000,
    fill,
    costs: { commissionRate: numberFlag(args, "commission") ?? 0, slippageBps: numberFlag(args, "slippage-bps") ?? 0 },
  };
}

function summary(r: OptimizeResult, dataSpec: string): string {
  const lines = [
    `${r.strategy.name} on ${dataSpec}: ${r.method}, ${r.n_trials} trials (${r.n_pruned} pruned, ${r.n_failed} failed, ${r.n_infeasible} infeasible), stopped by ${r.stop_reason}`,
  ];
  if (r.best) {
    const obj = r.objectives[0].metric;
    lines.push(
      `best #${r.best.number}: ${Object.entries(r.best.params)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
    lines.push(
      `  in-sample  ${r.best.in_sample.period.from} → ${r.best.in_sample.period.to}: ${obj} ${fmt(r.best.in_sample.metrics[obj])}, return ${fmt(r.best.in_sample.metrics.total_return_pct)} %`,
    );
    if (r.best.out_of_sample)
      lines.push(
        `  out-of-sample ${r.best.out_of_sample.period.from} → ${r.best.out_of_sample.period.to}: ${obj} ${fmt(r.best.out_of_sample.metrics[obj])}, return ${fmt(r.best.out_of_sample.metrics.total_return_pct)} %, grade ${r.best.out_of_sample.grade.grade} (${r.best.out_of_sample.grade.score.toFixed(0)})`,
      );
  } else lines.push("no feasible trial");
  lines.push(r.overfitting.sentence);
  lines.push(
    `DSR ${fmt(r.overfitting.dsr, 3)}  PSR ${fmt(r.overfitting.psr, 3)}  PBO ${fmt(r.overfitting.pbo, 3)}  (per-bar Sharpe variance ${fmt(r.overfitting.sharpe_variance, 6)}, expected max ${fmt(r.overfitting.expected_max_sharpe, 4)})`,
  );
  const imp = Object.entries(r.importance);
  if (imp.length) lines.push(`importance: ${imp.map(([k, v]) => `${k} ${(v * 100).toFixed(0)} %`).join(", ")}`);
  if (r.walk_forward)
    lines.push(
      `walk-forward (${r.walk_forward.folds.length} folds${r.walk_forward.anchored ? ", anchored" : ""}): OOS Sharpe ${fmt(r.walk_forward.out_of_sample.metrics.sharpe)}, efficiency ${fmt(r.walk_forward.efficiency)}`,
    );
  if (r.subset) {
    lines.push(`subset (${r.subset.symbols.length} symbols) → universe:`);
    r.subset.subset_results.forEach((s, i) => {
      const u = r.subset!.universe_results[i];
      lines.push(`  #${s.number}: subset sharpe ${fmt(s.metrics.sharpe)} → universe sharpe ${fmt(u?.metrics.sharpe)}`);
    });
  }
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: KNOWN, booleans: ["json"] });
  const strategySpec = requiredFlag(args, "strategy", "an example name such as sma-cross, or a path to a .ts file");
  const dataSpec = requiredFlag(args, "data", "a CSV file, demo:SYMBOL or a universe name such as demo-500");
  const json = hasFlag(args, "json");
  const parsed = studySchema.safeParse(studyFromArgs(args));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "");
    throw new CliError(
      `${FLAG_OF[field] ?? field}${issue.path.length > 1 ? ` ${issue.path.slice(1).join(".")}` : ""}: ${issue.message}`,
    );
  }
  const gridLimit = intFlag(args, "max-combos", DEFAULT_GRID_LIMIT);
  return withRunErrors(strategySpec, async () => {
    const strategy = loadStrategy(strategySpec);
    const data = loadData(dataSpec);
    let result: OptimizeResult;
    try {
      result = await runOptimize({
        source: strategy.source,
        runner: sandboxRunner,
        universe: data.universe,
        fundamentals: data.fundamentals,
        params: paramFlags(args),
        study: parsed.data,
        config: simConfig(args),
        gridLimit,
        clock: { now: () => performance.now() },
        onTrial: json
          ? undefined
          : (p) => {
              if (p.n_trials % 25 === 0)
                process.stderr.write(
                  `${p.stage}: ${p.n_trials} trials, best ${fmt(p.best_value)}${p.eta_ms !== null ? `, ETA ${(p.eta_ms / 1000).toFixed(0)} s` : ""}\n`,
                );
            },
      });
    } catch (err) {
      if (err instanceof SpaceError) {
        const [kind, name] = err.field.split(".");
        const flagName = kind.startsWith("constraint") ? "--constraint" : kind === "grid" ? "--range" : `--${kind}`;
        throw new CliError(`${flagName}${name ? ` ${name}` : ""}: ${err.message}`);
      }
      throw err;
    }
    // Wait until stdout has taken the whole text: the dispatcher exits right after, and a pipe
    // would otherwise receive only the first 64 KiB of a large study.
    if (json) await writeAll(`${JSON.stringify(result)}\n`);
    else await writeAll(`${summary(result, dataSpec)}\n`);
    return 0;
  });
}
