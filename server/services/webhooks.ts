import "server-only";
/**
 * Alert channels (webhooks and email). A webhook's signing secret is generated here, returned
 * once from `createChannel`, stored encrypted (AES-256-GCM, bound to the workspace) and never
 * logged or shown again. Disabled channels keep the reason for admins; `enableChannel` resets.
 */
import { and, desc, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { alertChannels, type AlertChannel, type AlertPriority } from "@/server/db/schema";
import { encryptSecret } from "@/server/db/secrets";
import { generateWebhookSecret } from "@/server/alerts/signature";
import { assertUserTarget } from "@/server/http/outbound";
import { recordAudit } from "./audit";
import type { WorkspaceCaller } from "@/server/auth/access";

/** A channel as shown to admins: never the secret. */
export type ChannelView = Omit<AlertChannel, "secretEnc"> & { hasSecret: boolean };

function view(c: AlertChannel): ChannelView {
  const { secretEnc, ...rest } = c;
  return { ...rest, hasSecret: Boolean(secretEnc) };
}

export async function createChannel(
  db: Db,
  caller: WorkspaceCaller,
  input: { kind: "webhook" | "email"; name: string; target: string; minPriority: AlertPriority },
): Promise<{ channel: ChannelView; secret: string | null }> {
  // A webhook must point at a public address (LAB_OUTBOUND_ALLOW aside); every delivery checks again after DNS.
  if (input.kind === "webhook") await assertUserTarget("target", input.target);
  const secret = input.kind === "webhook" ? generateWebhookSecret() : null;
  const row = await db.transaction(async (tx) => {
    const [c] = await tx
      .insert(alertChannels)
      .values({
        workspaceId: caller.workspaceId,
        kind: input.kind,
        name: input.name,
        target: input.target,
        minPriority: input.minPriority,
        secretEnc: secret ? encryptSecret(secret, caller.workspaceId) : null,
        createdBy: caller.actor.userId ?? caller.actor.id,
      })
      .returning();
    await recordAudit(tx, {
      action: "alert_channel.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_channel", id: c.id },
      metadata: { kind: c.kind, name: c.name },
    });
    return c;
  });
  return { channel: view(row), secret };
}

export async function listChannels(db: DbOrTx, workspaceId: string): Promise<ChannelView[]> {
  return (
    await db
      .select()
      .from(alertChannels)
      .where(eq(alertChannels.workspaceId, workspaceId))
      .orderBy(desc(alertChannels.createdAt))
  ).map(view);
}

export async function setChannelEnabled(
  db: Db,
  caller: WorkspaceCaller,
  channelId: string,
  enabled: boolean,
): Promise<ChannelView> {
  return db.transaction(async (tx) => {
    const [c] = await tx
      .update(alertChannels)
      .set(
        enabled
          ? { enabled: true, consecutiveFailures: 0, disabledAt: null, disabledReason: null }
          : { enabled: false, disabledAt: new Date(), disabledReason: "Disabled by an admin." },
      )
      .where(and(eq(alertChannels.id, channelId), eq(alertChannels.workspaceId, caller.workspaceId)))
      .returning();
    if (!c) throw new AppError("NOT_FOUND", "Channel not found.");
    await recordAudit(tx, {
      action: enabled ? "alert_channel.enabled" : "alert_channel.disabled",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_channel", id: channelId },
    });
    return view(c);
  });
}

export async function deleteChannel(db: Db, caller: WorkspaceCaller, channelId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx
      .delete(alertChannels)
      .where(and(eq(alertChannels.id, channelId), eq(alertChannels.workspaceId, caller.workspaceId)))
      .returning({ id: alertChannels.id });
    if (rows.length === 0) throw new AppError("NOT_FOUND", "Channel not found.");
    await recordAudit(tx, {
      action: "alert_channel.deleted",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "alert_channel", id: channelId },
    });
  });
}
