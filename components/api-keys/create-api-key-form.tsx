"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useRefreshingAction } from "@/components/workspace/use-refreshing-action";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { API_KEY_SCOPES, type ApiKeyScope } from "@/lib/roles";
import { KeyReveal } from "./key-reveal";

const SCOPE_HELP: Record<ApiKeyScope, string> = {
  read: "read strategies, runs and members",
  run: "create strategies, start and cancel runs, publish reports",
  admin: "manage members, invites, keys and settings",
};

/** Name, scopes and expiry of a new key; the full key is revealed once after creation. */
export function CreateApiKeyForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const create = useMutation(trpc.apiKeys.create.mutationOptions());
  const { run, error, setError, pending } = useRefreshingAction();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<ApiKeyScope[]>(["read"]);
  const [never, setNever] = useState(false);
  const [days, setDays] = useState("90");
  const [created, setCreated] = useState<string | null>(null);

  function toggle(scope: ApiKeyScope, on: boolean) {
    setScopes((s) => (on ? [...new Set([...s, scope])] : s.filter((x) => x !== scope)));
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setCreated(null);
    if (scopes.length === 0) return setError("Choose at least one scope.");
    const expiresInDays = never ? null : Number(days);
    const key = await run(() => create.mutateAsync({ workspaceId: ws.id, name, scopes, expiresInDays }));
    if (key) {
      setCreated(key.key);
      setName("");
    }
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-col gap-4" data-testid="api-key-form">
        <Field label="Name" htmlFor="api-key-name" hint="What uses it, e.g. “nightly backtests (CI)”.">
          <Input
            id="api-key-name"
            required
            maxLength={80}
            value={name}
            onChange={(e) => setName(e.target.value)}
            data-testid="api-key-name"
          />
        </Field>
        <fieldset className="flex flex-col gap-1">
          <legend className="mb-1 text-sm font-medium text-slate-700">Scopes</legend>
          {API_KEY_SCOPES.map((s) => (
            <label key={s} className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={scopes.includes(s)}
                onChange={(e) => toggle(s, e.target.checked)}
                data-testid={`api-key-scope-${s}`}
              />
              <span className="font-medium">{s}</span>
              <span className="text-slate-500">— {SCOPE_HELP[s]}</span>
            </label>
          ))}
        </fieldset>
        <div className="flex flex-wrap items-end gap-4">
          <div className="w-40">
            <Field label="Expires in (days)" htmlFor="api-key-days">
              <Input
                id="api-key-days"
                type="number"
                min={1}
                max={3650}
                required={!never}
                disabled={never}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                data-testid="api-key-expiry-days"
              />
            </Field>
          </div>
          <label className="flex items-center gap-2 pb-2 text-sm">
            <input
              type="checkbox"
              checked={never}
              onChange={(e) => setNever(e.target.checked)}
              data-testid="api-key-never-expires"
            />
            Never expires
          </label>
          <Button type="submit" disabled={pending} data-testid="api-key-submit">
            {pending ? "Creating…" : "Create key"}
          </Button>
        </div>
      </form>
      <FormError message={error} testId="api-key-error" />
      {created ? <KeyReveal apiKey={created} onDone={() => setCreated(null)} /> : null}
    </div>
  );
}
