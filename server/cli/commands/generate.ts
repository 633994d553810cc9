/**
 * `npm run lab -- generate "<request>" [--model name] [--universe demo-50] [--out file.ts] [--attempts N] [--json]`
 * Runs the generation pipeline without a database: the offline template generator by default,
 * or a provider model configured in the environment (e.g. --model openai:gpt-4.1-mini).
 * Validated code goes to --out or stdout; progress goes to stderr. Exits 1 when generation fails.
 */
import { writeFileSync } from "node:fs";
import { runGenerationPipeline } from "@/server/ai/pipeline";
import { defaultModelId, envCredentials, listModels, resolveModel, UnknownModelError } from "@/server/ai/providers";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";
import { CliError, flag, hasFlag, numberFlag, parseArgs } from "../args";

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["model", "out", "universe", "attempts"], booleans: ["json", "quiet"] });
  const request = args.positionals.join(" ").trim();
  if (!request) throw new CliError('give the request in quotes, e.g. npm run lab -- generate "RSI below 30 and volume spike above 2x average"');
  const creds = envCredentials();
  const models = listModels(creds);
  let resolved;
  try {
    resolved = resolveModel(flag(args, "model") ?? defaultModelId(models), creds, { delayMs: 0 });
  } catch (err) {
    if (err instanceof UnknownModelError) throw new CliError(err.message);
    throw err;
  }
  const universeName = flag(args, "universe") ?? "demo-20";
  let universe;
  try {
    universe = demoSample(universeName, 20);
  } catch (err) {
    throw new CliError(`--universe: ${err instanceof Error ? err.message : String(err)}`);
  }
  const quiet = hasFlag(args, "quiet");
  const log = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once("SIGINT", onSignal);
  try {
    for await (const e of runGenerationPipeline({ request, model: resolved.model, modelInfo: resolved.info, universe, maxAttempts: numberFlag(args, "attempts"), signal: controller.signal })) {
      if (e.type === "status") log(`[${e.stage}] ${e.message}`);
      else if (e.type === "context") log(`[context] ${e.summary}${e.narrative ? `\n  ${e.narrative.narrative}` : ""}`);
      else if (e.type === "validation") {
        if (e.ok) log(`[validation] ok${e.dryRun ? ` — dry run on ${e.dryRun.symbols.join(", ")}: ${e.dryRun.entries} entries` : ""}${e.warnings.length ? ` (${e.warnings.join("; ")})` : ""}`);
        else log(`[validation] failed:\n${e.errors.map((x) => `  line ${x.line}, column ${x.column}: ${x.message}`).join("\n")}`);
      } else if (e.type === "repair") log(`[repair] attempt ${e.attempt} of ${e.maxAttempts}`);
      else if (e.type === "usage") log(`[usage] ${e.inputTokens} in / ${e.outputTokens} out tokens${resolved.info.offline ? " (estimated)" : ""}`);
      else if (e.type === "error") {
        process.stderr.write(`error: ${e.message}${e.retryable ? " (retrying may help)" : ""}\n`);
        return 1;
      } else if (e.type === "done") {
        const out = flag(args, "out");
        if (hasFlag(args, "json")) process.stdout.write(`${JSON.stringify({ name: e.name, model: resolved.info.id, attempts: e.attempts, code: e.code })}\n`);
        else if (!out) process.stdout.write(e.code);
        if (out) {
          writeFileSync(out, e.code);
          log(`wrote ${out} (${e.name})`);
        }
        return 0;
      }
    }
    process.stderr.write("error: the generation ended without a result\n");
    return 1;
  } finally {
    process.off("SIGINT", onSignal);
    shutdownSandbox();
  }
}
