/**
 * "Last updated" per symbol and per universe, from the stored bars: the newest bar, the bar of
 * the symbol furthest behind and the time of the last write — through the service, tRPC
 * (`data.symbols`, `data.universes`) and REST (`GET /api/v1/data/universes`), on PGlite and Postgres.
 * Expected bar dates are read from the CSV files' last lines, not from the store.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as universesRoute from "@/app/api/v1/data/universes/route";
import { appendBars } from "@/server/data/bar-append";
import { importCsv, saveUniverse } from "@/server/data/service";
import { findSymbols } from "@/server/data/store";
import { listUniverses, universeFreshness } from "@/server/data/universes";
import { setDatabaseForTests } from "@/server/db";
import { callerFor, seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { keyFor } from "../api/rest-helpers";

const GOOG = readFileSync("../shared/data/GOOG.csv", "utf8");
const BTC = readFileSync("../shared/data/BTCUSD.csv", "utf8");
const lastDateMs = (csv: string) => Date.parse(`${csv.trim().split("\n").at(-1)?.split(",")[0]}T00:00:00Z`);

describe("universeFreshness (hand-made rows)", () => {
  it("takes the newest bar, the furthest-behind symbol's bar and the latest write; skips symbols without bars", () => {
    const rows = new Map([
      ["A", { lastMs: 300, writtenMs: 10 }],
      ["B", { lastMs: 100, writtenMs: 50 }],
      ["C", { lastMs: null, writtenMs: 99 }],
    ]);
    expect(universeFreshness(["A", "B", "C", "D"], rows)).toEqual({
      lastBarMs: 300,
      oldestLastBarMs: 100,
      lastWriteMs: 50,
      symbolsWithData: 2,
    });
    expect(universeFreshness(["D"], rows)).toEqual({
      lastBarMs: null,
      oldestLastBarMs: null,
      lastWriteMs: null,
      symbolsWithData: 0,
    });
  });
});

describe.each(DRIVERS)("last updated per symbol and per universe (%s)", (driver) => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  let before: number;
  let afterImports: number;
  const caller = () => ({
    actor: { type: "user" as const, id: ws.users.member.id, label: null },
    workspaceId: ws.workspaceId,
    role: "member" as const,
  });

  beforeAll(async () => {
    h = await createTestDatabase(driver);
    setDatabaseForTests(h);
    ws = await seedWorkspace(h.db);
    before = Date.now();
    for (const [symbol, csv] of [
      ["GOOG", GOOG],
      ["BTCUSD", BTC],
    ] as const)
      expect((await importCsv(h.db, caller(), { symbol, csv })).ok).toBe(true);
    await saveUniverse(h.db, caller(), { name: "pair", symbols: ["GOOG", "BTCUSD"] });
    afterImports = Date.now();
  });
  afterAll(async () => h?.close());

  it("tRPC lists each symbol's last write and each universe's newest bar, laggard and last write", async () => {
    const trpc = callerFor(h.db, ws.users.member);
    const symbols = await trpc.data.symbols({ workspaceId: ws.workspaceId });
    const goog = symbols.find((s) => s.symbol === "GOOG");
    expect(goog?.lastMs).toBe(lastDateMs(GOOG));
    expect(goog?.lastWriteMs).toBeGreaterThanOrEqual(before - 1000);
    expect(goog?.lastWriteMs).toBeLessThanOrEqual(afterImports + 1000);
    const pair = (await trpc.data.universes({ workspaceId: ws.workspaceId })).find((u) => u.name === "pair");
    expect(pair?.freshness).toMatchObject({
      lastBarMs: lastDateMs(BTC), // 2024-12-31
      oldestLastBarMs: lastDateMs(GOOG), // 2013-03-01
      symbolsWithData: 2,
    });
    expect(pair?.freshness?.lastWriteMs).toBeGreaterThanOrEqual(before - 1000);
    expect(pair?.freshness?.lastWriteMs).toBeLessThanOrEqual(afterImports + 1000);
  });

  it("an appended bar moves the universe's newest bar and last write; REST reports the same", async () => {
    const [goog] = await findSymbols(h.db, ["GOOG"], ws.workspaceId);
    const next = Date.UTC(2025, 0, 2);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = Date.now();
    expect(
      await appendBars(h.db, [
        { symbolId: goog.id, timestampMs: next, open: 100, high: 101, low: 99, close: 100.5, volume: 1000 },
      ]),
    ).toBe(1);
    const pair = (await listUniverses(h.db, ws.workspaceId)).find((u) => u.name === "pair");
    expect(pair?.freshness?.lastBarMs).toBe(next);
    expect(pair?.freshness?.oldestLastBarMs).toBe(lastDateMs(BTC));
    expect(pair?.freshness?.lastWriteMs).toBeGreaterThanOrEqual(t0 - 1000);

    const { key } = await keyFor(h.db, ws.users.owner.id, ws.workspaceId, ["read"]);
    const res = await universesRoute.GET(
      new Request("http://localhost/api/v1/data/universes", { headers: { authorization: `Bearer ${key}` } }),
      { params: Promise.resolve({}) },
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: Record<string, unknown>[] };
    expect(body.data.find((u) => u.name === "pair")).toMatchObject({
      kind: "own",
      symbols: 2,
      symbols_with_data: 2,
      last_bar_at: "2025-01-02T00:00:00.000Z",
      oldest_last_bar_at: "2024-12-31T00:00:00.000Z",
      last_updated_at: new Date(pair?.freshness?.lastWriteMs ?? 0).toISOString(),
    });
    const anonymous = await universesRoute.GET(new Request("http://localhost/api/v1/data/universes"), {
      params: Promise.resolve({}),
    });
    expect(anonymous.status).toBe(401);
  });
});
