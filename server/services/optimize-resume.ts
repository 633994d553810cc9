import "server-only";
import { and, eq } from "drizzle-orm";
import { AppError } from "@/lib/errors";
import type { RunSpec } from "@/lib/schemas/runs";
import type { DbOrTx } from "@/server/db";
import { runs, TERMINAL_RUN_STATUSES } from "@/server/db/schema";

export type OptimizeInput = Extract<RunSpec, { kind: "optimize" }> & { version?: number };

/** The run a resumed study continues: an optimize run of this workspace and strategy that has stopped. */
export async function checkResumeOf(db: DbOrTx, workspaceId: string, strategyId: string, runId: string) {
  const [row] = await db
    .select({ kind: runs.kind, status: runs.status, input: runs.input })
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.workspaceId, workspaceId)))
    .limit(1);
  const bad = (message: string) => new AppError("UNPROCESSABLE", message, { fieldErrors: { resumeOf: [message] } });
  if (!row || row.kind !== "optimize") throw bad("resumeOf: no optimize run with that id in this workspace.");
  if ((row.input as OptimizeInput).strategyId !== strategyId)
    throw bad("resumeOf: that study optimizes another strategy.");
  if (!TERMINAL_RUN_STATUSES.includes(row.status))
    throw bad("resumeOf: that study is still running; resume it once it has stopped.");
  return row.input as OptimizeInput;
}
