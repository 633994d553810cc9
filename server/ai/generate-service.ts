import "server-only";
/**
 * Generation for a workspace: picks the model (the workspace's keys over the server's, the
 * offline generator when none), its prompt templates and a sample of the universe, runs the
 * pipeline and saves the result as a new strategy or a new version (`source: "generated"`).
 */
import { env } from "@/lib/env";
import type { Db } from "@/server/db";
import { recordAudit } from "@/server/services/audit";
import { consumeLimit, peekLimit, type LimitSpec } from "@/server/services/rate-limit";
import { createStrategy, getVersion, saveVersion } from "@/server/services/strategies";
import { runGenerationPipeline, type GenerationEvent, type GenerationRecord } from "./pipeline";
import { defaultModelId, listModels, resolveModel, UnknownModelError } from "./providers";
import { universeSample } from "./universe-data";
import { effectiveCredentials } from "./workspace-keys";
import { templatesInUse } from "./workspace-prompts";
import type { WorkspaceCaller } from "@/server/auth/access";

export interface GenerateInput {
  request: string;
  /** Name of a new strategy (default: the name the generated code declares). */
  name?: string;
  model?: string;
  universe?: string;
  /** Save as a new version of this strategy instead of a new strategy. */
  strategyId?: string;
  /** Improve this strategy's latest version (implies strategyId). */
  improve?: boolean;
  maxAttempts?: number;
}

export async function* generateForWorkspace(
  db: Db,
  caller: WorkspaceCaller,
  input: GenerateInput,
  signal?: AbortSignal,
): AsyncGenerator<GenerationEvent> {
  const creds = await effectiveCredentials(db, caller.workspaceId);
  const models = listModels(creds);
  let resolved;
  try {
    resolved = resolveModel(input.model ?? defaultModelId(models), creds);
  } catch (err) {
    if (err instanceof UnknownModelError) {
      yield { type: "error", code: "INVALID", message: err.message, retryable: false, retryAfterSeconds: null };
      return;
    }
    throw err;
  }
  // Hosted models spend real tokens: a daily per-workspace budget (LAB_LLM_TOKENS_PER_DAY).
  const budget: LimitSpec = {
    points: env().LAB_LLM_TOKENS_PER_DAY,
    durationSeconds: 86_400,
    message: "This workspace has used its daily LLM token budget.",
  };
  if (!resolved.info.offline) {
    const spent = await peekLimit(db, "workspace-llm-tokens", caller.workspaceId, budget);
    if (spent.consumed >= budget.points) {
      const message = `This workspace has used its daily budget of ${budget.points.toLocaleString("en-US")} LLM tokens. The offline template generator still works; the budget renews in ${Math.ceil(spent.resetSeconds / 60)} min.`;
      yield { type: "error", code: "RATE_LIMIT", message, retryable: true, retryAfterSeconds: spent.resetSeconds };
      return;
    }
  }
  const [{ templates, versions: promptTemplates }, sample, base] = await Promise.all([
    templatesInUse(db, caller.workspaceId),
    universeSample(db, caller.workspaceId, input.universe ?? "demo-500", 20),
    input.improve && input.strategyId ? getVersion(db, caller.workspaceId, input.strategyId) : Promise.resolve(null),
  ]);
  const save = async (code: string, name: string, record: GenerationRecord) => {
    // The prompt-template versions used are stored with the version, beside prompt and model.
    const generation = { ...record, promptTemplates } as unknown as Record<string, unknown>;
    if (input.strategyId) {
      const v = await saveVersion(db, caller, {
        strategyId: input.strategyId,
        code,
        source: input.improve ? "improved" : "generated",
        generation,
        note: `Generated: ${input.request.slice(0, 200)}`,
      });
      return { strategyId: v.strategyId, version: v.version, name };
    }
    const { strategy, version } = await createStrategy(db, caller, {
      name: input.name,
      code,
      source: "generated",
      generation,
    });
    return { strategyId: strategy.id, version: version.version, name: strategy.name };
  };
  let finalEvent: GenerationEvent | null = null;
  let tokens = 0;
  for await (const event of runGenerationPipeline({
    request: input.request,
    model: resolved.model,
    modelInfo: resolved.info,
    templates,
    universe: sample ?? undefined,
    baseCode: base?.version.code,
    maxAttempts: input.maxAttempts,
    signal,
    timeoutMs: env().LAB_AI_TIMEOUT_MS,
    save,
  })) {
    if (event.type === "error" || event.type === "done") finalEvent = event;
    if (event.type === "usage") tokens = event.totalTokens;
    yield event;
  }
  if (!resolved.info.offline && tokens > 0) {
    // The tokens are spent whatever the limiter answers; going over only blocks the next request.
    await consumeLimit(db, "workspace-llm-tokens", caller.workspaceId, budget, tokens).catch(() => undefined);
  }
  if (finalEvent?.type === "error" && finalEvent.code !== "ABORTED") {
    await recordAudit(db, {
      action: "strategy.generation_failed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      metadata: { model: resolved.info.id, code: finalEvent.code },
    });
  }
}
