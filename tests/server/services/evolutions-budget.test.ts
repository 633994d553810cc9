/**
 * Standing evolutions wait while their workspace's error budget is exceeded, on a fake clock:
 * a due scheduled generation is skipped with its reason on the row (and on the lifecycle board
 * where evolutions are listed), stays due, and breeds on the first tick after the budget
 * recovers; another workspace within its budget is not held; a process-wide breach by failed
 * outbound calls holds generation too, and rolls off after the hour.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunInput } from "@/lib/schemas/runs";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { evolutions, runs } from "@/server/db/schema";
import { recordOutcome } from "@/server/ops/error-budget";
import { createEvolution, runDueEvolutions } from "@/server/services/evolutions";
import { lifecycleBoard } from "@/server/services/lifecycle-board";
import { createStrategy } from "@/server/services/strategies";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const MIN = 60_000;
const HOUR = 60 * MIN;
// Far from the wall clock, so nothing else this process records lands in the same hour.
const T0 = Date.UTC(2031, 4, 5, 9);

describe("scheduled evolution and the error budget", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let symbol = "";
  const callerOf = (workspaceId: string) => ({
    actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
    workspaceId,
    role: "owner" as const,
  });
  const row = async (id: string) => (await t.db.select().from(evolutions).where(eq(evolutions.id, id)))[0];

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    await ensureDemoUniverse(t.db, { symbols: 2, years: 3 });
    symbol = (await getUniverseSymbols(t.db, "demo-2"))[0];
  }, 120_000);
  afterAll(async () => t?.close());

  it("skips a due generation with the reason while the workspace's runs are over budget, then resumes", async () => {
    const mine = await createEvolution(
      t.db,
      callerOf(s.workspaceId),
      { name: "held", symbols: [symbol], evolve: { population: 6, seed: 3 } },
      { now: new Date(T0) },
    );
    const theirs = await createEvolution(
      t.db,
      callerOf(s.otherWorkspaceId),
      { name: "other", symbols: [symbol], evolve: { population: 6, seed: 3 } },
      { now: new Date(T0) },
    );
    // 9 succeeded + 1 failed, finished 30 minutes before T0: 10 % failed > the 5 % budget.
    const { strategy } = await createStrategy(t.db, callerOf(s.workspaceId), { code: EXAMPLES["sma-cross"].source });
    const input = { strategyId: strategy.id, version: 1 } as unknown as RunInput;
    await t.db.insert(runs).values(
      Array.from(
        { length: 10 },
        (_, i) =>
          ({
            workspaceId: s.workspaceId,
            kind: "backtest",
            status: i === 0 ? "failed" : "succeeded",
            input,
            finishedAt: new Date(T0 - 30 * MIN),
          }) as typeof runs.$inferInsert,
      ),
    );

    const first = await runDueEvolutions(t.db, { now: new Date(T0) });
    expect(first).toEqual({ ran: [theirs.id], failed: [], skipped: [mine.id] });
    const held = await row(mine.id);
    expect(held.skippedReason).toBe(
      "Scheduled generation skipped: the error budget is exceeded: 1 of 10 runs in the last hour failed (10.0 %, budget 5.0 %); it runs once the budget recovers.",
    );
    expect(held.skippedAt?.getTime()).toBe(T0);
    expect(held.history).toEqual([]);
    expect(held.nextGenerationAt.getTime()).toBe(T0); // still due
    // Visible where evolutions are listed.
    const board = await lifecycleBoard(t.db, s.workspaceId);
    expect(board.evolutions.find((e) => e.id === mine.id)).toMatchObject({
      skippedReason: held.skippedReason,
      skippedAt: new Date(T0).toISOString(),
    });

    // 29 minutes later the failure is still inside the hour: skipped again.
    expect((await runDueEvolutions(t.db, { now: new Date(T0 + 29 * MIN) })).skipped).toEqual([mine.id]);
    // 31 minutes later it has rolled out of the hour: the budget has recovered and it breeds.
    const later = await runDueEvolutions(t.db, { now: new Date(T0 + 31 * MIN) });
    expect(later).toEqual({ ran: [mine.id], failed: [], skipped: [] });
    const bred = await row(mine.id);
    expect(bred.history.map((h) => h.n)).toEqual([0]);
    expect(bred.skippedReason).toBeNull();
    expect(bred.skippedAt).toBeNull();
    expect(bred.nextGenerationAt.getTime()).toBe(T0 + 31 * MIN + 24 * HOUR);
  }, 120_000);

  it("a process-wide breach by failed outbound calls holds generation until the hour rolls on", async () => {
    const T1 = T0 + 10 * 24 * HOUR;
    const ev = await createEvolution(
      t.db,
      callerOf(s.otherWorkspaceId),
      { name: "outbound", symbols: [symbol], evolve: { population: 6, seed: 4 } },
      { now: new Date(T1) },
    );
    // 1 ok and 1 failed market-data call: 50 % of this process's calls in the last hour failed.
    recordOutcome("outbound", false, T1 - 5 * MIN);
    recordOutcome("outbound", true, T1 - 5 * MIN);
    const r = await runDueEvolutions(t.db, { now: new Date(T1) });
    expect(r.skipped).toContain(ev.id);
    expect((await row(ev.id)).skippedReason).toBe(
      "Scheduled generation skipped: the error budget is exceeded: 50.0 % of runs and outbound calls in the last hour failed (budget 5.0 %); it runs once the budget recovers.",
    );
    const after = await runDueEvolutions(t.db, { now: new Date(T1 + HOUR) });
    expect(after.ran).toContain(ev.id);
    expect((await row(ev.id)).skippedReason).toBeNull();
  }, 120_000);
});
