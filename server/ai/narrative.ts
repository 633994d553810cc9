import "server-only";
/**
 * The model's short market narrative as structured output, validated with zod. Only asked of
 * hosted models; the offline generator has nothing to say about markets.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { generateText, Output } from "ai";
import { z } from "zod";
import { describeRegime, type MarketRegime } from "./market-context";
import { renderTemplate } from "./prompts";

export const marketNarrativeSchema = z.object({
  narrative: z.string().min(1).max(1200),
  bias: z.enum(["bullish", "bearish", "neutral"]),
  notes: z.array(z.string().max(300)).max(3),
});
export type MarketNarrative = z.infer<typeof marketNarrativeSchema>;

/** Asks `model` for the narrative; throws the provider's error or NoObjectGeneratedError on malformed output. */
export async function marketNarrative(
  model: LanguageModelV4,
  args: {
    template: string;
    regime: MarketRegime;
    universe: string;
    request: string;
    signal?: AbortSignal;
    timeoutMs?: number;
  },
): Promise<{ narrative: MarketNarrative; inputTokens: number; outputTokens: number }> {
  const prompt = renderTemplate(args.template, {
    universe: args.universe,
    regime: args.regime.regime,
    stats: describeRegime(args.regime),
    request: args.request,
  });
  const result = await generateText({
    model,
    prompt,
    output: Output.object({ schema: marketNarrativeSchema }),
    abortSignal: args.signal,
    maxRetries: 1,
    timeout: args.timeoutMs,
  });
  return {
    narrative: result.output,
    inputTokens: result.usage.inputTokens ?? 0,
    outputTokens: result.usage.outputTokens ?? 0,
  };
}
