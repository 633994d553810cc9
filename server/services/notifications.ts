import "server-only";
/** In-app notifications of a workspace: a page of recent ones, and a live feed of new ones. */
import { and, desc, eq, gt, inArray } from "drizzle-orm";
import type { Role } from "@/lib/roles";
import type { DbOrTx } from "@/server/db";
import { notifications, type Notification } from "@/server/db/schema";

/** Channel problems go to admins and owners (and API keys, which passed channels scope checks elsewhere). */
function audiences(role: Role | null): ("all" | "admins")[] {
  return role === "owner" || role === "admin" ? ["all", "admins"] : ["all"];
}

export async function listNotifications(
  db: DbOrTx,
  workspaceId: string,
  role: Role | null,
  limit = 30,
): Promise<Notification[]> {
  return db
    .select()
    .from(notifications)
    .where(and(eq(notifications.workspaceId, workspaceId), inArray(notifications.audience, audiences(role))))
    .orderBy(desc(notifications.createdAt))
    .limit(limit);
}

/** New notifications as they arrive (polls every ~1 s) until `signal` aborts. */
export async function* watchNotifications(
  db: DbOrTx,
  workspaceId: string,
  role: Role | null,
  signal?: AbortSignal,
): AsyncGenerator<Notification> {
  let since = new Date();
  while (!signal?.aborted) {
    const rows = await db
      .select()
      .from(notifications)
      .where(
        and(
          eq(notifications.workspaceId, workspaceId),
          inArray(notifications.audience, audiences(role)),
          gt(notifications.createdAt, since),
        ),
      )
      .orderBy(notifications.createdAt)
      .limit(100);
    for (const r of rows) {
      since = r.createdAt;
      yield r;
    }
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, 1000);
      signal?.addEventListener(
        "abort",
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  }
}
