/**
 * The improvement loop's model step through the AI SDK: any configured language model gets the
 * improvement prompt (lib/improve/prompt.ts) and answers with the whole new module in a ```ts
 * block plus SUMMARY / WHY lines. It only ever returns strategy source; the loop checks it.
 */
import { generateText, type LanguageModel } from "ai";
import { offlineImproveModel } from "@/lib/improve/offline-model";
import type { ImproveModel, Patch } from "@/lib/improve/types";
import { checkStrategySource } from "@/server/sandbox/check-source";
import { resolveModel, type ProviderCredentials } from "./providers";

/** The first fenced code block of a reply (```ts, ```typescript or bare ```). */
export function extractCode(text: string): string | null {
  const m = /```(?:ts|typescript|tsx|js|javascript)?\s*\n([\s\S]*?)```/.exec(text);
  return m ? m[1].trimEnd() + "\n" : null;
}

function line(text: string, key: string): string | null {
  const m = new RegExp(`^\\s*${key}:\\s*(.+)$`, "mi").exec(text);
  return m ? m[1].trim() : null;
}

async function ask(model: LanguageModel, prompt: string, signal?: AbortSignal): Promise<Patch> {
  const r = await generateText({ model, prompt, abortSignal: signal, maxRetries: 1 });
  const source = extractCode(r.text);
  if (!source) throw new Error("the reply has no ```ts code block");
  return {
    source,
    summary: line(r.text, "SUMMARY") ?? "model edit (no summary given)",
    rationale: line(r.text, "WHY") ?? "",
    usage: { inputTokens: r.usage.inputTokens ?? 0, outputTokens: r.usage.outputTokens ?? 0 },
  };
}

/** An {@link ImproveModel} backed by a hosted (or mock) language model. */
export function hostedImproveModel(model: LanguageModel, id: string, signal?: AbortSignal): ImproveModel {
  return {
    id,
    propose: (req) => ask(model, req.prompt, signal),
    repair: (req) => ask(model, req.prompt, signal),
  };
}

/** The model step for a model id: `offline:template` is the deterministic offline model; others resolve through the configured providers. */
export function improveModelFor(id: string, creds: ProviderCredentials[], signal?: AbortSignal): ImproveModel {
  if (id === "offline:template" || id === "offline") return offlineImproveModel();
  const { model, info } = resolveModel(id, creds);
  return hostedImproveModel(model, info.id, signal);
}

/** The sandbox's static checks as the loop takes them: one sentence per problem, with its line. */
export function improveStaticChecks(source: string): string[] {
  const c = checkStrategySource(source);
  return c.ok ? [] : c.errors.map((e) => `line ${e.line}, column ${e.column}: ${e.message}`);
}
