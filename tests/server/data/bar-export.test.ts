/**
 * Export (CSV, Parquet) of stored bars and Parquet import, through the service, REST
 * `GET /api/v1/data/universes/{name}/export` and the CLI (`lab data export|import`), on
 * PGlite and the real Postgres: export → import → export gives the same bytes; a bad file
 * writes nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as exportRoute from "@/app/api/v1/data/universes/[name]/export/route";
import * as importRoute from "@/app/api/v1/data/import/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { barsToParquet, parseBarsParquet } from "@/lib/data/bar-files";
import { parseBarsCsv } from "@/lib/data/csv";
import { setDatabaseForTests } from "@/server/db";
import { auditLog, marketSymbols } from "@/server/db/schema";
import { exportBars, importParquet } from "@/server/data/bar-files";
import { ensureDemoUniverse } from "@/server/data/demo";
import { importCsv } from "@/server/data/service";
import { loadBars } from "@/server/data/store";
import { getUniverseSymbols } from "@/server/data/universes";
import { run as runDataCli } from "@/server/cli/commands/data";
import { CliError } from "@/server/cli/args";
import { seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { keyFor } from "../api/rest-helpers";

const GOOG = readFileSync("../shared/data/GOOG.csv", "utf8");
const BTC = readFileSync("../shared/data/BTCUSD.csv", "utf8");
const dir = mkdtempSync(join(tmpdir(), "bar-export-"));

function quiet() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(""), err: () => err.join("") };
}
afterEach(() => vi.restoreAllMocks());

describe.each(DRIVERS)("bar export and Parquet import (%s)", (driver) => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  const caller = () => ({
    actor: { type: "user" as const, id: ws.users.member.id, label: null },
    workspaceId: ws.workspaceId,
    role: "member" as const,
  });

  beforeAll(async () => {
    h = await createTestDatabase(driver);
    setDatabaseForTests(h);
    ws = await seedWorkspace(h.db);
    await ensureDemoUniverse(h.db, { symbols: 3, years: 1, seed: 9 });
    for (const [symbol, csv] of [
      ["GOOG", GOOG],
      ["BTCUSD", BTC],
    ] as const) {
      const r = await importCsv(h.db, caller(), { symbol, csv });
      expect(r.ok).toBe(true);
    }
  });
  afterAll(async () => h?.close());

  it("export → Parquet import → export round-trips bit for bit, and the import is audited and lands in 'imported'", async () => {
    const pq = await exportBars(h.db, ws.workspaceId, { symbol: "GOOG" }, "parquet");
    expect(pq).toMatchObject({
      symbols: 1,
      bars: 2148,
      contentType: "application/vnd.apache.parquet",
      fileName: "GOOG.parquet",
    });
    const r = await importParquet(h.db, caller(), { symbol: "GOOG2", bytes: pq.body, fileName: "GOOG.parquet" });
    expect(r).toMatchObject({ ok: true, symbol: "GOOG2", bars: 2148, firstMs: Date.UTC(2004, 7, 19) });
    const again = await exportBars(h.db, ws.workspaceId, { symbol: "GOOG2" }, "parquet");
    expect(Buffer.from(again.body).equals(Buffer.from(pq.body))).toBe(true);
    const [a, b] = await loadBars(h.db, ["GOOG", "GOOG2"], { workspaceId: ws.workspaceId });
    expect(Buffer.from(b.close.buffer).equals(Buffer.from(a.close.buffer))).toBe(true);
    // CSV export of the original equals the CSV export of the Parquet-imported copy, and re-parses to the same bars.
    const csvA = Buffer.from((await exportBars(h.db, ws.workspaceId, { symbol: "GOOG" }, "csv")).body).toString();
    const csvB = Buffer.from((await exportBars(h.db, ws.workspaceId, { symbol: "GOOG2" }, "csv")).body).toString();
    expect(csvB).toBe(csvA);
    expect(csvA.split("\n")[1]).toMatch(/^2004-08-19,/);
    expect(
      Buffer.from(parseBarsCsv(csvA, { symbol: "GOOG" }).series.open.buffer).equals(Buffer.from(a.open.buffer)),
    ).toBe(true);
    expect(await getUniverseSymbols(h.db, "imported", ws.workspaceId)).toContain("GOOG2");
    const audit = await h.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "data.imported"), eq(auditLog.targetId, "GOOG2")));
    expect(audit).toHaveLength(1);
  });

  it("a bad Parquet file writes nothing and lists every bad row", async () => {
    const [goog] = await loadBars(h.db, ["GOOG"], { workspaceId: ws.workspaceId });
    const broken = { ...goog, high: Float64Array.from(goog.high), volume: Float64Array.from(goog.volume) };
    broken.high[10] = broken.low[10] / 2;
    broken.volume[20] = -1;
    const before = (await h.db.select({ id: auditLog.id }).from(auditLog)).length;
    const r = await importParquet(h.db, caller(), { symbol: "BADPQ", bytes: barsToParquet([broken]) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => [p.line, p.column])).toEqual([
      [11, "high"],
      [21, "volume"],
    ]);
    const garbage = await importParquet(h.db, caller(), {
      symbol: "BADPQ",
      bytes: new TextEncoder().encode("Date,Open\n"),
    });
    expect(garbage).toMatchObject({ ok: false, problems: [{ line: 0, message: expect.stringMatching(/PAR1/) }] });
    expect(await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "BADPQ"))).toHaveLength(0);
    expect((await h.db.select({ id: auditLog.id }).from(auditLog)).length).toBe(before);
  });

  it("REST exports a universe as CSV and Parquet with a symbol column; bad format is a 400 naming it, unknown universe a 404", async () => {
    const { key } = await keyFor(h.db, ws.users.owner.id, ws.workspaceId, ["read"]);
    const get = (name: string, query: string) =>
      exportRoute.GET(
        new Request(`http://localhost/api/v1/data/universes/${encodeURIComponent(name)}/export${query}`, {
          headers: { authorization: `Bearer ${key}` },
        }),
        { params: Promise.resolve({ name }) },
      );
    const res = await get("imported", "?format=csv");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const lines = (await res.text()).trim().split("\n");
    expect(lines[0]).toBe("Symbol,Date,Open,High,Low,Close,Volume");
    const symbols = new Set(lines.slice(1).map((l) => l.split(",")[0]));
    expect([...symbols].sort()).toEqual(["BTCUSD", "GOOG", "GOOG2"]);
    expect(lines.length - 1).toBe(2148 * 2 + 156);
    const pq = await get("imported", "?format=parquet");
    expect(pq.status).toBe(200);
    const bytes = new Uint8Array(await pq.arrayBuffer());
    const btc = parseBarsParquet(bytes, { symbol: "BTCUSD" }).series;
    const [stored] = await loadBars(h.db, ["BTCUSD"], { workspaceId: ws.workspaceId });
    expect(Buffer.from(btc.close.buffer).equals(Buffer.from(stored.close.buffer))).toBe(true);
    const demo = await get("demo-3", "?format=csv");
    expect(demo.status).toBe(200);
    const bad = await get("imported", "?format=xlsx");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.message).toMatch(/format must be csv or parquet/);
    expect((await get("imported", "")).status).toBe(400);
    const missing = await get("no-such-universe", "?format=csv");
    expect(missing.status).toBe(404);
    const doc = await openapi(new Request("http://localhost/api/v1/openapi.json")).json();
    const op = doc.paths["/api/v1/data/universes/{name}/export"].get;
    expect(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`)).toEqual([
      "path:name",
      "query:format",
    ]);
    expect(Object.keys(op.responses["200"].content)).toEqual(["text/csv", "application/vnd.apache.parquet"]);
  });

  it("REST: a Parquet body (application/vnd.apache.parquet) imports all or nothing; export → import → export is byte-identical", async () => {
    const { key } = await keyFor(h.db, ws.users.owner.id, ws.workspaceId, ["read", "run"]);
    const post = (query: string, body: BodyInit, type: string) =>
      importRoute.POST(
        new Request(`http://localhost/api/v1/data/import${query}`, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": type },
          body,
        }),
        { params: Promise.resolve({}) },
      );
    const pq = await exportBars(h.db, ws.workspaceId, { symbol: "BTCUSD" }, "parquet");
    const ok = await post("?symbol=BTC2", Buffer.from(pq.body), "application/vnd.apache.parquet");
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ symbol: "BTC2", bars: 156 });
    expect(
      Buffer.from((await exportBars(h.db, ws.workspaceId, { symbol: "BTC2" }, "parquet")).body).equals(
        Buffer.from(pq.body),
      ),
    ).toBe(true);
    const form = new FormData();
    form.set("file", new File([Buffer.from(pq.body)], "btc.parquet"));
    form.set("symbol", "BTC3");
    const viaForm = await importRoute.POST(
      new Request("http://localhost/api/v1/data/import", {
        method: "POST",
        headers: { authorization: `Bearer ${key}` },
        body: form,
      }),
      { params: Promise.resolve({}) },
    );
    expect(viaForm.status).toBe(201);
    const [btc] = await loadBars(h.db, ["BTCUSD"], { workspaceId: ws.workspaceId });
    const broken = { ...btc, symbol: "BTC4", low: Float64Array.from(btc.low) };
    broken.low[5] = -1;
    const bad = await post("?symbol=BTC4", Buffer.from(barsToParquet([broken])), "application/vnd.apache.parquet");
    expect(bad.status).toBe(422);
    expect((await bad.json()).error.problems).toEqual([
      { line: 6, column: "low", message: "price -1 is not positive" },
    ]);
    expect(await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "BTC4"))).toHaveLength(0);
    const tz = await post("?symbol=BTC5&timezone=UTC", Buffer.from(pq.body), "application/vnd.apache.parquet");
    expect(tz.status).toBe(400);
    expect((await tz.json()).error.message).toMatch(/timezone and no_header apply to CSV files only/);
  });

  // The CLI closes and forgets "its" database after each command: hand it the test database
  // (with a no-op close) before every call, so it never falls back to the default data folder.
  const dataCli = (argv: string[]) => {
    setDatabaseForTests({ ...h, close: async () => {} });
    return runDataCli(argv);
  };

  it("CLI: data export → data import FILE.parquet → data export gives identical files; bad input names the flag", async () => {
    const first = join(dir, `${driver}-goog.parquet`);
    let io = quiet();
    expect(
      await dataCli([
        "export",
        "--symbol",
        "GOOG",
        "--format",
        "parquet",
        "--out",
        first,
        "--workspace",
        ws.workspaceId,
        "--json",
      ]),
    ).toBe(0);
    expect(JSON.parse(io.out())).toEqual({
      out: first,
      format: "parquet",
      symbols: 1,
      bars: 2148,
      bytes: readFileSync(first).length,
    });
    io = quiet();
    expect(await dataCli(["import", first, "--symbol", "GOOG3", "--workspace", ws.workspaceId])).toBe(0);
    expect(io.out()).toMatch(/^imported GOOG3: 2148 bars, 2004-08-19T00:00:00.000Z/);
    const second = join(dir, `${driver}-goog3.parquet`);
    quiet();
    expect(
      await dataCli([
        "export",
        "--symbol",
        "GOOG3",
        "--format",
        "parquet",
        "--out",
        second,
        "--workspace",
        ws.workspaceId,
      ]),
    ).toBe(0);
    expect(readFileSync(second).equals(readFileSync(first))).toBe(true);
    const csvOut = join(dir, `${driver}-u.csv`);
    quiet();
    expect(
      await dataCli([
        "export",
        "--universe",
        "demo-3",
        "--format",
        "csv",
        "--out",
        csvOut,
        "--workspace",
        ws.workspaceId,
      ]),
    ).toBe(0);
    expect(readFileSync(csvOut, "utf8").split("\n")[0]).toBe("Symbol,Date,Open,High,Low,Close,Volume");

    quiet();
    await expect(
      dataCli(["export", "--symbol", "GOOG", "--universe", "imported", "--format", "csv", "--out", csvOut]),
    ).rejects.toThrow(/exactly one of --symbol S or --universe U/);
    await expect(dataCli(["export", "--symbol", "GOOG", "--format", "xml", "--out", csvOut])).rejects.toThrow(
      /--format must be csv or parquet \(got "xml"\)/,
    );
    await expect(dataCli(["export", "--symbol", "GOOG", "--format", "csv"])).rejects.toThrow(/missing --out FILE/);
    const nowhere = join(dir, `${driver}-nosuch.csv`);
    await expect(dataCli(["export", "--symbol", "NOSUCH", "--format", "csv", "--out", nowhere])).rejects.toThrow(
      CliError,
    );
    expect(existsSync(nowhere)).toBe(false);
    await expect(dataCli(["import", first, "--symbol", "X", "--timezone", "UTC"])).rejects.toThrow(
      /--timezone applies to CSV files only/,
    );
    const bad = join(dir, `${driver}-bad.parquet`);
    writeFileSync(bad, Buffer.from("PAR1 this is not really parquet PAR1"));
    io = quiet();
    expect(await dataCli(["import", bad, "--symbol", "BADCLI", "--workspace", ws.workspaceId])).toBe(1);
    expect(io.err()).toMatch(/rejected, 1 problem\(s\); nothing was written\n {2}file: malformed Parquet file/);
    expect(await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "BADCLI"))).toHaveLength(0);
  });
  it("imports files other programs wrote (DuckDB: GZIP + data page v2; a null close is refused, nothing written)", async () => {
    const duck = new Uint8Array(readFileSync("tests/fixtures/parquet/bars-gzip-v2.parquet"));
    const r = await importParquet(h.db, caller(), { symbol: "AAA", bytes: duck, fileName: "bars.parquet" });
    expect(r).toMatchObject({ ok: true, symbol: "AAA", bars: 300, firstMs: Date.UTC(2020, 0, 1) });
    const [aaa] = await loadBars(h.db, ["AAA"], { workspaceId: ws.workspaceId });
    // DuckDB wrote rows i = 0, 2, 4 … for AAA with close 100.5 + i * 0.25 (tests/fixtures/parquet/README.md)
    expect([...aaa.close]).toEqual(Array.from({ length: 300 }, (_, k) => 100.5 + 2 * k * 0.25));
    const before = (await h.db.select({ id: auditLog.id }).from(auditLog)).length;
    const bad = await importParquet(h.db, caller(), {
      symbol: "NULLCLOSE",
      bytes: new Uint8Array(readFileSync("tests/fixtures/parquet/bars-null-close.parquet")),
    });
    expect(bad).toEqual({
      ok: false,
      symbol: "NULLCLOSE",
      problems: [{ line: 7, column: "close", message: "close is null (missing)" }],
    });
    expect(await h.db.select().from(marketSymbols).where(eq(marketSymbols.symbol, "NULLCLOSE"))).toHaveLength(0);
    expect((await h.db.select({ id: auditLog.id }).from(auditLog)).length).toBe(before);
  });
});
