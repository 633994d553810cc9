/** Audit targets read as names with links; ids of other workspaces or deleted rows stay raw. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES } from "@/lib/sdk/examples";
import { runs, type RunInput } from "@/server/db/schema";
import { auditTargetLabels } from "@/server/services/audit-targets";
import { createStrategy } from "@/server/services/strategies";
import type { WorkspaceCaller } from "@/server/auth/access";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

describe("audit target labels", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  it("names strategies and runs of the workspace, and only those", async () => {
    const owner: WorkspaceCaller = {
      actor: { type: "user", id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner",
    };
    const { strategy } = await createStrategy(t.db, owner, {
      code: EXAMPLES["sma-cross"].source,
      name: "Golden cross",
    });
    const [run] = await t.db
      .insert(runs)
      .values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "queued",
        input: { strategyId: strategy.id, strategyName: "Golden cross", params: {} } as unknown as RunInput,
      })
      .returning({ id: runs.id });
    const stranger = "9b2f0c1e-0d4a-4b7e-9a51-2c6d8e9f0a1b";
    const labels = await auditTargetLabels(t.db, { id: s.workspaceId, slug: "desk" }, [
      { targetType: "strategy", targetId: strategy.id },
      { targetType: "run", targetId: run.id },
      { targetType: "strategy", targetId: stranger },
      { targetType: "workspace", targetId: s.workspaceId },
      { targetType: null, targetId: null },
    ]);
    expect(labels[`strategy:${strategy.id}`]).toEqual({
      label: "Golden cross",
      href: `/w/desk/strategies/${strategy.id}`,
    });
    expect(labels[`run:${run.id}`]).toEqual({ label: "backtest · Golden cross", href: `/w/desk/runs/${run.id}` });
    expect(labels[`strategy:${stranger}`], "an id that is not this workspace's stays unnamed").toBeUndefined();
    expect(Object.keys(labels).length).toBe(2);
  });
});
