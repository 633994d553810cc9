import "server-only";
/**
 * The demo live feed: on each tick (every LAB_DEMO_FEED_SECONDS; see scheduleDemoFeed) the stored demo universe gets its next bar from lib/data/live-feed.ts
 * (the same seeded model, so bar k equals bar k of a longer batch), then the bar-triggered alert
 * rules are evaluated. Appending is one insert of 500 narrow rows into the bar tail (no chunk
 * is rewritten); a tick then folds the longest tails into the chunks, a few symbols at a time.
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import type { PgBoss } from "pg-boss";
import { createLiveFeedState, stepLiveFeed, type LiveFeedState } from "@/lib/data/live-feed";
import type { Db } from "@/server/db";
import { marketSymbols, marketUniverses } from "@/server/db/schema";
import { appendBars, compactBarTails } from "@/server/data/bar-append";
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

/**
 * Append the next demo bar to every stored demo symbol. Returns the new bar time, or null without
 * a complete demo universe (none, or one still being written).
 */
export async function appendDemoBar(db: Db): Promise<{ timestampMs: number; symbols: number } | null> {
  const rows = await db
    .select({
      id: marketSymbols.id,
      symbol: marketSymbols.symbol,
      barCount: marketSymbols.barCount,
      meta: marketSymbols.meta,
    })
    .from(marketSymbols)
    .where(and(isNull(marketSymbols.workspaceId), eq(marketSymbols.source, "demo")))
    .orderBy(asc(marketSymbols.symbol));
  if (rows.length === 0) return null;
  // The demo universe row is written last: until it exists the symbols are still being written
  // (first start), and a bar appended to the first ones only would leave the universe misaligned.
  const [complete] = await db
    .select({ name: marketUniverses.name })
    .from(marketUniverses)
    .where(
      and(
        isNull(marketUniverses.workspaceId),
        eq(marketUniverses.synthetic, true),
        eq(marketUniverses.name, `demo-${rows.length}`),
      ),
    )
    .limit(1);
  if (!complete) return null;
  const seed = Number(rows[0].meta?.seed ?? 42);
  const barIndex = Math.min(...rows.map((r) => r.barCount));
  const { state, bars } = stepLiveFeed(feedState(seed, rows.length, barIndex));
  const bySymbol = new Map(bars.map((b) => [b.symbol, b]));
  await appendBars(
    db,
    rows.flatMap((r) => {
      const bar = bySymbol.get(r.symbol);
      if (!bar || r.barCount !== barIndex) return [];
      const { timestampMs, open, high, low, close, volume, marketCap, pe, eps, revenue, pb, debtToEquity } = bar;
      return [
        {
          symbolId: r.id,
          timestampMs,
          open,
          high,
          low,
          close,
          volume,
          fundamentals: { marketCap, pe, eps, revenue, pb, debtToEquity },
        },
      ];
    }),
  );
  (globalThis as G)[STATE] = { key: `${seed}|${rows.length}|${barIndex + 1}`, state };
  return { timestampMs: bars[0]?.timestampMs ?? 0, symbols: rows.length };
}

/**
 * Tails longer than this are folded into the chunks, at most {@link COMPACT_PER_TICK} symbols a
 * tick: the demo symbols grow in step, so their compactions spread over ~20 ticks.
 */
const COMPACT_MIN_ROWS = 256;
const COMPACT_PER_TICK = 25;

/** One tick: append a bar, queue evaluation of bar-triggered rules, then fold a few long tails. */
export async function handleDemoFeedTick(boss: PgBoss, db: Db): Promise<void> {
  const appended = await appendDemoBar(db);
  if (appended)
    await boss.send(
      ALERT_EVALUATE_QUEUE,
      { trigger: "bar", barMs: appended.timestampMs },
      { singletonKey: `bar-${appended.timestampMs}` },
    );
  await compactBarTails(db, { minRows: COMPACT_MIN_ROWS, maxSymbols: COMPACT_PER_TICK });
}

/**
 * Schedule the feed every `seconds`. Whole minutes use a pg-boss cron (one schedule across
 * processes). Anything else (pg-boss cron is minute-grained) uses a timer in each worker process
 * that sends a tick once per `seconds`-long slot: the singleton key and slot make the queue keep
 * one tick per slot however many workers run. Returns a function that stops this process's timer.
 */
export async function scheduleDemoFeed(boss: PgBoss, seconds: number): Promise<() => void> {
  if (seconds % 60 === 0) {
    const minutes = seconds / 60;
    await boss.schedule(
      DEMO_FEED_QUEUE,
      minutes === 1 ? "* * * * *" : `*/${Math.min(minutes, 59)} * * * *`,
      {},
      { singletonKey: "demo-feed" },
    );
    return () => undefined;
  }
  await boss.unschedule(DEMO_FEED_QUEUE).catch(() => undefined);
  const send = () =>
    boss.send(DEMO_FEED_QUEUE, {}, { singletonKey: "demo-feed", singletonSeconds: seconds }).catch(() => undefined);
  const timer = setInterval(() => void send(), Math.max(1, seconds) * 1000);
  timer.unref?.();
  await send();
  return () => clearInterval(timer);
}
