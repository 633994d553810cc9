"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { errorMessage, FormError } from "@/components/ui/form-error";
import { useWorkspace } from "./workspace-context";

/** Leaves the workspace (the server refuses for the last owner, with the reason). */
export function LeaveWorkspace() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const leave = useMutation(trpc.workspaces.leave.mutationOptions());
  const [error, setError] = useState<string | null>(null);

  async function onConfirm() {
    setError(null);
    try {
      await leave.mutateAsync({ workspaceId: ws.id });
      router.push("/w");
      router.refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div className="flex flex-col gap-2">
      <div>
        <ConfirmButton
          testId="leave-workspace"
          question={`Leave ${ws.name}? You will need a new invite to come back.`}
          confirmLabel="Leave"
          onConfirm={onConfirm}
          disabled={leave.isPending}
        >
          Leave workspace
        </ConfirmButton>
      </div>
      <FormError message={error} testId="leave-error" />
    </div>
  );
}
