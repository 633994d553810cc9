import "server-only";
/**
 * POST /api/v1/strategies with a `prompt`: the same generation as the Lab (the workspace's model
 * or the offline generator), run to the end and saved as a new strategy. The pipeline's
 * failure codes become the REST error codes.
 */
import { AppError, type AppErrorCode } from "@/lib/errors";
import type { Strategy } from "@/server/db/schema";
import { generateForWorkspace } from "@/server/ai/generate-service";
import type { GenerationErrorCode } from "@/server/ai/provider-errors";
import { getStrategyOrThrow } from "@/server/services/strategies";
import type { RestContext } from "../rest";

const ERROR_CODES: Record<GenerationErrorCode, AppErrorCode> = {
  INVALID: "INVALID_INPUT",
  RATE_LIMIT: "LIMIT_EXCEEDED",
  AUTH: "UNAVAILABLE",
  TIMEOUT: "UNAVAILABLE",
  UNAVAILABLE: "UNAVAILABLE",
  ABORTED: "UNAVAILABLE",
  REFUSAL: "UNPROCESSABLE",
  MALFORMED: "UNPROCESSABLE",
  FAILED: "UNPROCESSABLE",
};

/** Generate from `prompt` and save; returns the new strategy. Throws AppError on failure. */
export async function generateStrategyFromPrompt(
  ctx: RestContext,
  input: { prompt: string; model?: string; name?: string },
  signal?: AbortSignal,
): Promise<Strategy> {
  let strategyId: string | null = null;
  for await (const event of generateForWorkspace(
    ctx.db,
    ctx.caller,
    { request: input.prompt, model: input.model, name: input.name },
    signal,
  )) {
    if (event.type === "saved") strategyId = event.strategyId;
    if (event.type === "error") {
      throw new AppError(ERROR_CODES[event.code], event.message, {
        retryAfterSeconds: event.retryAfterSeconds ?? undefined,
      });
    }
  }
  if (!strategyId)
    throw new AppError("UNPROCESSABLE", "The generator finished without a strategy. Try rephrasing the prompt.");
  return getStrategyOrThrow(ctx.db, ctx.caller.workspaceId, strategyId);
}
