import "server-only";
/** Finished results per strategy version (for comparing versions). */
import { and, desc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "@/server/db";
import { runs } from "@/server/db/schema";
import { getRun, type RunView } from "./runs";

/**
 * The newest finished backtest of one strategy version in the workspace (null when it has none):
 * what "this version's results" means when two versions are compared.
 */
export async function latestBacktestOfVersion(
  db: DbOrTx,
  workspaceId: string,
  strategyId: string,
  version: number,
): Promise<RunView | null> {
  const [row] = await db
    .select({ id: runs.id })
    .from(runs)
    .where(
      and(
        eq(runs.workspaceId, workspaceId),
        eq(runs.kind, "backtest"),
        eq(runs.status, "succeeded"),
        sql`${runs.input}->>'strategyId' = ${strategyId}`,
        sql`${runs.input}->>'version' = ${String(version)}`,
      ),
    )
    .orderBy(desc(runs.createdAt))
    .limit(1);
  return row ? getRun(db, workspaceId, row.id) : null;
}
