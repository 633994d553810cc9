/** A version's latest finished backtest: newest succeeded backtest of exactly that version, in that workspace. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import type { RunInput } from "@/lib/schemas/runs";
import { runs } from "@/server/db/schema";
import { createStrategy, saveVersion } from "@/server/services/strategies";
import { latestBacktestOfVersion } from "@/server/services/version-results";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

describe.each(DRIVERS)("latest backtest of a version (%s)", (driver) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("picks the newest succeeded backtest of that version, ignoring other versions, kinds, statuses and workspaces", async () => {
    const ws = await seedWorkspace(db.db);
    const other = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const caller = {
      actor: { type: "user" as const, id: owner.id, label: owner.email },
      workspaceId: ws.workspaceId,
      role: "owner" as const,
    };
    const { strategy } = await createStrategy(db.db, caller, { code: EXAMPLES["sma-cross"].source });
    await saveVersion(db.db, caller, { strategyId: strategy.id, code: `${EXAMPLES["sma-cross"].source}\n// v2\n` });
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));
    const row = (
      version: number,
      minute: number,
      status = "succeeded",
      kind = "backtest",
      workspaceId = ws.workspaceId,
    ) =>
      ({
        workspaceId,
        kind,
        status,
        input: { strategyId: strategy.id, version } as unknown as RunInput,
        result: {
          performance_metrics: { total_return_pct: minute },
          engine: { timestamps: [], equity: [], benchmark: [] },
        },
        createdAt: at(minute),
      }) as unknown as typeof runs.$inferInsert;
    const [v1Old, v1New, , , , , v2Only] = await db.db
      .insert(runs)
      .values([
        row(1, 1),
        row(1, 2),
        row(1, 3, "failed"),
        row(1, 4, "running"),
        row(1, 5, "succeeded", "optimize"),
        row(1, 6, "succeeded", "backtest", other.workspaceId),
        row(2, 0),
      ])
      .returning({ id: runs.id });
    expect(v1Old.id).not.toBe(v1New.id);
    expect((await latestBacktestOfVersion(db.db, ws.workspaceId, strategy.id, 1))?.id).toBe(v1New.id);
    expect((await latestBacktestOfVersion(db.db, ws.workspaceId, strategy.id, 2))?.id).toBe(v2Only.id);
    expect(await latestBacktestOfVersion(db.db, ws.workspaceId, strategy.id, 3)).toBeNull();
    expect(await latestBacktestOfVersion(db.db, other.workspaceId, strategy.id, 2)).toBeNull();
  });
});
