"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { KEY_PROVIDERS, providerLabel, type ProviderName } from "./types";

const splitModels = (raw: string) =>
  raw
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);

/**
 * Stores (or replaces) a workspace provider key. The key lives in this form's state only
 * until the server accepts it; afterwards the page shows the server's hint, never the key.
 */
export function ProviderKeyForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const save = useMutation(trpc.providers.set.mutationOptions());
  const [provider, setProvider] = useState<ProviderName>("openai");
  const [apiKey, setApiKey] = useState("");
  const [baseUrl, setBaseUrl] = useState("");
  const [models, setModels] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const compatible = provider === "openai-compatible";

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setSaved(null);
    const list = splitModels(models);
    try {
      const row = await save.mutateAsync({
        workspaceId: ws.id,
        provider,
        apiKey: apiKey.trim() || undefined,
        baseUrl: compatible ? baseUrl.trim() || undefined : undefined,
        models: list.length > 0 ? list : undefined,
      });
      setApiKey("");
      setSaved(`${providerLabel(row.provider)} saved${row.keyHint ? ` (key ${row.keyHint})` : " (no key)"}.`);
      await queryClient.invalidateQueries({ queryKey: trpc.providers.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="ai-key-form" autoComplete="off">
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Provider" htmlFor="ai-key-provider">
          <Select
            id="ai-key-provider"
            value={provider}
            onChange={(e) => setProvider(e.target.value as ProviderName)}
            options={KEY_PROVIDERS}
            data-testid="ai-key-provider"
          />
        </Field>
        <Field
          label={compatible ? "API key (optional)" : "API key"}
          htmlFor="ai-key-value"
          hint="Encrypted at rest; only its last characters are shown afterwards."
        >
          <Input
            id="ai-key-value"
            type="password"
            autoComplete="new-password"
            spellCheck={false}
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            required={!compatible}
            data-testid="ai-key-value"
          />
        </Field>
        {compatible ? (
          <Field
            label="Base URL"
            htmlFor="ai-key-base-url"
            hint="For example http://localhost:11434/v1 (Ollama) or https://openrouter.ai/api/v1."
          >
            <Input
              id="ai-key-base-url"
              type="url"
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.target.value)}
              required
              data-testid="ai-key-base-url"
            />
          </Field>
        ) : null}
        <Field
          label={compatible ? "Models" : "Models (optional)"}
          htmlFor="ai-key-models"
          hint={
            compatible
              ? "Comma-separated model names the endpoint serves."
              : "Comma-separated; leave empty for the provider's usual models."
          }
        >
          <Input
            id="ai-key-models"
            value={models}
            onChange={(e) => setModels(e.target.value)}
            required={compatible}
            data-testid="ai-key-models"
          />
        </Field>
      </div>
      <div>
        <Button type="submit" disabled={save.isPending} data-testid="ai-key-save">
          {save.isPending ? "Saving…" : "Save key"}
        </Button>
      </div>
      <FormError message={error} testId="ai-key-error" />
      {saved ? (
        <p className="text-sm text-green-700" data-testid="ai-key-saved">
          {saved}
        </p>
      ) : null}
    </form>
  );
}
