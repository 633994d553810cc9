/**
 * `npm run lab -- generate "<request>" [--model name] [--universe demo-50] [--out file.ts] [--attempts N] [--json]`
 * Runs the generation pipeline without a database: the offline rule generator by default,
 * or a provider model configured in the environment (e.g. --model openai:gpt-4.1-mini).
 * Validated code goes to --out or stdout; progress goes to stderr. Exits 1 when generation fails.
 * --json prints `{ name, model, attempts, understood, not_understood, assumptions, faithfulness, code }`
 * (`code` null and `error` set when nothing was understood). With --out, what was not understood
 * is printed on stderr and written as a comment at the top of the file.
 */
import { writeFileSync } from "node:fs";
import { runGenerationPipeline } from "@/server/ai/pipeline";
import { defaultModelId, envCredentials, listModels, resolveModel, UnknownModelError } from "@/server/ai/providers";
import { demoSample } from "@/server/ai/universe-data";
import { shutdownSandbox } from "@/server/sandbox";
import { CliError, flag, hasFlag, numberFlag, parseArgs } from "../args";

/** The code with a `// not understood: …` first line when something was not understood (once). */
function withNotUnderstoodComment(code: string, notUnderstood: string[]): string {
  if (notUnderstood.length === 0 || code.startsWith("// not understood:")) return code;
  return `// not understood: ${notUnderstood.join("; ")}\n${code}`;
}

export async function run(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { known: ["model", "out", "universe", "attempts"], booleans: ["json", "quiet"] });
  const request = args.positionals.join(" ").trim();
  if (!request)
    throw new CliError(
      'give the request in quotes, e.g. npm run lab -- generate "RSI below 30 and volume spike above 2x average"',
    );
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
  let reading: { understood: string[]; notUnderstood: string[]; assumptions: string[] } = {
    understood: [],
    notUnderstood: [],
    assumptions: [],
  };
  let faithfulness: { ok: boolean; signalBars: number; matchingBars: number; message: string } | null = null;
  const json = hasFlag(args, "json");
  const out = flag(args, "out");
  try {
    for await (const e of runGenerationPipeline({
      request,
      model: resolved.model,
      modelInfo: resolved.info,
      universe,
      maxAttempts: numberFlag(args, "attempts"),
      signal: controller.signal,
    })) {
      if (e.type === "status") log(`[${e.stage}] ${e.message}`);
      else if (e.type === "plan") {
        reading = { understood: e.understood, notUnderstood: e.notUnderstood, assumptions: e.assumptions };
        for (const r of e.understood) log(`[understood] ${r}`);
        for (const a of e.assumptions) log(`[assumed] ${a}`);
        if (e.notUnderstood.length > 0) process.stderr.write(`not understood: ${e.notUnderstood.join("; ")}\n`);
      } else if (e.type === "faithfulness") {
        faithfulness = { ok: e.ok, signalBars: e.signalBars, matchingBars: e.matchingBars, message: e.message };
        log(`[faithfulness] ${e.message}`);
      } else if (e.type === "context")
        log(`[context] ${e.summary}${e.narrative ? `\n  ${e.narrative.narrative}` : ""}`);
      else if (e.type === "validation") {
        if (e.ok)
          log(
            `[validation] ok${e.dryRun ? ` — dry run on ${e.dryRun.symbols.join(", ")}: ${e.dryRun.entries} entries` : ""}${e.warnings.length ? ` (${e.warnings.join("; ")})` : ""}`,
          );
        else
          log(
            `[validation] failed:\n${e.errors.map((x) => `  line ${x.line}, column ${x.column}: ${x.message}`).join("\n")}`,
          );
      } else if (e.type === "repair") log(`[repair] attempt ${e.attempt} of ${e.maxAttempts}`);
      else if (e.type === "usage")
        log(`[usage] ${e.inputTokens} in / ${e.outputTokens} out tokens${resolved.info.offline ? " (estimated)" : ""}`);
      else if (e.type === "error") {
        process.stderr.write(`error: ${e.message}${e.retryable ? " (retrying may help)" : ""}\n`);
        if (json)
          process.stdout.write(
            `${JSON.stringify({ model: resolved.info.id, understood: reading.understood, not_understood: reading.notUnderstood, assumptions: reading.assumptions, code: null, error: e.message })}\n`,
          );
        return 1;
      } else if (e.type === "done") {
        const code = withNotUnderstoodComment(e.code, reading.notUnderstood);
        if (json) {
          const body = {
            name: e.name,
            model: resolved.info.id,
            attempts: e.attempts,
            understood: reading.understood,
            not_understood: reading.notUnderstood,
            assumptions: reading.assumptions,
            faithfulness,
            code,
          };
          process.stdout.write(`${JSON.stringify(body)}\n`);
        } else if (!out) process.stdout.write(code);
        if (out) {
          writeFileSync(out, code);
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
