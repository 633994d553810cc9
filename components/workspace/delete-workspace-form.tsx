"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { errorMessage, FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { useWorkspace } from "./workspace-context";

/** Owners: delete the workspace after typing its slug. */
export function DeleteWorkspaceForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.workspaces.delete.mutationOptions());
  const [confirmSlug, setConfirmSlug] = useState("");
  const [error, setError] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    try {
      await remove.mutateAsync({ workspaceId: ws.id, confirmSlug });
      router.push("/w");
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3" data-testid="delete-form">
      <Field
        label={`Type "${ws.slug}" to confirm`}
        htmlFor="delete-confirm"
        hint="This deletes the workspace with its strategies, runs and keys. It cannot be undone."
      >
        <Input
          id="delete-confirm"
          autoComplete="off"
          value={confirmSlug}
          onChange={(e) => setConfirmSlug(e.target.value)}
          data-testid="delete-confirm"
        />
      </Field>
      <FormError message={error} testId="delete-error" />
      <div>
        <Button
          type="submit"
          variant="danger"
          disabled={confirmSlug !== ws.slug || remove.isPending}
          data-testid="delete-submit"
        >
          Delete workspace
        </Button>
      </div>
    </form>
  );
}
