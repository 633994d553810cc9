/**
 * The lifecycle board's server side through tRPC as each role: approving LIVE works for an admin
 * and is refused for a member (same checks as REST), the kill switch is admin-only, bad evolution
 * settings are refused naming the field, and the board data puts each strategy in its state's column.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { EXAMPLES } from "@/lib/sdk/examples";
import { strategies } from "@/server/db/schema";
import { createStrategy } from "@/server/services/strategies";
import { lifecycleBoard } from "@/server/services/lifecycle-board";
import { callerFor, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const DAY = 86_400_000;

describe("lifecycle over tRPC", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let id = "";

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    s = await seedWorkspace(t.db);
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    id = (await createStrategy(t.db, owner, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    // A strategy that has been forward-tested in SHADOW for 8 days of bars with fitness 72.
    await t.db
      .update(strategies)
      .set({ state: "SHADOW", fitness: 72, shadowStartBarMs: 0, forwardLastBarMs: 8 * DAY })
      .where(eq(strategies.id, id));
  }, 60_000);
  afterAll(async () => t?.close());

  it("approving LIVE is refused for a member and works for an admin; the board shows the card in LIVE", async () => {
    const input = { workspaceId: s.workspaceId, strategyId: id, event: "promote" as const };
    await expect(callerFor(t.db, s.users.member).strategies.transition(input)).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    expect((await lifecycleBoard(t.db, s.workspaceId)).strategies.find((x) => x.id === id)?.state).toBe("SHADOW");
    expect(await callerFor(t.db, s.users.admin).strategies.transition(input)).toEqual({ state: "LIVE" });
    const board = await lifecycleBoard(t.db, s.workspaceId);
    expect(board.strategies.find((x) => x.id === id)).toMatchObject({ state: "LIVE", fitness: 72 });
    expect(board.decisions[0]).toMatchObject({ from: "SHADOW", to: "LIVE", actor: s.users.admin.email });
  });

  it("the kill switch is admin-only", async () => {
    await expect(
      callerFor(t.db, s.users.member).lifecycle.killSwitch({ workspaceId: s.workspaceId, on: true }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    expect(
      await callerFor(t.db, s.users.admin).lifecycle.killSwitch({ workspaceId: s.workspaceId, on: true }),
    ).toMatchObject({ kill_switch: true, strategies: 1 });
    expect((await lifecycleBoard(t.db, s.workspaceId)).killSwitch).toBe(true);
  });

  it("bad evolution settings are refused naming the field", async () => {
    await expect(
      callerFor(t.db, s.users.member).lifecycle.createEvolution({
        workspaceId: s.workspaceId,
        evolution: { name: "x", symbols: ["AAA"], every_hours: 0 },
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("every_hours") });
  });
});
