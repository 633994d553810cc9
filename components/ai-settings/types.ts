import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/api/root";

type Outputs = inferRouterOutputs<AppRouter>;

/** A provider a workspace may store a key for (the `providers.remove` input). */
export type ProviderName = inferRouterInputs<AppRouter>["providers"]["remove"]["provider"];

/** One model of the picker, as the browser receives it (no key material). */
export type ModelRow = Outputs["providers"]["models"]["models"][number];
/** A stored workspace key as the browser receives it: a hint, never the key. */
export type ProviderKeyRow = Outputs["providers"]["list"][number];
/** One prompt template with its default text, current text and placeholder contract. */
export type TemplateRow = Outputs["prompts"]["list"][number];
/** One saved version of a template override (`text: null` = back to the default). */
export type TemplateVersionRow = Outputs["prompts"]["history"][number];

/** Providers a workspace may store a key for, in the order the form offers them. */
export const KEY_PROVIDERS: readonly { value: ProviderName; label: string }[] = [
  { value: "openai", label: "OpenAI" },
  { value: "anthropic", label: "Anthropic" },
  { value: "google", label: "Google" },
  { value: "openai-compatible", label: "OpenAI-compatible endpoint (Ollama, vLLM, LM Studio, OpenRouter)" },
];

export function providerLabel(provider: string): string {
  if (provider === "offline") return "Offline template generator";
  return KEY_PROVIDERS.find((p) => p.value === provider)?.label.replace(/ \(.*\)$/, "") ?? provider;
}

export function originLabel(origin: ModelRow["origin"]): string {
  return origin === "builtin" ? "built in" : origin === "env" ? "server environment" : "workspace key";
}
