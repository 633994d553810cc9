import "server-only";
/**
 * The demo live feed: on each tick (a pg-boss schedule every minute, or the interval of
 * LAB_DEMO_FEED_SECONDS) the stored demo universe gets its next bar from lib/data/live-feed.ts
 * (the same seeded model, so bar k equals bar k of a longer batch), then the bar-triggered alert
 * rules are evaluated. Appending rewrites only each symbol's last chunk (bars and fundamentals).
 */
import { and, asc, desc, eq, inArray, isNull } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { createLiveFeedState, stepLiveFeed, type LiveBar, type LiveFeedState } from "@/lib/data/live-feed";
import { packColumns, unpackColumns } from "@/lib/data/pack";
import type { Db, DbOrTx } from "@/server/db";
import { marketBarChunks, marketFundamentalChunks, marketSymbols } from "@/server/db/schema";
import { BAR_CHUNK_SIZE } from "@/server/data/store";
import { ALERT_EVALUATE_QUEUE, DEMO_FEED_QUEUE } from "@/server/jobs/queues";

const STATE = Symbol.for("strategy-lab.demo-feed-state");
type G = typeof globalThis & { [STATE]?: { key: string; state: LiveFeedState } };

/** Feed state positioned after the stored bars (recomputed once per process, then stepped). */
function feedState(seed: number, symbols: number, barIndex: number): LiveFeedState {
  const g = globalThis as G;
  const key = `${seed}|${symbols}|${barIndex}`;
  if (g[STATE]?.key !== key) g[STATE] = { key, state: createLiveFeedState({ seed, symbols, barIndex }) };
  return g[STATE].state;
}

async function appendOne(tx: DbOrTx, symbolId: string, bar: LiveBar): Promise<void> {
  const [lastChunk] = await tx.select().from(marketBarChunks).where(eq(marketBarChunks.symbolId, symbolId)).orderBy(desc(marketBarChunks.chunk)).limit(1);
  const barCols = [bar.timestampMs, bar.open, bar.high, bar.low, bar.close, bar.volume];
  const fundCols = [bar.marketCap, bar.pe, bar.eps, bar.revenue, bar.pb, bar.debtToEquity];
  const grow = (cols: Float64Array[], add: number[]) => packColumns(cols.map((c, k) => { const o = new Float64Array(c.length + 1); o.set(c); o[c.length] = add[k]; return o; }));
  if (!lastChunk || lastChunk.count >= BAR_CHUNK_SIZE) {
    const chunk = lastChunk ? lastChunk.chunk + 1 : 0;
    await tx.insert(marketBarChunks).values({ symbolId, chunk, count: 1, firstMs: bar.timestampMs, lastMs: bar.timestampMs, data: packColumns(barCols.map((v) => new Float64Array([v]))) });
    await tx.insert(marketFundamentalChunks).values({ symbolId, chunk, count: 1, data: packColumns(fundCols.map((v) => new Float64Array([v]))) });
    return;
  }
  await tx
    .update(marketBarChunks)
    .set({ count: lastChunk.count + 1, lastMs: bar.timestampMs, data: grow(unpackColumns([lastChunk.data], 6), barCols) })
    .where(and(eq(marketBarChunks.symbolId, symbolId), eq(marketBarChunks.chunk, lastChunk.chunk)));
  const [fund] = await tx.select().from(marketFundamentalChunks).where(and(eq(marketFundamentalChunks.symbolId, symbolId), eq(marketFundamentalChunks.chunk, lastChunk.chunk)));
  if (fund) {
    await tx
      .update(marketFundamentalChunks)
      .set({ count: fund.count + 1, data: grow(unpackColumns([fund.data], 6), fundCols) })
      .where(and(eq(marketFundamentalChunks.symbolId, symbolId), eq(marketFundamentalChunks.chunk, lastChunk.chunk)));
  }
}

/** Append the next demo bar to every stored demo symbol. Returns the new bar time, or null without a demo universe. */
export async function appendDemoBar(db: Db): Promise<{ timestampMs: number; symbols: number } | null> {
  const rows = await db
    .select({ id: marketSymbols.id, symbol: marketSymbols.symbol, barCount: marketSymbols.barCount, meta: marketSymbols.meta })
    .from(marketSymbols)
    .where(and(isNull(marketSymbols.workspaceId), eq(marketSymbols.source, "demo")))
    .orderBy(asc(marketSymbols.symbol));
  if (rows.length === 0) return null;
  const seed = Number(rows[0].meta?.seed ?? 42);
  const barIndex = Math.min(...rows.map((r) => r.barCount));
  const { state, bars } = stepLiveFeed(feedState(seed, rows.length, barIndex));
  const bySymbol = new Map(bars.map((b) => [b.symbol, b]));
  await db.transaction(async (tx) => {
    for (const r of rows) {
      const bar = bySymbol.get(r.symbol);
      if (!bar || r.barCount !== barIndex) continue;
      await appendOne(tx, r.id, bar);
      await tx
        .update(marketSymbols)
        .set({ barCount: r.barCount + 1, lastMs: bar.timestampMs, lastClose: bar.close, lastVolume: bar.volume, marketCap: bar.marketCap, pe: bar.pe, pb: bar.pb, eps: bar.eps, revenue: bar.revenue, debtToEquity: bar.debtToEquity, updatedAt: new Date() })
        .where(inArray(marketSymbols.id, [r.id]));
    }
  });
  (globalThis as G)[STATE] = { key: `${seed}|${rows.length}|${barIndex + 1}`, state };
  return { timestampMs: bars[0]?.timestampMs ?? 0, symbols: rows.length };
}

/** One tick: append a bar, then queue evaluation of bar-triggered rules. */
export async function handleDemoFeedTick(boss: PgBoss, db: Db): Promise<void> {
  const appended = await appendDemoBar(db);
  if (appended) await boss.send(ALERT_EVALUATE_QUEUE, { trigger: "bar", barMs: appended.timestampMs }, { singletonKey: `bar-${appended.timestampMs}` });
}

/** Schedule the feed: a cron every minute (pg-boss cron is minute-grained), or a slower cron. */
export async function scheduleDemoFeed(boss: PgBoss, seconds: number): Promise<void> {
  const minutes = Math.max(1, Math.round(seconds / 60));
  await boss.schedule(DEMO_FEED_QUEUE, minutes === 1 ? "* * * * *" : `*/${Math.min(minutes, 59)} * * * *`, {}, { singletonKey: "demo-feed" });
}
