/**
 * Universes are read in one place with one rule: a workspace sees the shared universes and its
 * own, and its own wins over a shared one of the same name — for the symbol lookup a run uses, the
 * data page's list and the run forms' pickers alike; other workspaces never see it.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { marketUniverses } from "@/server/db/schema";
import { getUniverseSymbols, listUniverses, runnableUniverses } from "@/server/data/universes";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";

describe("universes", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    s = await seedWorkspace(t.db);
    await t.db.insert(marketUniverses).values([
      { workspaceId: null, name: "demo-tech", description: "shared", symbols: ["AAA", "BBB", "CCC"], synthetic: true },
      { workspaceId: null, name: "demo-50", description: "shared 50", symbols: ["AAA"], synthetic: true },
      { workspaceId: s.workspaceId, name: "demo-tech", description: "ours", symbols: ["ZZZ"] },
      { workspaceId: s.otherWorkspaceId, name: "theirs", description: "other desk", symbols: ["QQQ"] },
    ]);
  });
  afterAll(async () => t?.close());

  it("resolves a name to the workspace's own universe before the shared one", async () => {
    expect(await getUniverseSymbols(t.db, "demo-tech", s.workspaceId)).toEqual(["ZZZ"]);
    expect(await getUniverseSymbols(t.db, "demo-tech", s.otherWorkspaceId)).toEqual(["AAA", "BBB", "CCC"]);
    expect(await getUniverseSymbols(t.db, "demo-tech", null)).toEqual(["AAA", "BBB", "CCC"]);
    await expect(getUniverseSymbols(t.db, "theirs", s.workspaceId)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("lists each name once, own rows winning, for the data page and the run pickers alike", async () => {
    const list = await listUniverses(t.db, s.workspaceId);
    expect(list.map((u) => [u.name, u.description, u.own])).toEqual([
      ["demo-50", "shared 50", false],
      ["demo-tech", "ours", true],
    ]);
    const pickers = await runnableUniverses(t.db, s.workspaceId);
    expect(pickers).toEqual([
      { name: "demo-tech", description: "ours", symbols: 1 },
      { name: "demo-50", description: "shared 50", symbols: 1 },
    ]);
    expect((await runnableUniverses(t.db, s.otherWorkspaceId)).map((u) => u.name).sort()).toEqual([
      "demo-50",
      "demo-tech",
      "theirs",
    ]);
  });
});
