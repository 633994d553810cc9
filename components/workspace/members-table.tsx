"use client";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ROLE_RANK, type Role } from "@/lib/roles";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Badge, roleTone } from "@/components/ui/badge";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FormError } from "@/components/ui/form-error";
import { formatDate } from "@/components/ui/format-date";
import { Table, Td, Th } from "@/components/ui/table";
import { MemberRoleSelect } from "./member-role-select";
import { useRefreshingAction } from "./use-refreshing-action";
import { useWorkspace } from "./workspace-context";

export interface MemberRow {
  userId: string;
  email: string | null;
  name: string | null;
  role: Role;
  joinedAt: Date | string;
}

/** Members with their role; admins get a role select and "Remove" (not for themselves or owners). */
export function MembersTable({ members, currentUserId }: { members: readonly MemberRow[]; currentUserId: string }) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const remove = useMutation(trpc.members.remove.mutationOptions());
  const { run, error } = useRefreshingAction();
  const [roleError, setRoleError] = useState<string | null>(null);
  const manage = ws.can("members.manage");

  return (
    <div className="flex flex-col gap-3">
      <FormError message={error ?? roleError} testId="members-error" />
      <Table data-testid="members-table">
        <thead>
          <tr>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Joined</Th>
            {manage ? <Th className="text-right">Actions</Th> : null}
          </tr>
        </thead>
        <tbody>
          {members.map((m) => {
            const self = m.userId === currentUserId;
            const locked = self || m.role === "owner" || ROLE_RANK[m.role] > ROLE_RANK[ws.role];
            return (
              <tr key={m.userId} data-testid="member-row" data-email={m.email ?? ""} data-role={m.role}>
                <Td>
                  <span className="font-medium">{m.email}</span>
                  {m.name ? <span className="ml-2 text-slate-500">{m.name}</span> : null}
                  {self ? <span className="ml-2 text-xs text-slate-400">(you)</span> : null}
                </Td>
                <Td>
                  {manage ? (
                    <MemberRoleSelect
                      key={`${m.userId}:${m.role}`}
                      userId={m.userId}
                      role={m.role}
                      disabled={locked}
                      onError={setRoleError}
                      onChanged={() => router.refresh()}
                    />
                  ) : (
                    <Badge tone={roleTone(m.role)} data-testid="member-role">
                      {m.role}
                    </Badge>
                  )}
                </Td>
                <Td className="text-slate-500">{formatDate(m.joinedAt)}</Td>
                {manage ? (
                  <Td className="text-right">
                    {locked ? null : (
                      <ConfirmButton
                        testId="member-remove"
                        question={`Remove ${m.email}?`}
                        confirmLabel="Remove"
                        onConfirm={() => void run(() => remove.mutateAsync({ workspaceId: ws.id, userId: m.userId }))}
                        disabled={remove.isPending}
                      >
                        Remove
                      </ConfirmButton>
                    )}
                  </Td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </Table>
    </div>
  );
}
