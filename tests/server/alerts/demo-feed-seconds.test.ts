/**
 * LAB_DEMO_FEED_SECONDS is honoured in seconds: with a 2-second feed the demo universe gets a
 * bar about every 2 s (not one a minute, as a per-minute cron gave), and two worker processes'
 * timers still give one bar per slot.
 */
import { and, eq, isNull, max } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureDemoUniverse } from "@/server/data/demo";
import { marketSymbols } from "@/server/db/schema";
import { startWorkers, type Workers } from "@/server/jobs/worker";
import { createHarness, sleep, type Harness } from "../jobs/harness";

describe("demo feed every few seconds", () => {
  let h: Harness;
  const workers: Workers[] = [];
  beforeAll(async () => {
    h = await createHarness("pglite");
    await ensureDemoUniverse(h.db, { symbols: 20, years: 1 });
  }, 60_000);
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await h?.close();
  });

  const barCount = async () => {
    const [row] = await h.db
      .select({ n: max(marketSymbols.barCount) })
      .from(marketSymbols)
      .where(and(isNull(marketSymbols.workspaceId), eq(marketSymbols.source, "demo")));
    return Number(row?.n ?? 0);
  };

  it("appends a bar per 2-second slot, once however many workers run", async () => {
    const opts = { alerts: true, demoFeed: true, demoFeedSeconds: 2, pollingIntervalSeconds: 0.5 } as const;
    workers.push(await startWorkers(h.boss, h.db, opts), await startWorkers(h.boss, h.db, opts));
    const start = await barCount();
    const t0 = Date.now();
    await sleep(9_000);
    const added = (await barCount()) - start;
    const slots = (Date.now() - t0) / 2000;
    expect(added, `bars added in ${Math.round(slots)} two-second slots`).toBeGreaterThanOrEqual(3);
    expect(added, "one tick per slot across both workers").toBeLessThanOrEqual(Math.ceil(slots) + 1);
  }, 60_000);
});
