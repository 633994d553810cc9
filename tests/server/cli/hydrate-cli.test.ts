/**
 * `lab data hydrate` on PGlite with a fixture-shaped Polygon provider (injected fetch, no network):
 * the --json contract, per-symbol outcomes with reasons, --quick, and bad input refused with a
 * message naming the flag or the env variable, before anything is written.
 */
import { readFileSync } from "node:fs";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { setDatabaseForTests } from "@/server/db";
import { hydrations, marketSymbols } from "@/server/db/schema";
import { createPolygonProvider } from "@/server/data/providers";
import { createHydration, hydrateBatch, hydrationResults } from "@/server/data/hydrate";
import { getUniverseSymbols } from "@/server/data/universes";
import { run as dataCli } from "@/server/cli/commands/data";
import { seedWorkspace, type SeededWorkspace } from "../../helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";

const PROVIDERS = Symbol.for("strategy-lab.market-data-providers");
const DAY = 86_400_000;

const TICKERS = JSON.parse(readFileSync("tests/fixtures/providers/polygon-tickers-stocks.json", "utf8")) as unknown[];
const tickerRequests: string[] = [];
const fetchFixture = async (url: string) => {
  if (url.includes("/v3/reference/tickers")) {
    tickerRequests.push(url);
    return Response.json(url.includes("cursor=") ? TICKERS[1] : TICKERS[0]);
  }
  const m = /ticker\/([^/]+)\/range\/1\/day\/(\d+)\/(\d+)/.exec(url);
  const symbol = decodeURIComponent(m?.[1] ?? "");
  if (symbol === "JUNK") return new Response("<html>down for maintenance</html>", { status: 200 });
  if (symbol === "LIMITED")
    return new Response(JSON.stringify({ status: "ERROR", error: "too many requests" }), {
      status: 429,
      headers: { "retry-after": "86400" },
    });
  const from = Number(m?.[2]);
  const results = Array.from({ length: 4 }, (_, i) => ({
    v: 1000 + i,
    vw: 20,
    o: 20 + i,
    c: 20.5 + i,
    h: 21 + i,
    l: 19.5 + i,
    t: from + i * DAY + 21 * 3600_000,
    n: 9,
  }));
  return Response.json({
    ticker: symbol,
    queryCount: 4,
    resultsCount: 4,
    adjusted: false,
    results,
    status: "OK",
    request_id: "fixture",
    count: 4,
  });
};

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
  vi.spyOn(process.stderr, "write").mockImplementation((s) => (err.push(String(s)), true));
  return { out: () => out.join(""), err: () => err.join("") };
}

describe("lab data hydrate", () => {
  let h: TestDatabase;
  let ws: SeededWorkspace;
  const cli = (argv: string[]) => {
    // The CLI closes and forgets its database after each command; hand it the test database again.
    setDatabaseForTests({ ...h, close: async () => {} });
    return dataCli(argv);
  };
  beforeAll(async () => {
    h = await createTestDatabase("pglite");
    setDatabaseForTests(h);
    ws = await seedWorkspace(h.db);
    (globalThis as Record<symbol, unknown>)[PROVIDERS] = [
      createPolygonProvider({
        apiKey: "fixture",
        fetch: fetchFixture,
        resilience: {
          maxAttempts: 2,
          baseDelayMs: 1,
          maxDelayMs: 2,
          maxRetryAfterMs: 10,
          ratePerMinute: 6_000,
          cacheTtlMs: 0,
        },
      }),
    ];
  });
  afterEach(() => vi.restoreAllMocks());
  afterAll(async () => {
    delete (globalThis as Record<symbol, unknown>)[PROVIDERS];
    await h?.close();
  });

  it("--json: every symbol settled with its outcome; the ok ones form the universe", async () => {
    const io = capture();
    const code = await cli([
      "hydrate",
      "--provider",
      "polygon",
      "--symbols",
      "aaa, BBB,JUNK,LIMITED",
      "--from",
      "2024-01-02",
      "--to",
      "2024-02-01",
      "--workspace",
      ws.workspaceId,
      "--universe",
      "cli-hydrated",
      "--fundamentals",
      "--json",
    ]);
    expect(code, "a symbol failed, so the exit code says so").toBe(1);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({
      provider: "polygon",
      universe: "cli-hydrated",
      from: "2024-01-02",
      to: "2024-02-01",
      total: 4,
      ok: 2,
      no_data: 0,
      error: 2,
      bars: 8,
    });
    expect(body.warnings).toEqual(["polygon: fundamentals are not fetched by this provider's adapter; bars only"]);
    expect(body.results.map((r: { symbol: string; status: string }) => `${r.symbol}:${r.status}`)).toEqual([
      "AAA:ok",
      "BBB:ok",
      "JUNK:error",
      "LIMITED:error",
    ]);
    expect(body.results[2].reason).toMatch(/polygon/i);
    expect(body.results[3].reason).toMatch(/429|Retry-After|too many/i);
    expect(await getUniverseSymbols(h.db, "cli-hydrated", ws.workspaceId)).toEqual(["AAA", "BBB"]);
  }, 60_000);

  it("--quick loads a small sample", async () => {
    const io = capture();
    const list = Array.from({ length: 12 }, (_, i) => `Q${i}`).join(",");
    expect(
      await cli([
        "hydrate",
        "--provider",
        "polygon",
        "--symbols",
        list,
        "--quick",
        "--to",
        "2024-06-01",
        "--workspace",
        ws.workspaceId,
        "--universe",
        "quick",
        "--json",
      ]),
    ).toBe(0);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({ total: 5, ok: 5, from: "2024-05-02", to: "2024-06-01" });
    expect(body.warnings).toEqual(["--quick: hydrating the first 5 of 12 symbols"]);
  }, 60_000);

  it("--resume finishes a hydration whose queued batches were lost (a restart): pending symbols only, each written once", async () => {
    const providers = (globalThis as Record<symbol, unknown>)[PROVIDERS] as Parameters<typeof createHydration>[2];
    const lost = async () => {}; // the batches never reach a queue
    const { hydrationId } = await createHydration(h.db, lost, providers, {
      workspaceId: ws.workspaceId,
      provider: "polygon",
      symbols: ["R1", "R2", "R3", "R4"],
      fromMs: Date.UTC(2024, 0, 1),
      toMs: Date.UTC(2024, 1, 1),
      universe: "resumed",
    });
    await hydrateBatch(h.db, providers, { hydrationId, symbols: ["R1", "R2"] });
    const io = capture();
    expect(await cli(["hydrate", "--resume", hydrationId, "--json"])).toBe(0);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({
      hydration_id: hydrationId,
      total: 4,
      ok: 4,
      bars: 16,
      from: "2024-01-01",
      to: "2024-02-01",
    });
    expect((await hydrationResults(h.db, hydrationId)).map((r) => r.writes)).toEqual([1, 1, 1, 1]);
    capture();
    await expect(cli(["hydrate", "--resume", hydrationId, "--provider", "polygon"])).rejects.toThrow(
      /--resume takes only --json/,
    );
    await expect(cli(["hydrate", "--resume", "42"])).rejects.toThrow(/--resume needs a hydration id/);
    await expect(cli(["hydrate", "--resume", "00000000-0000-4000-8000-000000000000"])).rejects.toThrow(
      /no hydration 00000000/,
    );
  }, 60_000);

  it("--all hydrates the provider's symbol list (Polygon reference tickers, every page)", async () => {
    const io = capture();
    expect(
      await cli([
        "hydrate",
        "--provider",
        "polygon",
        "--all",
        "--from",
        "2024-01-02",
        "--to",
        "2024-02-01",
        "--workspace",
        ws.workspaceId,
        "--universe",
        "all-stocks",
        "--json",
      ]),
    ).toBe(0);
    const body = JSON.parse(io.out());
    expect(body).toMatchObject({ total: 5, ok: 5, error: 0 });
    expect(body.results.map((r: { symbol: string }) => r.symbol)).toEqual(["A", "AA", "AAPL", "BRK.B", "ZXZZT"]);
    expect(tickerRequests[0]).toMatch(/\/v3\/reference\/tickers\?market=stocks&active=true/);
    expect(tickerRequests).toHaveLength(2);
  }, 60_000);

  it("refuses bad input naming the flag or the variable, writing nothing", async () => {
    capture();
    const before = (await h.db.select().from(hydrations)).length;
    const symbolsBefore = (await h.db.select().from(marketSymbols)).length;
    const bad: [string[], RegExp][] = [
      [["--symbols", "A"], /missing --provider/],
      [
        ["--provider", "alpaca", "--symbols", "A"],
        /"alpaca" is not configured: set ALPACA_KEY_ID and ALPACA_SECRET_KEY/,
      ],
      [["--provider", "yahoo", "--symbols", "A"], /"yahoo" is not configured: set LAB_YAHOO_ENABLED=true/],
      [["--provider", "nasdaq", "--symbols", "A"], /Unknown provider "nasdaq"/],
      [["--provider", "polygon", "--symbols", " , "], /--symbols is empty/],
      [["--provider", "polygon", "--symbols", "A,b@d"], /"b@d" is not a valid symbol/],
      [["--provider", "polygon", "--symbols", "A", "--all"], /either --symbols A,B,… or --all/],
      [
        ["--provider", "polygon", "--symbols", "A", "--from", "2024-03-01", "--to", "2024-01-01"],
        /date range is reversed or empty: --from 2024-03-01 is not before --to 2024-01-01/,
      ],
      [
        ["--provider", "polygon", "--symbols", "A", "--from", "2024-02-30"],
        /--from must be a date like 2020-01-31 \(got "2024-02-30"\)/,
      ],
      [["--provider", "polygon", "--symbols", "A", "--since", "x"], /unknown option --since/],
    ];
    for (const [argv, message] of bad) await expect(cli(["hydrate", ...argv]), argv.join(" ")).rejects.toThrow(message);
    expect((await h.db.select().from(hydrations)).length).toBe(before);
    expect((await h.db.select().from(marketSymbols)).length).toBe(symbolsBefore);
  }, 60_000);
});
