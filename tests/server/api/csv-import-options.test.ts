/**
 * POST /api/v1/data/import refuses ambiguous files (a header-less file, a repeated column, Unix
 * times in mixed units) with 422 naming the line and column, writes nothing, and reads a
 * header-less file only when `no_header=true` says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as importRoute from "@/app/api/v1/data/import/route";
import { setDatabaseForTests } from "@/server/db";
import { findSymbols } from "@/server/data/store";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { keyFor, noParams } from "./rest-helpers";

const ROWS = "2024-01-02,10,11,9,10.5,100\n2024-01-03,10.5,12,10,11,200\n";

describe("CSV import options over REST", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let key: string;
  const post = (query: string, csv: string) =>
    importRoute.POST(
      new Request(`http://localhost/api/v1/data/import?${query}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
        body: csv,
      }),
      noParams,
    );

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    key = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"])).key;
  });
  afterAll(async () => t?.close());

  it("a header-less file is refused unless no_header=true, then read as Date,Open,High,Low,Close,Volume", async () => {
    const refused = await post("symbol=NOHDR", ROWS);
    expect(refused.status).toBe(422);
    const body = await refused.json();
    expect(body.error.problems).toEqual([{ line: 1, message: expect.stringMatching(/no header row/) }]);
    await expect(findSymbols(t.db, ["NOHDR"], s.workspaceId), "nothing was written").rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    const ok = await post("symbol=NOHDR&no_header=true", ROWS);
    expect(ok.status).toBe(201);
    const stored = await ok.json();
    expect(stored).toMatchObject({ symbol: "NOHDR", bars: 2, first: "2024-01-02T00:00:00.000Z" });
    expect((await post("symbol=NOHDR&no_header=yes", ROWS)).status).toBe(400);
  });

  it("a repeated column is refused naming it; mixed Unix units are refused naming the line", async () => {
    const dup = await post("symbol=DUP", `Date,Open,High,Low,Close,Close,Volume\n2024-01-02,10,11,9,10.5,10.4,5\n`);
    expect(dup.status).toBe(422);
    expect((await dup.json()).error.problems[0]).toMatchObject({ line: 1, column: "Close" });
    const mixed = await post(
      "symbol=MIX",
      `Date,Open,High,Low,Close,Volume\n1704205800,10,11,9,10,1\n1704205860000,10,11,9,10,1\n`,
    );
    expect(mixed.status).toBe(422);
    expect((await mixed.json()).error.problems).toEqual([
      { line: 3, column: "Date", message: expect.stringMatching(/milliseconds, but line 2 is in seconds/) },
    ]);
  });
});
