"use client";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge, roleTone } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { EmptyState } from "@/components/ui/empty-state";
import { FormError } from "@/components/ui/form-error";
import { formatDate, formatDateTime } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { useRefreshingAction } from "./use-refreshing-action";
import { useWorkspace } from "./workspace-context";

export interface OpenInvite {
  id: string;
  role: string;
  createdAt: Date | string;
  expiresAt: Date | string;
}

/** Invites that can still be accepted, each revocable. */
export function InvitesList({ invites }: { invites: readonly OpenInvite[] }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const revoke = useMutation(trpc.invites.revoke.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  if (invites.length === 0) return <EmptyState title="No open invites" data-testid="invites-empty" />;
  return (
    <div className="flex flex-col gap-3">
      <FormError message={error} testId="invites-error" />
      <Table data-testid="invites-table">
        <thead>
          <tr>
            <Th>Role</Th>
            <Th>Created</Th>
            <Th>Expires</Th>
            <Th className="text-right">Actions</Th>
          </tr>
        </thead>
        <tbody>
          {invites.map((i) => (
            <tr key={i.id} data-testid="invite-row">
              <Td>
                <Badge tone={roleTone(i.role)}>{i.role}</Badge>
              </Td>
              <Td className="text-slate-500">{formatDate(i.createdAt)}</Td>
              <Td className="text-slate-500">{formatDateTime(i.expiresAt)}</Td>
              <Td className="text-right">
                <ConfirmButton
                  testId="invite-revoke"
                  question="Revoke this link?"
                  confirmLabel="Revoke"
                  disabled={pending}
                  onConfirm={() => void run(() => revoke.mutateAsync({ workspaceId: ws.id, inviteId: i.id }))}
                >
                  Revoke
                </ConfirmButton>
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
