import "server-only";
/**
 * The hosted model's structured plan: before it writes code, the model states the request's
 * rules in the rule language (lib/rules, validated with its zod schema) and lists what the
 * language cannot express. The plan is shown beside the code, goes into the code prompt, and is
 * what the faithfulness check compares the code with. Free-form code stays possible for the
 * parts listed as not expressible.
 */
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { generateText, Output } from "ai";
import { z } from "zod";
import { rulePlan, RULES_VERSION, type RulePlan } from "@/lib/rules";

export const modelPlanSchema = z.object({
  /** The rules in the rule language, or null when no entry rule can be expressed in it. */
  plan: rulePlan.nullable(),
  /** Parts of the request the rule language cannot express (they are written as free-form code). */
  notExpressible: z.array(z.string().max(300)).max(10),
});
export type ModelPlan = z.infer<typeof modelPlanSchema>;

/** Instructions for the plan call; the schema itself travels as the structured-output format. */
export function planPrompt(request: string): string {
  return [
    `Rule plan: restate this trading request as a rule plan in the Strategy Lab rule language (version ${RULES_VERSION}).`,
    "Use the request's own numbers; periods are in daily bars (weeks = 5 bars, months = 21).",
    "highest/lowest cover the bars before the current one; roc is a percent change; operand pct scales the right side by (1 + pct/100).",
    "Do not add rules the request does not ask for. List anything the language cannot express in notExpressible; plan is null when no entry rule can be expressed.",
    "",
    `Request: ${request}`,
  ].join("\n");
}

/** Asks `model` for the plan; throws the provider's error or NoObjectGeneratedError when the reply does not fit the schema. */
export async function modelPlan(
  model: LanguageModelV4,
  args: { request: string; signal?: AbortSignal; timeoutMs?: number },
): Promise<{ plan: ModelPlan; inputTokens: number; outputTokens: number }> {
  const result = await generateText({
    model,
    prompt: planPrompt(args.request),
    output: Output.object({ schema: modelPlanSchema }),
    abortSignal: args.signal,
    maxRetries: 1,
    timeout: args.timeoutMs,
  });
  return {
    plan: result.output,
    inputTokens: result.usage.inputTokens ?? 0,
    outputTokens: result.usage.outputTokens ?? 0,
  };
}

/** The part of the code prompt that hands the plan to the model. */
export function planForCodePrompt(plan: RulePlan, notExpressible: string[]): string {
  const extra =
    notExpressible.length > 0
      ? `\nNot expressible in the rule language (write these in code too, with a comment saying so): ${notExpressible.join("; ")}.`
      : "";
  return `\n\nImplement exactly this rule plan (Strategy Lab rule language v${RULES_VERSION}); keep its numbers as the params' defaults:\n${JSON.stringify(plan)}${extra}`;
}
