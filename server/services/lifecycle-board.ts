import "server-only";
/** What the lifecycle board shows, as plain data: strategies with their state, decisions, evolutions, the kill switch. */
import { and, eq, isNull } from "drizzle-orm";
import type { DbOrTx, Db } from "@/server/db";
import { forwardTests, lifecycleSettings, strategies } from "@/server/db/schema";
import { listEvolutions } from "./evolutions";
import { listDecisions } from "./lifecycle";

const DAY_MS = 86_400_000;

export async function lifecycleBoard(db: Db & DbOrTx, workspaceId: string) {
  const [rows, decisions, evolutions, settings, forwards] = await Promise.all([
    db
      .select()
      .from(strategies)
      .where(and(eq(strategies.workspaceId, workspaceId), isNull(strategies.archivedAt))),
    listDecisions(db, workspaceId, 50),
    listEvolutions(db, workspaceId),
    db.select().from(lifecycleSettings).where(eq(lifecycleSettings.workspaceId, workspaceId)).limit(1),
    db
      .select({
        strategyId: forwardTests.strategyId,
        returnPct: forwardTests.returnPct,
        expectedReturnPct: forwardTests.expectedReturnPct,
        maxDrawdownPct: forwardTests.maxDrawdownPct,
        bars: forwardTests.times,
      })
      .from(forwardTests)
      .where(eq(forwardTests.workspaceId, workspaceId)),
  ]);
  const forwardOf = new Map(
    forwards.map((f) => [
      f.strategyId,
      {
        returnPct: f.returnPct,
        expectedReturnPct: f.expectedReturnPct,
        maxDrawdownPct: f.maxDrawdownPct,
        bars: f.bars.length,
      },
    ]),
  );
  const names = new Map(rows.map((s) => [s.id, s.name]));
  return {
    killSwitch: settings[0]?.killSwitch ?? false,
    strategies: rows.map((s) => ({
      id: s.id,
      name: s.name,
      state: s.state,
      fitness: s.fitness,
      disabledReason: s.disabledReason,
      stateChangedAt: s.stateChangedAt?.toISOString() ?? null,
      shadowDays:
        s.shadowStartBarMs !== null && s.forwardLastBarMs !== null
          ? (s.forwardLastBarMs - s.shadowStartBarMs) / DAY_MS
          : null,
      forward: forwardOf.get(s.id) ?? null,
    })),
    decisions: decisions.map((d) => ({
      id: d.id,
      at: d.at.toISOString(),
      strategyName: d.strategyId ? (names.get(d.strategyId) ?? d.strategyId) : null,
      event: d.event,
      from: d.fromState,
      to: d.toState,
      reason: d.reason,
      actor: d.actorLabel,
      inputs: d.inputs,
    })),
    evolutions: evolutions.map((e) => ({
      id: e.id,
      name: e.name,
      paused: e.paused,
      everyHours: e.everyHours,
      nextAt: e.nextGenerationAt.toISOString(),
      lastError: e.lastError,
      skippedReason: e.skippedReason,
      skippedAt: e.skippedAt?.toISOString() ?? null,
      history: e.history,
    })),
  };
}
