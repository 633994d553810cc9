import "server-only";
/** A saved screen's cron fired: start a batch run of it on behalf of the system. */
import { eq } from "drizzle-orm";
import type { Db } from "@/server/db";
import { screens } from "@/server/db/schema";
import { runScreenNow } from "@/server/services/screens";

export async function handleScreenSchedule(db: Db, data: { screenId: string }): Promise<void> {
  const [screen] = await db.select().from(screens).where(eq(screens.id, data.screenId)).limit(1);
  if (!screen || screen.archivedAt) return;
  await runScreenNow(
    db,
    { actor: { type: "system", id: null, label: "schedule" }, workspaceId: screen.workspaceId, role: null },
    screen.id,
    "schedule",
  );
}
