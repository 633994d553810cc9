"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError, errorMessage } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "@/components/workspace/workspace-context";
import { PRIORITIES, type Priority } from "./priority";
import { SecretReveal } from "./secret-reveal";

/** Add a webhook (URL; its signing secret is shown once) or, when SMTP is configured, an email channel. */
export function CreateChannelForm({ emailConfigured }: { emailConfigured: boolean }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const create = useMutation(trpc.alerts.createChannel.mutationOptions());
  const [kind, setKind] = useState<"webhook" | "email">("webhook");
  const [name, setName] = useState("");
  const [target, setTarget] = useState("");
  const [minPriority, setMinPriority] = useState<Priority>("normal");
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      const res = await create.mutateAsync({ workspaceId: ws.id, kind, name, target, minPriority });
      setSecret(res.secret);
      setName("");
      setTarget("");
      await queryClient.invalidateQueries({ queryKey: trpc.alerts.channels.pathKey() });
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  if (secret) return <SecretReveal secret={secret} onDone={() => setSecret(null)} />;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="create-channel-form">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-4">
        <Field
          label="Kind"
          htmlFor="channel-kind"
          hint={emailConfigured ? undefined : "Email needs SMTP_URL on the server."}
        >
          <Select
            id="channel-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as "webhook" | "email")}
            data-testid="channel-kind"
          >
            <option value="webhook">Webhook</option>
            <option value="email" disabled={!emailConfigured}>
              Email{emailConfigured ? "" : " (not configured)"}
            </option>
          </Select>
        </Field>
        <Field label="Name" htmlFor="channel-name">
          <Input
            id="channel-name"
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={80}
            data-testid="channel-name"
          />
        </Field>
        <Field label={kind === "webhook" ? "URL" : "Address"} htmlFor="channel-target">
          <Input
            id="channel-target"
            type={kind === "webhook" ? "url" : "email"}
            value={target}
            onChange={(e) => setTarget(e.target.value)}
            required
            placeholder={kind === "webhook" ? "https://example.com/hooks/lab" : "desk@example.com"}
            data-testid="channel-target"
          />
        </Field>
        <Field label="From priority" htmlFor="channel-priority">
          <Select
            id="channel-priority"
            value={minPriority}
            onChange={(e) => setMinPriority(e.target.value as Priority)}
            options={PRIORITIES.map((p) => ({ value: p, label: `${p} and above` }))}
            data-testid="channel-priority"
          />
        </Field>
      </div>
      <FormError message={error} />
      <div>
        <Button
          type="submit"
          disabled={!name.trim() || !target.trim() || create.isPending}
          data-testid="create-channel"
        >
          {create.isPending ? "Adding…" : "Add channel"}
        </Button>
      </div>
    </form>
  );
}
