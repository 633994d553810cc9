/**
 * `npm run lab -- eval-generation --set FILE [--model M] [--universe demo-20] [--json]`
 * Runs the generation pipeline on every request of a set and sorts the outcomes into
 * faithful (code written, and it matches the request's rules bar by bar on demo data — and the
 * expected reading when the set gives one), refused (no strategy, or parts reported as not
 * understood) and unfaithful (code that disagrees with the rules or with the expected reading,
 * or code that never validated). The rules of a request are the model's plan when it gives one,
 * else the offline parser's reading; requests the parser cannot read are "unchecked" for hosted models.
 * The set is JSON: an array of requests (strings or { request, expect? }) or the corpus format
 * { groups: [{ expect, requests }], refuse: [...], partial: [...] }.
 */
import { readFileSync } from "node:fs";
import { formatPlan, parsePlan, sameReading, type RulePlan } from "@/lib/rules";
import { checkFaithfulness } from "@/server/ai/faithfulness";
import { runGenerationPipeline } from "@/server/ai/pipeline";
import { defaultModelId, envCredentials, listModels, resolveModel, UnknownModelError } from "@/server/ai/providers";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";
import { CliError, flag, hasFlag, parseArgs } from "../args";

/** One request of a set; `expect` is the compact plan (lib/rules/format), "refuse" or "partial". */
export interface EvalItem {
  request: string;
  expect?: string;
}

type Outcome = "faithful" | "refused" | "unfaithful" | "unchecked";

/** Reads a set file in either accepted shape; throws CliError naming the problem. */
export function readEvalSet(path: string): EvalItem[] {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new CliError(`--set: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const items: EvalItem[] = [];
  const add = (x: unknown, expect?: string) => {
    if (typeof x === "string") items.push({ request: x, expect });
    else if (x && typeof x === "object" && typeof (x as EvalItem).request === "string")
      items.push({ request: (x as EvalItem).request, expect: (x as EvalItem).expect ?? expect });
    else
      throw new CliError(
        `--set: every request must be a string or { "request": "…" }, got ${JSON.stringify(x)?.slice(0, 80)}`,
      );
  };
  if (Array.isArray(raw)) raw.forEach((x) => add(x));
  else if (raw && typeof raw === "object" && Array.isArray((raw as { groups?: unknown }).groups)) {
    const c = raw as { groups: { expect: string; requests: string[] }[]; refuse?: string[]; partial?: string[] };
    for (const g of c.groups) for (const r of g.requests) add(r, g.expect);
    for (const r of c.refuse ?? []) add(r, "refuse");
    for (const r of c.partial ?? []) add(r, "partial");
  } else throw new CliError("--set: expected a JSON array of requests or { groups, refuse, partial }");
  if (items.length === 0) throw new CliError("--set: the set has no requests");
  return items;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["set", "model", "universe"], booleans: ["json"] });
  const setPath = flag(args, "set");
  if (!setPath)
    throw new CliError("give the requests with --set FILE, e.g. --set tests/fixtures/rules/generation-corpus.json");
  const items = readEvalSet(setPath);
  const creds = envCredentials();
  let resolved;
  try {
    resolved = resolveModel(flag(args, "model") ?? defaultModelId(listModels(creds)), creds, { delayMs: 0 });
  } catch (err) {
    if (err instanceof UnknownModelError) throw new CliError(err.message);
    throw err;
  }
  let universe;
  try {
    universe = demoSample(flag(args, "universe") ?? "demo-20", 20);
  } catch (err) {
    throw new CliError(`--universe: ${err instanceof Error ? err.message : String(err)}`);
  }
  const counts: Record<Outcome, number> = { faithful: 0, refused: 0, unfaithful: 0, unchecked: 0 };
  const results: { request: string; outcome: Outcome; reason: string }[] = [];
  try {
    for (const item of items) {
      const r = await evaluateOne(item, resolved, universe);
      counts[r.outcome] += 1;
      results.push({ request: item.request, ...r });
      if (!hasFlag(args, "json") && r.outcome !== "faithful")
        process.stderr.write(`${r.outcome}: ${item.request}\n  ${r.reason}\n`);
    }
  } finally {
    shutdownSandbox();
  }
  if (hasFlag(args, "json"))
    process.stdout.write(`${JSON.stringify({ model: resolved.info.id, total: items.length, ...counts, results })}\n`);
  else
    process.stdout.write(
      `${resolved.info.id}: ${items.length} requests — faithful ${counts.faithful}, refused ${counts.refused}, unfaithful ${counts.unfaithful}${counts.unchecked ? `, unchecked ${counts.unchecked}` : ""}\n`,
    );
  return counts.unfaithful > 0 ? 1 : 0;
}

async function evaluateOne(
  item: EvalItem,
  resolved: ReturnType<typeof resolveModel>,
  universe: ReturnType<typeof demoSample>,
): Promise<{ outcome: Outcome; reason: string }> {
  let plan: RulePlan | null = null;
  let notUnderstood: string[] = [];
  let code: string | null = null;
  let error: string | null = null;
  for await (const e of runGenerationPipeline({
    request: item.request,
    model: resolved.model,
    modelInfo: resolved.info,
    universe,
    maxAttempts: 2,
  })) {
    if (e.type === "plan") [plan, notUnderstood] = [e.plan, e.notUnderstood];
    else if (e.type === "done") code = e.code;
    else if (e.type === "error") error = `${e.code}: ${e.message}`;
  }
  if (!code) {
    if (error?.startsWith("INVALID") || error?.startsWith("REFUSAL")) return { outcome: "refused", reason: error };
    return { outcome: "unfaithful", reason: `no validated code: ${error ?? "unknown"}` };
  }
  if (item.expect === "refuse")
    return { outcome: "unfaithful", reason: "wrote a strategy for a request that should be refused" };
  if (notUnderstood.length > 0) return { outcome: "refused", reason: `not understood: ${notUnderstood.join("; ")}` };
  if (item.expect === "partial") return { outcome: "unfaithful", reason: "reported nothing as not understood" };
  const reference = plan ?? parsePlan(item.request).plan;
  if (!reference)
    return {
      outcome: "unchecked",
      reason: "the offline parser cannot read this request, so there are no rules to check against",
    };
  if (item.expect && !sameReading(formatPlan(reference), item.expect))
    return { outcome: "unfaithful", reason: `read as ${formatPlan(reference)}, expected ${item.expect}` };
  const check = await checkFaithfulness(reference, code, universe, { symbols: 3 });
  if (!check.ok) return { outcome: "unfaithful", reason: check.error };
  if (check.first)
    return {
      outcome: "unfaithful",
      reason: `differs at ${check.first.symbol} bar ${check.first.bar}: ${check.first.field} should be ${check.first.expected}, code gives ${check.first.actual}`,
    };
  return { outcome: "faithful", reason: `matches on ${check.matchingBars} of ${check.signalBars} signal bars` };
}
