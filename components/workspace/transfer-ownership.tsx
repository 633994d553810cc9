"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { useRefreshingAction } from "./use-refreshing-action";
import { useWorkspace } from "./workspace-context";

/** Owner only: makes another member the owner; you become an admin. */
export function TransferOwnership({ candidates }: { candidates: readonly { userId: string; email: string | null }[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const transfer = useMutation(trpc.workspaces.transferOwnership.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  const [userId, setUserId] = useState("");
  if (candidates.length === 0)
    return <p className="text-sm text-slate-500">Invite someone first: ownership can only go to a member.</p>;
  const target = candidates.find((c) => c.userId === userId);

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-center gap-3">
        <Select
          aria-label="New owner"
          className="w-72"
          value={userId}
          onChange={(e) => setUserId(e.target.value)}
          data-testid="transfer-target"
        >
          <option value="">Choose a member…</option>
          {candidates.map((c) => (
            <option key={c.userId} value={c.userId}>
              {c.email ?? c.userId}
            </option>
          ))}
        </Select>
        <ConfirmButton
          testId="transfer-ownership"
          question={`Make ${target?.email ?? "this member"} the owner? You become an admin.`}
          confirmLabel="Transfer"
          disabled={!target || pending}
          onConfirm={() => void run(() => transfer.mutateAsync({ workspaceId: ws.id, userId }))}
        >
          Transfer ownership
        </ConfirmButton>
      </div>
      <FormError message={error} testId="transfer-error" />
    </div>
  );
}
