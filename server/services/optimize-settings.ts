import "server-only";
/**
 * Per-workspace optimization settings: the most grid points a study may have (workspace column
 * optimize_grid_limit; null = {@link DEFAULT_GRID_LIMIT}). A grid over it is refused before
 * anything is queued, with a message that states the limit.
 */
import { eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import { DEFAULT_GRID_LIMIT } from "@/lib/modes/optimize";
import type { Db, DbOrTx } from "@/server/db";
import { workspaces } from "@/server/db/schema";
import type { WorkspaceCaller } from "@/server/auth/access";
import { recordAudit } from "./audit";

/** Highest grid limit a workspace may set. */
export const MAX_GRID_LIMIT = 10_000_000;

export async function getGridLimit(db: DbOrTx, workspaceId: string): Promise<number> {
  const [row] = await db
    .select({ limit: workspaces.optimizeGridLimit })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .limit(1);
  return row?.limit ?? DEFAULT_GRID_LIMIT;
}

/** Set the workspace's grid limit (null = back to the default). */
export async function setGridLimit(db: Db, caller: WorkspaceCaller, limit: number | null) {
  if (limit !== null && (!Number.isInteger(limit) || limit < 1 || limit > MAX_GRID_LIMIT))
    throw new AppError(
      "INVALID_INPUT",
      `gridLimit: a whole number from 1 to ${MAX_GRID_LIMIT.toLocaleString("en-US")}.`,
      {
        fieldErrors: { gridLimit: ["out of range"] },
      },
    );
  return db.transaction(async (tx) => {
    await tx.update(workspaces).set({ optimizeGridLimit: limit }).where(eq(workspaces.id, caller.workspaceId));
    await recordAudit(tx, {
      action: "workspace.optimize_settings_changed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "workspace", id: caller.workspaceId },
      metadata: { gridLimit: limit },
    });
    return { gridLimit: limit ?? DEFAULT_GRID_LIMIT, isDefault: limit === null };
  });
}
