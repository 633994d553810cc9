import "server-only";
/**
 * The model registry: the offline rule generator (always there), plus models of every
 * provider with credentials — from the server environment or a workspace's own stored keys.
 * Model ids read "provider:model" (e.g. "openai:gpt-4.1-mini", "offline:template").
 * Credentials stay on the server: {@link ModelInfo} carries no key material.
 */
import { createAnthropic } from "@ai-sdk/anthropic";
import { createGoogle } from "@ai-sdk/google";
import { createOpenAI } from "@ai-sdk/openai";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { env } from "@/lib/env";
import { createOfflineModel, OFFLINE_MODEL_ID, type OfflineModelOptions } from "./offline-generator";
import { guardedFetch } from "@/server/http/outbound";
import { registerSecret } from "@/server/ops/log";
import { resilientModel } from "./resilient-model";

/** `fetch` for endpoints a workspace chose: through the outbound address rules. */
const outboundFetch: typeof fetch = (input, init) => guardedFetch(input, init);

export const PROVIDERS = ["openai", "anthropic", "google", "openai-compatible"] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const PROVIDER_LABELS: Record<ProviderName | "offline", string> = {
  openai: "OpenAI",
  anthropic: "Anthropic",
  google: "Google",
  "openai-compatible": "OpenAI-compatible endpoint",
  offline: "Offline rule generator",
};

/** Models listed when a provider has a key but no explicit model list. */
export const DEFAULT_MODELS: Record<Exclude<ProviderName, "openai-compatible">, string[]> = {
  openai: ["gpt-4.1-mini", "gpt-4.1", "o4-mini"],
  anthropic: ["claude-sonnet-4-5", "claude-haiku-4-5"],
  google: ["gemini-2.5-flash", "gemini-2.5-pro"],
};

/** Credentials of one provider (server-side only). */
export interface ProviderCredentials {
  provider: ProviderName;
  apiKey: string | null;
  baseUrl?: string | null;
  models: string[];
  origin: "env" | "workspace";
}

/** One entry of the model picker (safe to send to the browser). */
export interface ModelInfo {
  id: string;
  provider: ProviderName | "offline";
  modelId: string;
  label: string;
  /** true for the offline rule generator, which the UI labels plainly as such. */
  offline: boolean;
  origin: "builtin" | "env" | "workspace";
}

const list = (raw: string | undefined) =>
  (raw ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

/** Credentials configured in the server environment. */
export function envCredentials(): ProviderCredentials[] {
  const e = env();
  const out: ProviderCredentials[] = [];
  if (e.OPENAI_API_KEY)
    out.push({
      provider: "openai",
      apiKey: e.OPENAI_API_KEY,
      models: list(e.OPENAI_MODELS).length ? list(e.OPENAI_MODELS) : DEFAULT_MODELS.openai,
      origin: "env",
    });
  if (e.ANTHROPIC_API_KEY)
    out.push({
      provider: "anthropic",
      apiKey: e.ANTHROPIC_API_KEY,
      models: list(e.ANTHROPIC_MODELS).length ? list(e.ANTHROPIC_MODELS) : DEFAULT_MODELS.anthropic,
      origin: "env",
    });
  if (e.GOOGLE_GENERATIVE_AI_API_KEY)
    out.push({
      provider: "google",
      apiKey: e.GOOGLE_GENERATIVE_AI_API_KEY,
      models: list(e.GOOGLE_MODELS).length ? list(e.GOOGLE_MODELS) : DEFAULT_MODELS.google,
      origin: "env",
    });
  if (e.OPENAI_COMPATIBLE_BASE_URL && list(e.OPENAI_COMPATIBLE_MODELS).length > 0)
    out.push({
      provider: "openai-compatible",
      apiKey: e.OPENAI_COMPATIBLE_API_KEY ?? null,
      baseUrl: e.OPENAI_COMPATIBLE_BASE_URL,
      models: list(e.OPENAI_COMPATIBLE_MODELS),
      origin: "env",
    });
  return out;
}

/** Workspace keys win over the environment for the same provider. */
export function mergeCredentials(
  envCreds: ProviderCredentials[],
  workspaceCreds: ProviderCredentials[],
): ProviderCredentials[] {
  const byProvider = new Map<ProviderName, ProviderCredentials>();
  for (const c of envCreds) byProvider.set(c.provider, c);
  for (const c of workspaceCreds) byProvider.set(c.provider, c);
  return PROVIDERS.flatMap((p) => byProvider.get(p) ?? []);
}

export const OFFLINE_MODEL: ModelInfo = {
  id: OFFLINE_MODEL_ID,
  provider: "offline",
  modelId: "template",
  label: "Offline rule generator (no AI model)",
  offline: true,
  origin: "builtin",
};

/** Every model that can be picked with these credentials; the offline generator is always last. */
export function listModels(creds: ProviderCredentials[]): ModelInfo[] {
  const models: ModelInfo[] = creds.flatMap((c) =>
    c.models.map((m) => ({
      id: `${c.provider}:${m}`,
      provider: c.provider,
      modelId: m,
      label: `${PROVIDER_LABELS[c.provider]} · ${m}`,
      offline: false,
      origin: c.origin,
    })),
  );
  return [...models, OFFLINE_MODEL];
}

/** LAB_DEFAULT_MODEL when it is available, else the first configured model, else the offline generator. */
export function defaultModelId(models: ModelInfo[]): string {
  const wanted = env().LAB_DEFAULT_MODEL;
  if (wanted && models.some((m) => m.id === wanted)) return wanted;
  return models[0]?.id ?? OFFLINE_MODEL_ID;
}

/** A model id that names no available model. */
export class UnknownModelError extends Error {
  constructor(id: string, available: ModelInfo[]) {
    super(`Model "${id}" is not available. Available: ${available.map((m) => m.id).join(", ")}.`);
    this.name = "UnknownModelError";
  }
}

/** The language model for `id`; throws {@link UnknownModelError} when it is not configured. */
export function resolveModel(
  id: string,
  creds: ProviderCredentials[],
  offline: OfflineModelOptions = {},
): { model: LanguageModelV4; info: ModelInfo } {
  const models = listModels(creds);
  const info = models.find((m) => m.id === id);
  if (!info) throw new UnknownModelError(id, models);
  if (info.provider === "offline") return { model: createOfflineModel(offline), info };
  const c = creds.find((x) => x.provider === info.provider);
  if (!c) throw new UnknownModelError(id, models);
  const apiKey = c.apiKey ?? undefined;
  registerSecret(apiKey); // never written to a log line, whatever error text carries it
  return { model: resilientModel(hostedModel(c, info, apiKey), c.provider), info };
}

function hostedModel(c: ProviderCredentials, info: ModelInfo, apiKey: string | undefined): LanguageModelV4 {
  switch (c.provider) {
    case "openai":
      return createOpenAI({ apiKey })(info.modelId);
    case "anthropic":
      return createAnthropic({ apiKey })(info.modelId);
    case "google":
      return createGoogle({ apiKey })(info.modelId);
    case "openai-compatible":
      // A workspace's own base URL goes through the outbound address rules; the operator's (env) is trusted.
      return createOpenAICompatible({
        name: "openai-compatible",
        baseURL: c.baseUrl ?? "",
        apiKey,
        fetch: c.origin === "workspace" ? outboundFetch : undefined,
      })(info.modelId);
  }
}
