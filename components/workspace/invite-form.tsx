"use client";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useTRPC } from "@/components/providers/trpc-provider";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/form-error";
import { Field, Input } from "@/components/ui/input";
import { Select } from "@/components/ui/select";
import { CopyLink } from "./copy-link";
import { useRefreshingAction } from "./use-refreshing-action";
import { useWorkspace } from "./workspace-context";

const ROLE_OPTIONS = [
  { value: "viewer", label: "Viewer — reads everything" },
  { value: "member", label: "Member — creates and runs" },
  { value: "admin", label: "Admin — manages members and settings" },
] as const;

type InvitableRole = (typeof ROLE_OPTIONS)[number]["value"];

/** Creates a single-use invite link and shows it once (only its hash is stored). */
export function InviteForm() {
  const ws = useWorkspace();
  const trpc = useTRPC();
  const create = useMutation(trpc.invites.create.mutationOptions());
  const { run, error, pending } = useRefreshingAction();
  const [role, setRole] = useState<InvitableRole>("member");
  const [days, setDays] = useState("7");
  const [link, setLink] = useState<string | null>(null);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    setLink(null);
    const created = await run(() => create.mutateAsync({ workspaceId: ws.id, role, expiresInDays: Number(days) }));
    if (created) setLink(`${window.location.origin}/invite/${created.token}`);
  }

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={onSubmit} className="flex flex-wrap items-end gap-3" data-testid="invite-form">
        <div className="min-w-64 flex-1">
          <Field label="Role" htmlFor="invite-role">
            <Select
              id="invite-role"
              value={role}
              onChange={(e) => setRole(e.target.value as InvitableRole)}
              options={ROLE_OPTIONS}
              data-testid="invite-role"
            />
          </Field>
        </div>
        <div className="w-32">
          <Field label="Expires in (days)" htmlFor="invite-days">
            <Input
              id="invite-days"
              type="number"
              min={1}
              max={30}
              required
              value={days}
              onChange={(e) => setDays(e.target.value)}
              data-testid="invite-expiry-days"
            />
          </Field>
        </div>
        <Button type="submit" disabled={pending} data-testid="invite-submit">
          {pending ? "Creating…" : "Create invite link"}
        </Button>
      </form>
      <FormError message={error} testId="invite-error" />
      {link ? <CopyLink link={link} onDone={() => setLink(null)} /> : null}
    </div>
  );
}
