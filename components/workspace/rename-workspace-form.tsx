"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useRefreshingAction } from "./use-refreshing-action";
import { useWorkspace } from "./workspace-context";

/** Rename the workspace (admins); others see the field disabled. The slug never changes. */
export function RenameWorkspaceForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const update = useMutation(trpc.workspaces.update.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  const [name, setName] = useState(ws.name);
  const [saved, setSaved] = useState(false);
  const allowed = ws.can("settings.manage");

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setSaved(false);
    const result = await run(() => update.mutateAsync({ workspaceId: ws.id, name }));
    if (result) setSaved(true);
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="rename-form">
      <Field
        label="Workspace name"
        htmlFor="rename-name"
        hint={allowed ? undefined : "Only admins can rename the workspace."}
      >
        <Input
          id="rename-name"
          required
          maxLength={80}
          value={name}
          disabled={!allowed}
          onChange={(e) => setName(e.target.value)}
          data-testid="rename-name"
        />
      </Field>
      <FormError message={error} testId="rename-error" />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={!allowed || pending || name.trim() === ""} data-testid="rename-submit">
          Save name
        </Button>
        {saved ? (
          <span className="text-sm text-emerald-700" data-testid="rename-saved">
            Saved.
          </span>
        ) : null}
      </div>
    </form>
  );
}
