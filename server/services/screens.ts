import "server-only";
/**
 * Saved screens: strategy + universe + optional cron schedule. Running one starts a "screen" run
 * linked to it (run.screen_id), so its history is its runs; results export as CSV.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { z } from "zod";
import { AppError } from "@/lib/errors";
import type { screenFields } from "@/lib/schemas/screens";
import type { Db, DbOrTx } from "@/server/db";
import { screens, type Screen } from "@/server/db/schema";
import { getBoss } from "@/server/jobs/boss";
import { SCREEN_SCHEDULE_QUEUE } from "@/server/jobs/queues";
import { recordAudit } from "./audit";
import { getRun, listRuns, startRun } from "./runs";
import { getStrategyOrThrow } from "./strategies";
import type { WorkspaceCaller } from "@/server/auth/access";

export type ScreenFields = z.infer<typeof screenFields>;

async function syncSchedule(screen: Screen): Promise<void> {
  try {
    const boss = await getBoss();
    if (screen.schedule && !screen.archivedAt)
      await boss.schedule(SCREEN_SCHEDULE_QUEUE, screen.schedule, { screenId: screen.id }, { key: screen.id });
    else await boss.unschedule(SCREEN_SCHEDULE_QUEUE, screen.id);
  } catch (err) {
    console.warn(`[screens] schedule of ${screen.id} not updated:`, err instanceof Error ? err.message : err);
  }
}

export async function createScreen(db: Db, caller: WorkspaceCaller, f: ScreenFields): Promise<Screen> {
  await getStrategyOrThrow(db, caller.workspaceId, f.strategyId);
  const screen = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(screens)
      .values({
        workspaceId: caller.workspaceId,
        name: f.name,
        strategyId: f.strategyId,
        strategyVersion: f.strategyVersion ?? null,
        universe: f.universe ?? null,
        symbols: f.symbols ?? null,
        params: f.params,
        limit: f.limit,
        schedule: f.schedule ?? null,
        createdBy: caller.actor.userId ?? caller.actor.id,
      })
      .returning();
    await recordAudit(tx, {
      action: "screen.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "screen", id: row.id },
      metadata: { name: row.name, schedule: row.schedule },
    });
    return row;
  });
  await syncSchedule(screen);
  return screen;
}

export async function getScreen(db: DbOrTx, workspaceId: string, screenId: string): Promise<Screen> {
  const [row] = await db
    .select()
    .from(screens)
    .where(and(eq(screens.id, screenId), eq(screens.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Screen not found.");
  return row;
}

export async function listScreens(db: DbOrTx, workspaceId: string): Promise<Screen[]> {
  return db
    .select()
    .from(screens)
    .where(and(eq(screens.workspaceId, workspaceId), isNull(screens.archivedAt)))
    .orderBy(desc(screens.updatedAt));
}

export async function archiveScreen(db: Db, caller: WorkspaceCaller, screenId: string): Promise<void> {
  const screen = await db.transaction(async (tx) => {
    await getScreen(tx, caller.workspaceId, screenId);
    const [row] = await tx
      .update(screens)
      .set({ archivedAt: new Date(), updatedAt: new Date() })
      .where(eq(screens.id, screenId))
      .returning();
    await recordAudit(tx, {
      action: "screen.archived",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "screen", id: screenId },
    });
    return row;
  });
  await syncSchedule(screen);
}

/** Start a run of a saved screen now. */
export async function runScreenNow(
  db: Db,
  caller: WorkspaceCaller,
  screenId: string,
  origin: "user" | "schedule" = "user",
): Promise<{ runId: string }> {
  const s = await getScreen(db, caller.workspaceId, screenId);
  const started = await startRun(
    db,
    caller,
    {
      kind: "screen",
      strategyId: s.strategyId,
      version: s.strategyVersion ?? undefined,
      universe: s.universe ?? undefined,
      symbols: s.symbols ?? undefined,
      params: s.params,
      limit: s.limit,
      priority: origin === "schedule" ? "batch" : "interactive",
    },
    { origin, screenId },
  );
  await db.update(screens).set({ lastRunId: started.runId, updatedAt: new Date() }).where(eq(screens.id, screenId));
  return started;
}

/** Past runs of a screen, newest first. */
export async function screenHistory(db: DbOrTx, workspaceId: string, screenId: string, limit = 50) {
  await getScreen(db, workspaceId, screenId);
  return listRuns(db, workspaceId, { screenId, limit });
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "";
  let s = String(v);
  if (/^[=+\-@\t\r]/.test(s) && !/^-?\d/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV of a screen run's ranked results with the values behind each rank. */
export async function screenRunCsv(db: DbOrTx, workspaceId: string, runId: string): Promise<string> {
  const run = await getRun(db, workspaceId, runId);
  if (run.kind !== "screen" || run.status !== "succeeded" || !run.result)
    throw new AppError("CONFLICT", "Only a finished screen run can be exported.");
  type Row = {
    rank: number;
    symbol: string;
    score: number | null;
    signal: boolean;
    current_price: number;
    timestamp: string;
    sector?: string;
    data: Record<string, unknown>;
  };
  const rows = (run.result as { ranked_results?: Row[] }).ranked_results ?? [];
  const dataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.data)))];
  const head = ["rank", "symbol", "score", "signal", "current_price", "timestamp", "sector", ...dataKeys];
  const lines = rows.map((r) =>
    [
      r.rank,
      r.symbol,
      r.score,
      r.signal,
      r.current_price,
      r.timestamp,
      r.sector ?? "",
      ...dataKeys.map((k) => r.data[k]),
    ]
      .map(cell)
      .join(","),
  );
  return [head.join(","), ...lines].join("\n") + "\n";
}
