import "server-only";
/**
 * The generation pipeline as an async generator of events:
 *   request → market context (measured regime; a hosted model adds a narrative)
 *   → code streamed chunk by chunk → validation (static checks, sandbox load, dry run)
 *   → automatic repair (errors go back to the model, up to `maxAttempts` attempts in all)
 *   → saved (through the caller's `save`, when given).
 * Every step is an event; a failure ends the stream with one `error` event. Aborting the
 * signal stops the model call and the stream at the next step.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { streamText } from "ai";
import { describeRules, generateFromRequest, type Disagreement, type RulePlan } from "@/lib/rules";
import { SDK_DTS } from "@/lib/sdk/sdk-dts";
import { CodeFenceFilter, extractCode } from "./code-stream";
import { describeRegime, measureRegime, type MarketRegime } from "./market-context";
import { marketNarrative, type MarketNarrative } from "./narrative";
import { checkFaithfulness, describeFaithfulness } from "./faithfulness";
import { OFFLINE_OPTIONS_KEY } from "./offline-generator";
import { modelPlan, planForCodePrompt } from "./plan";
import { describeProviderError, GenerationError, type GenerationErrorCode } from "./provider-errors";
import type { ModelInfo } from "./providers";
import { defaultTemplateSet, renderTemplate, type TemplateSet } from "./prompts";
import {
  formatProblems,
  validateGeneratedCode,
  type CodeProblem,
  type CodeValidation,
  type DryRunData,
} from "./validate-code";

export type PipelineStage = "context" | "generating" | "validating" | "repairing" | "saving" | "done";

/** What the Lab UI (and the CLI) consume, in order. */
export type GenerationEvent =
  | {
      type: "status";
      stage: PipelineStage;
      message: string;
      attempt?: number;
      model?: { id: string; label: string; offline: boolean };
    }
  | {
      type: "context";
      universe: string;
      regime: MarketRegime | null;
      summary: string;
      narrative: MarketNarrative | null;
    }
  | { type: "code-delta"; attempt: number; delta: string }
  | { type: "code-reset"; attempt: number; code: string }
  | {
      type: "validation";
      attempt: number;
      ok: boolean;
      errors: CodeProblem[];
      warnings: string[];
      dryRun: CodeValidation["dryRun"];
      params: Record<string, unknown> | null;
    }
  | { type: "repair"; attempt: number; maxAttempts: number; errors: CodeProblem[] }
  | { type: "usage"; inputTokens: number; outputTokens: number; totalTokens: number }
  /** The rules the code is written from (the offline parser's reading of the request, or the model's plan). */
  | {
      type: "plan";
      source: "parser" | "model";
      plan: RulePlan | null;
      understood: string[];
      notUnderstood: string[];
      assumptions: string[];
    }
  /** The validated code compared bar by bar with the plan evaluated directly. */
  | {
      type: "faithfulness";
      ok: boolean;
      signalBars: number;
      matchingBars: number;
      first: Disagreement | null;
      message: string;
    }
  | { type: "saved"; strategyId: string; version: number; name: string }
  | { type: "done"; code: string; name: string; attempts: number }
  | { type: "error"; code: GenerationErrorCode; message: string; retryable: boolean; retryAfterSeconds: number | null };

/** What gets stored with a generated version. */
export interface GenerationRecord {
  prompt: string;
  model: string;
  marketContext: { universe: string; regime: MarketRegime | null; narrative: MarketNarrative | null } | null;
  tokenUsage: { inputTokens: number; outputTokens: number; totalTokens: number };
  attempts: number;
  /** The rules the code was written from and what was not understood or expressible (null: no plan). */
  rules: {
    source: "parser" | "model";
    plan: RulePlan | null;
    understood: string[];
    notUnderstood: string[];
    assumptions: string[];
  } | null;
  /** The faithfulness check of the saved code against those rules. */
  faithfulness: { ok: boolean; signalBars: number; matchingBars: number; message: string } | null;
}

export interface PipelineInput {
  request: string;
  model: LanguageModelV4;
  modelInfo: ModelInfo;
  templates?: TemplateSet;
  /** Universe for the market context and the dry run. */
  universe?: { name: string; totalSymbols?: number } & DryRunData;
  /** Existing code to improve (uses the improvement template). */
  baseCode?: string;
  /** Attempts in all, first one included (default 3). */
  maxAttempts?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Stores the validated code; its result becomes the `saved` event. */
  save?: (
    code: string,
    name: string,
    record: GenerationRecord,
  ) => Promise<{ strategyId: string; version: number; name: string }>;
  /** Replaceable for tests. */
  validate?: (code: string, data: DryRunData | null) => Promise<CodeValidation>;
}

function stopped(signal?: AbortSignal): void {
  if (signal?.aborted) throw new GenerationError("ABORTED", "Generation stopped.", true);
}

const REFUSAL = /^(i'?m sorry|i cannot|i can'?t|sorry, i|as an ai)/i;

/** Runs the pipeline; see the file comment. Never throws: failures become an `error` event. */
export async function* runGenerationPipeline(input: PipelineInput): AsyncGenerator<GenerationEvent> {
  const templates = input.templates ?? defaultTemplateSet();
  const maxAttempts = Math.max(1, Math.min(6, input.maxAttempts ?? 3));
  const providerLabel = input.modelInfo.offline ? "the offline generator" : input.modelInfo.label;
  const usage = { inputTokens: 0, outputTokens: 0, totalTokens: 0 };
  const addUsage = (i: number, o: number) => {
    usage.inputTokens += i;
    usage.outputTokens += o;
    usage.totalTokens = usage.inputTokens + usage.outputTokens;
  };
  const validate = input.validate ?? ((code: string, data: DryRunData | null) => validateGeneratedCode(code, data));
  try {
    yield {
      type: "status",
      stage: "context",
      message: input.modelInfo.offline
        ? "Using the offline rule generator (no AI model is configured or selected): it reads the request into rules and says what it did not understand."
        : `Using ${input.modelInfo.label}.`,
      model: { id: input.modelInfo.id, label: input.modelInfo.label, offline: input.modelInfo.offline },
    };

    // 1. Market context -------------------------------------------------------------------
    let regime: MarketRegime | null = null;
    let narrative: MarketNarrative | null = null;
    const universeName = input.universe?.name ?? "none";
    if (input.universe && input.universe.bars.length > 0) {
      try {
        regime = measureRegime(input.universe.bars);
      } catch {
        regime = null;
      }
    }
    if (regime && !input.modelInfo.offline) {
      try {
        const n = await marketNarrative(input.model, {
          template: templates["market-analysis"],
          regime,
          universe: universeName,
          request: input.request,
          signal: input.signal,
          timeoutMs: input.timeoutMs,
        });
        narrative = n.narrative;
        addUsage(n.inputTokens, n.outputTokens);
      } catch (err) {
        const failure = describeProviderError(err, providerLabel);
        if (failure.code === "ABORTED" || failure.code === "AUTH")
          throw new GenerationError(failure.code, failure.message, failure.retryable);
        narrative = null; // the narrative is optional: the measured regime is still there
      }
    }
    const summary = regime ? describeRegime(regime, input.universe?.totalSymbols) : "no market data";
    yield { type: "context", universe: universeName, regime, summary, narrative };
    stopped(input.signal);

    // 2. The rules (offline): what was understood, and nothing written when nothing was --------
    let plan: RulePlan | null = null;
    let rules: GenerationRecord["rules"] = null;
    let faithfulness: GenerationRecord["faithfulness"] = null;
    if (input.modelInfo.offline) {
      const reading = generateFromRequest(input.request);
      plan = reading.plan;
      rules = {
        source: "parser",
        plan,
        understood: reading.understood,
        notUnderstood: reading.notUnderstood,
        assumptions: reading.assumptions,
      };
      yield { type: "plan", ...rules };
      if (!reading.code)
        throw new GenerationError("INVALID", reading.message ?? "The request was not understood.", false);
    }
    let planText = "";
    if (!input.modelInfo.offline && !input.baseCode) {
      // The hosted model states the rules as a structured plan first; code written without one stays possible.
      try {
        const m = await modelPlan(input.model, {
          request: input.request,
          signal: input.signal,
          timeoutMs: input.timeoutMs,
        });
        addUsage(m.inputTokens, m.outputTokens);
        plan = m.plan.plan;
        rules = {
          source: "model",
          plan,
          understood: plan ? describeRules(plan) : [],
          notUnderstood: m.plan.notExpressible,
          assumptions: [],
        };
        yield { type: "plan", ...rules };
        if (plan) planText = planForCodePrompt(plan, m.plan.notExpressible);
      } catch (err) {
        const failure = describeProviderError(err, providerLabel);
        if (failure.code === "ABORTED" || failure.code === "AUTH")
          throw new GenerationError(failure.code, failure.message, failure.retryable);
        plan = null; // no usable plan: the model writes code from the request alone
      }
    }

    // 3. Generate, validate, repair ---------------------------------------------------------
    const system = renderTemplate(templates.system, { sdkTypes: SDK_DTS });
    const contextText = narrative ? `${summary}\n${narrative.narrative}` : summary;
    let prompt = input.baseCode
      ? renderTemplate(templates.improvement, {
          code: input.baseCode,
          request: input.request,
          metrics: undefined,
          marketContext: contextText,
        })
      : renderTemplate(templates.generation, {
          request: input.request,
          marketContext: contextText,
          universe: universeName,
        }) + planText;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      yield {
        type: "status",
        stage: attempt === 1 ? "generating" : "repairing",
        message: attempt === 1 ? "Writing the strategy…" : `Repairing (attempt ${attempt} of ${maxAttempts})…`,
        attempt,
      };
      yield { type: "code-reset", attempt, code: "" };
      const result = streamText({
        model: input.model,
        system,
        prompt,
        abortSignal: input.signal,
        maxRetries: 1,
        timeout: input.timeoutMs,
        providerOptions: { [OFFLINE_OPTIONS_KEY]: { request: input.request, attempt } },
        // Errors arrive as stream parts and are mapped below; the default handler would log them raw.
        onError: () => {},
      });
      const filter = new CodeFenceFilter();
      let reply = "";
      let streamed = "";
      let finishReason: string | null = null;
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") {
          reply += part.text;
          const code = filter.push(part.text);
          if (code) {
            streamed += code;
            yield { type: "code-delta", attempt, delta: code };
          }
        } else if (part.type === "error") throw part.error;
        else if (part.type === "abort") throw new GenerationError("ABORTED", "Generation stopped.", true);
        else if (part.type === "finish") {
          finishReason = part.finishReason;
          addUsage(part.totalUsage.inputTokens ?? 0, part.totalUsage.outputTokens ?? 0);
        }
      }
      const tail = filter.flush();
      if (tail) {
        streamed += tail;
        yield { type: "code-delta", attempt, delta: tail };
      }
      yield { type: "usage", ...usage };
      stopped(input.signal);
      if (finishReason === "content-filter" || (REFUSAL.test(reply.trim()) && !reply.includes("defineStrategy")))
        throw new GenerationError(
          "REFUSAL",
          `${providerLabel} declined to write this strategy. Rephrase the request or pick another model.`,
          false,
        );
      const code = extractCode(reply);
      if (!code.trim() || !code.includes("defineStrategy")) {
        if (attempt === maxAttempts)
          throw new GenerationError(
            "MALFORMED",
            `${providerLabel} did not return strategy code after ${maxAttempts} attempts. Try again or pick another model.`,
            true,
          );
        const errors = [
          {
            line: 0,
            column: 0,
            message:
              "The reply contained no strategy module (expected one ```ts block with export default defineStrategy(...)).",
          },
        ];
        yield { type: "validation", attempt, ok: false, errors, warnings: [], dryRun: null, params: null };
        yield { type: "repair", attempt: attempt + 1, maxAttempts, errors };
        prompt = renderTemplate(templates.repair, {
          code: reply.slice(0, 4000),
          errors: formatProblems(errors),
          request: input.request,
          attempt,
        });
        continue;
      }
      // The editor only ever grows by appends; a full replacement happens only when the streamed
      // text was not the code after all (e.g. prose taken for bare code).
      if (code !== streamed)
        yield code.startsWith(streamed)
          ? { type: "code-delta", attempt, delta: code.slice(streamed.length) }
          : { type: "code-reset", attempt, code };

      yield {
        type: "status",
        stage: "validating",
        message: "Validating: static checks and a dry run in the sandbox…",
        attempt,
      };
      const validation = await validate(code, input.universe ?? null);
      stopped(input.signal);
      yield {
        type: "validation",
        attempt,
        ok: validation.ok,
        errors: validation.errors,
        warnings: validation.warnings,
        dryRun: validation.dryRun,
        params: validation.info?.params ?? null,
      };
      if (validation.ok) {
        const name = validation.info?.name ?? "Generated strategy";
        if (plan && input.universe && input.universe.bars.length > 0) {
          const check = await checkFaithfulness(plan, code, input.universe, { symbols: 3 });
          const event = check.ok
            ? {
                type: "faithfulness" as const,
                ok: check.first === null,
                signalBars: check.signalBars,
                matchingBars: check.matchingBars,
                first: check.first,
                message: describeFaithfulness(check),
              }
            : {
                type: "faithfulness" as const,
                ok: false,
                signalBars: 0,
                matchingBars: 0,
                first: null,
                message: describeFaithfulness(check),
              };
          faithfulness = {
            ok: event.ok,
            signalBars: event.signalBars,
            matchingBars: event.matchingBars,
            message: event.message,
          };
          yield event;
          if (check.ok && check.first && !input.modelInfo.offline && attempt < maxAttempts) {
            // The model's code disagrees with its own plan: send the first disagreement back.
            const errors = [
              { line: 0, column: 0, message: `${event.message} Make the code implement the plan exactly.` },
            ];
            yield { type: "repair", attempt: attempt + 1, maxAttempts, errors };
            prompt =
              renderTemplate(templates.repair, {
                code,
                errors: formatProblems(errors),
                request: input.request,
                attempt,
              }) + planText;
            continue;
          }
        }
        const record: GenerationRecord = {
          prompt: input.request,
          model: input.modelInfo.id,
          marketContext: { universe: universeName, regime, narrative },
          tokenUsage: { ...usage },
          attempts: attempt,
          rules,
          faithfulness,
        };
        if (input.save) {
          yield { type: "status", stage: "saving", message: "Saving a new version…", attempt };
          const saved = await input.save(code, name, record);
          yield { type: "saved", ...saved };
        }
        yield {
          type: "status",
          stage: "done",
          message: attempt === 1 ? "Done." : `Done after ${attempt} attempts.`,
          attempt,
        };
        yield { type: "done", code, name, attempts: attempt };
        return;
      }
      if (attempt === maxAttempts) {
        throw new GenerationError(
          "MALFORMED",
          `The code still fails validation after ${maxAttempts} attempts: ${validation.errors[0]?.message ?? "unknown problem"}. Edit it by hand or try again.`,
          true,
        );
      }
      yield { type: "repair", attempt: attempt + 1, maxAttempts, errors: validation.errors };
      prompt = renderTemplate(templates.repair, {
        code,
        errors: formatProblems(validation.errors),
        request: input.request,
        attempt,
      });
    }
  } catch (err) {
    const failure = describeProviderError(err, providerLabel);
    if (failure.code === "FAILED") console.error("[ai] generation failed", err instanceof Error ? err.message : err);
    yield { type: "error", ...failure };
  }
}
