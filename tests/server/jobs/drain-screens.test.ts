/** Draining due jobs without a worker; saved screens run through the real screen handler; SSE stream. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoUniverse } from "@/server/data/demo";
import { drainJobs } from "@/server/jobs/drain";
import { getRun, runEventStream } from "@/server/services/runs";
import { createScreen, runScreenNow, screenHistory, screenRunCsv } from "@/server/services/screens";
import { createHarness, type Harness } from "./harness";

describe("drain route machinery and saved screens", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness("pglite");
    await ensureDemoUniverse(h.db, { symbols: 150, years: 1 });
  });
  afterAll(async () => h?.close());

  it("runs a saved screen by draining, ranks like the mode, exports CSV and streams SSE", async () => {
    const screen = await createScreen(h.db, h.caller("member"), {
      name: "SMA",
      strategyId: h.strategyId,
      universe: "demo-150",
      params: {},
      limit: 20,
    });
    const { runId } = await runScreenNow(h.db, h.caller("member"), screen.id);
    const drained = await drainJobs(h.boss, h.db, 30);
    expect(drained.processed.runs).toBe(1);
    const history = await screenHistory(h.db, h.ws.workspaceId, screen.id);
    expect(history.rows.map((r) => [r.id, r.status])).toEqual([[runId, "succeeded"]]);

    const csv = await screenRunCsv(h.db, h.ws.workspaceId, runId);
    const [head, ...lines] = csv.trim().split("\n");
    expect(head.startsWith("rank,symbol,score,signal,current_price,timestamp")).toBe(true);
    // Only symbols that signal an entry are listed (never padded to the limit with the rest),
    // ranked over chunks of 100 symbols by the mode's rule.
    const rows = lines.map((l) => l.split(","));
    const run = await getRun(h.db, h.ws.workspaceId, runId);
    const matches = Number((run.result as { matches?: number } | null)?.matches ?? -1);
    expect(lines).toHaveLength(Math.min(20, matches));
    expect(
      rows.every((r) => r[3] === "true"),
      "every listed symbol passes",
    ).toBe(true);
    expect(rows.map((r) => Number(r[0]))).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));

    const text = await new Response(runEventStream(h.db, h.ws.workspaceId, runId)).text();
    expect(text).toMatch(/^event: done\ndata: \{.*"status":"succeeded"/);
    expect(text).toContain('"ranked_results"');
  }, 60_000);

  it("an SSE stream for another workspace's run says not found", async () => {
    const text = await new Response(
      runEventStream(h.db, h.ws.otherWorkspaceId, "00000000-0000-4000-8000-000000000000"),
    ).text();
    expect(text).toContain("event: error");
    expect(text).toContain("Run not found.");
  });
});
