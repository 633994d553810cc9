/**
 * `npm run lab -- evolve --data <csv|demo:SYM|universe> [--population 20] [--generations N]
 *   [--mutation-rate 0.3] [--crossover-rate 0.4] [--seed S] [--seed-strategy file]… [--json]`
 * Breeds a population (lib/evolve). A seed strategy file is a rule plan (.json), SDK code (a file
 * with `defineStrategy(`, generated or hand-written: its declared int/float params are the genes,
 * the code stays as written; checked in the sandbox like any code), or a plain-English request
 * (any other file) the offline generator turns into a plan.
 * With `--json`, one object (lib/modes/evolve.ts `EvolveResult`) and nothing else on stdout.
 * Bad input exits 2 with a message naming the flag.
 */
import { readFileSync } from "node:fs";
import { codeGenome, type CodeGenome } from "@/lib/evolve";
import { runEvolve, type EvolveResult } from "@/lib/modes/evolve";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import { generateFromRequest, rulePlan, type RulePlan } from "@/lib/rules";
import { evolveSchema, type EvolveInput } from "@/lib/schemas/evolve";
import { fmt, requiredFlag, withRunErrors } from "@/server/cli/run-flags";
import { loadData } from "@/server/cli/load";
import { CliError, flag, hasFlag, parseArgs, type ParsedArgs } from "../args";

const KNOWN = [
  "data",
  "population",
  "generations",
  "mutation-rate",
  "crossover-rate",
  "seed",
  "seed-strategy",
  "min-trades",
];

const FLAG_OF: Record<string, string> = {
  population: "--population",
  generations: "--generations",
  mutation_rate: "--mutation-rate",
  crossover_rate: "--crossover-rate",
  seed: "--seed",
  min_trades: "--min-trades",
  seed_plans: "--seed-strategy",
};

/** SDK code: a seed whose params evolve (checked when the run starts). */
interface CodeSeedFile {
  path: string;
  source: string;
}

const isCode = (text: string) => /defineStrategy\s*\(/.test(text);

/** A seed strategy file → its rule plan or its SDK code; anything else is a CliError naming the flag and the file. */
export function readSeedStrategy(path: string): RulePlan | CodeSeedFile {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new CliError(`--seed-strategy "${path}" is not a readable file`);
  }
  if (/\.json$/i.test(path)) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new CliError(
        `--seed-strategy "${path}": not valid JSON (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    const obj = raw && typeof raw === "object" && "plan" in raw ? (raw as { plan: unknown }).plan : raw;
    const parsed = rulePlan.safeParse(obj);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new CliError(
        `--seed-strategy "${path}": not a valid rule plan at ${issue.path.join(".") || "(root)"}: ${issue.message}`,
      );
    }
    return parsed.data;
  }
  if (isCode(text)) return { path, source: text };
  const g = generateFromRequest(text.trim());
  if (!g.plan) throw new CliError(`--seed-strategy "${path}": ${g.message ?? "no rule understood"}`);
  return g.plan;
}

function num(args: ParsedArgs, name: string): number | undefined {
  const raw = flag(args, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new CliError(`--${name} must be a number, got "${raw}"`);
  return n;
}

/** The evolution spec from the flags (the same fields REST takes). */
export function evolveFromArgs(args: ParsedArgs): EvolveInput {
  const spec: EvolveInput = {};
  const set = <K extends keyof EvolveInput>(key: K, f: string) => {
    const v = num(args, f);
    if (v !== undefined) spec[key] = v as EvolveInput[K];
  };
  set("population", "population");
  set("generations", "generations");
  set("mutation_rate", "mutation-rate");
  set("crossover_rate", "crossover-rate");
  set("seed", "seed");
  set("min_trades", "min-trades");
  const plans = seedFiles(args).filter((x): x is RulePlan => !("source" in x));
  if (plans.length) spec.seed_plans = plans;
  return spec;
}

function seedFiles(args: ParsedArgs): (RulePlan | CodeSeedFile)[] {
  return (args.flags.get("seed-strategy") ?? []).map(readSeedStrategy);
}

/**
 * The code seeds among the flags, inspected in the sandbox: code that does not load, needs
 * fundamentals, or declares no int/float param to evolve is a CliError naming the flag and file.
 */
export async function codeSeeds(args: ParsedArgs): Promise<CodeGenome[]> {
  const out: CodeGenome[] = [];
  for (const f of seedFiles(args)) {
    if (!("source" in f)) continue;
    let info;
    try {
      info = await sandboxRunner.inspect(f.source);
    } catch (err) {
      throw new CliError(
        `--seed-strategy "${f.path}": the strategy code does not load (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    if (info.fundamentals)
      throw new CliError(`--seed-strategy "${f.path}": strategies that need fundamentals cannot seed an evolution`);
    const g = codeGenome(info.name, f.source, info.params);
    if (!Object.values(info.params).some((p) => (p.type === "int" || p.type === "float") && p.max > p.min))
      throw new CliError(`--seed-strategy "${f.path}": the code declares no int or float param with a range to evolve`);
    out.push(g);
  }
  return out;
}

function writeAll(text: string): Promise<void> {
  return new Promise((resolve, reject) => process.stdout.write(text, (err) => (err ? reject(err) : resolve())));
}

function table(r: EvolveResult, dataSpec: string): string {
  const lines = [
    `evolution on ${dataSpec}: ${r.generations.length} generations, ${r.n_evaluated} evaluations, ${r.n_duplicates} duplicates`,
  ];
  lines.push("gen  window                    top    mean   PF(top)  WR(top)  trades  promoted  evals  dups");
  for (const g of r.generations) {
    const top = [...g.individuals].sort((a, b) => b.fitness - a.fitness)[0];
    const mean = g.individuals.reduce((s, x) => s + x.fitness, 0) / g.individuals.length;
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    lines.push(
      `${String(g.n).padStart(3)}  ${day(g.window.from_ms)} → ${day(g.window.to_ms)}  ${fmt(g.top_fitness, 1).padStart(5)}  ${fmt(mean, 1).padStart(5)}  ${fmt(top.metrics.profit_factor).padStart(7)}  ${fmt(top.metrics.win_rate_pct, 1).padStart(7)}  ${String(top.metrics.num_trades).padStart(6)}  ${String(g.promoted.length).padStart(8)}  ${String(g.n_evaluated).padStart(5)}  ${String(g.n_duplicates).padStart(4)}`,
    );
  }
  lines.push(`best ${r.best.id}: fitness ${fmt(r.best.fitness, 1)}, DSR ${fmt(r.best.metrics.dsr, 3)}`);
  lines.push(r.best.code);
  return lines.join("\n");
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: KNOWN, booleans: ["json"] });
  const dataSpec = requiredFlag(args, "data", "a CSV file, demo:SYMBOL or a universe name such as demo-500");
  const json = hasFlag(args, "json");
  const parsed = evolveSchema.safeParse(evolveFromArgs(args));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = String(issue.path[0] ?? "");
    throw new CliError(`${FLAG_OF[field] ?? field}: ${issue.message}`);
  }
  const code = await codeSeeds(args);
  return withRunErrors(undefined, async () => {
    const data = loadData(dataSpec);
    const result = await runEvolve(data.universe, parsed.data, undefined, { codeSeeds: code, runner: sandboxRunner });
    if (data.synthetic) result.synthetic = true;
    if (json) await writeAll(`${JSON.stringify(result)}\n`);
    else await writeAll(`${table(result, dataSpec)}\n`);
    return 0;
  });
}
