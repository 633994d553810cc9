"use client";
import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { ROLE_RANK, ROLES, type Role } from "@/lib/roles";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Select } from "@/components/ui/select";
import { useWorkspace } from "./workspace-context";

/** Role dropdown for one member. Owners change only by transfer; nobody grants above their own rank. */
export function MemberRoleSelect({
  userId,
  role,
  disabled,
  onError,
  onChanged,
}: {
  userId: string;
  role: Role;
  disabled: boolean;
  onError: (message: string | null) => void;
  onChanged: () => void;
}) {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const update = useMutation(trpc.members.updateRole.mutationOptions());
  const [value, setValue] = useState<Role>(role);
  const options = ROLES.filter((r) => r === role || (r !== "owner" && ROLE_RANK[r] <= ROLE_RANK[ws.role]));

  async function change(next: Role) {
    const previous = value;
    setValue(next);
    onError(null);
    try {
      await update.mutateAsync({ workspaceId: ws.id, userId, role: next });
      onChanged();
    } catch (err) {
      setValue(previous);
      onError(err instanceof Error ? err.message : "Could not change the role.");
    }
  }

  return (
    <Select
      aria-label="Role"
      className="w-32 py-1"
      value={value}
      disabled={disabled || update.isPending}
      data-testid="member-role-select"
      data-pending={update.isPending ? "true" : undefined}
      onChange={(e) => void change(e.target.value as Role)}
      options={options.map((r) => ({ value: r, label: r }))}
    />
  );
}
