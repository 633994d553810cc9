import Link from "next/link";
import { Badge, roleTone } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button";
import { formatDateTime } from "@/components/ui/format-date";
import { AcceptInviteButton } from "./accept-invite-button";

export type InviteState = "open" | "expired" | "used" | "revoked";

/** Narrows the service's state string; anything unknown is treated as unusable. */
export function toInviteState(state: string): InviteState {
  return state === "open" || state === "expired" || state === "used" ? state : "revoked";
}

const STATE_MESSAGE: Record<Exclude<InviteState, "open">, string> = {
  expired: "This invite has expired. Ask whoever sent it for a new link.",
  used: "This invite has already been used. Each link works once; ask for a new one.",
  revoked: "This invite was revoked. Ask for a new link if you still need access.",
};

export interface InvitePreviewProps {
  token: string;
  invite: { workspaceName: string; workspaceSlug: string; role: string; expiresAt: Date | string; state: InviteState };
  /** null: signed out. */
  viewer: { email: string | null; alreadyMember: boolean } | null;
}

/** What an invite offers and the one next step: sign in / sign up, accept, or why it cannot be used. */
export function InvitePreview({ token, invite, viewer }: InvitePreviewProps) {
  const back = encodeURIComponent(`/invite/${token}`);
  return (
    <div className="flex flex-col gap-4" data-testid="invite-preview" data-state={invite.state}>
      <p>
        You are invited to join <strong data-testid="invite-workspace-name">{invite.workspaceName}</strong> as{" "}
        <Badge tone={roleTone(invite.role)} data-testid="invite-role-badge">
          {invite.role}
        </Badge>
        .
      </p>
      {invite.state !== "open" ? (
        <p
          className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="invite-state-message"
        >
          {STATE_MESSAGE[invite.state]}
        </p>
      ) : viewer === null ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">
            Sign in or create an account to accept. The link stays valid until {formatDateTime(invite.expiresAt)}.
          </p>
          <div className="flex gap-2">
            <Link href={`/sign-in?callbackUrl=${back}`} className={buttonClass("primary")} data-testid="invite-sign-in">
              Sign in
            </Link>
            <Link
              href={`/sign-up?callbackUrl=${back}`}
              className={buttonClass("secondary")}
              data-testid="invite-sign-up"
            >
              Create an account
            </Link>
          </div>
        </div>
      ) : viewer.alreadyMember ? (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600" data-testid="invite-already-member">
            You ({viewer.email}) are already a member of this workspace.
          </p>
          <Link href={`/w/${invite.workspaceSlug}`} className={buttonClass("primary")}>
            Open {invite.workspaceName}
          </Link>
        </div>
      ) : (
        <div className="flex flex-col gap-3">
          <p className="text-sm text-slate-600">Signed in as {viewer.email}.</p>
          <AcceptInviteButton token={token} />
        </div>
      )}
    </div>
  );
}
