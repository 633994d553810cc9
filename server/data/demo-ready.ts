import "server-only";
/**
 * The demo universe must be in the database before a run on it. The app process starts writing
 * it in the background when it opens the database (a fresh database takes a while; later starts
 * find it stored and return at once); server/boot.ts starts it. Runs wait for it in any process
 * (the app's in-process worker or separate `npm run worker`s in server mode) by watching the rows
 * being written ({@link waitForDemoUniverse}, {@link waitForDemoWrite}) — never on state held in
 * one process's memory.
 */
import { and, count, eq, isNull } from "drizzle-orm";
import { isDemoUniverseName } from "@/lib/data/universes";
import { AppError } from "@/lib/errors";
import type { Db, DbOrTx } from "@/server/db";
import { marketSymbols, marketUniverses } from "@/server/db/schema";
import { DEMO_DEFAULT_SYMBOLS, ensureDemoUniverse } from "./demo";
import { getUniverseSymbols } from "./universes";

const KEY = Symbol.for("strategy-lab.demo-ready");
type G = typeof globalThis & { [KEY]?: Promise<void> };

export function ensureDemoInBackground(db: Db): Promise<void> {
  const g = globalThis as G;
  g[KEY] ??= (async () => {
    const started = performance.now();
    try {
      const r = await ensureDemoUniverse(db, {});
      if (r.created) {
        console.log(
          `[data] demo universe written: ${r.symbols} synthetic symbols × ${r.bars} bars in ${Math.round(performance.now() - started)} ms`,
        );
      }
    } catch (err) {
      console.error("[data] writing the demo universe failed:", err);
    }
  })();
  return g[KEY];
}

/** Options of {@link waitForDemoUniverse}. */
export interface DemoWaitOptions {
  /** Called on every poll while waiting: demo symbols stored so far and the number expected. */
  onWait?: (written: number, expected: number) => Promise<void> | void;
  /** Give up when no new demo symbol was stored for this long (default 60 s). */
  stallMs?: number;
  pollMs?: number;
}

async function demoSymbolsWritten(db: DbOrTx): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(marketSymbols)
    .where(and(isNull(marketSymbols.workspaceId), eq(marketSymbols.source, "demo")));
  return Number(row?.n ?? 0);
}

/**
 * Symbols of universe `name`. When it is a built-in demo universe that is not stored yet (the
 * app is still writing it, possibly in another process), waits while the write makes progress,
 * reporting it through `onWait`; throws the usual NOT_FOUND once nothing was written for
 * `stallMs`. Other names resolve (or fail) at once.
 */
export async function waitForDemoUniverse(
  db: DbOrTx,
  name: string,
  workspaceId: string | null,
  opts: DemoWaitOptions = {},
): Promise<string[]> {
  const stallMs = opts.stallMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1000;
  let last = -1;
  let lastChangeMs = Date.now();
  for (;;) {
    try {
      return await getUniverseSymbols(db, name, workspaceId);
    } catch (err) {
      if (!(err instanceof AppError && err.code === "NOT_FOUND") || !isDemoUniverseName(name)) throw err;
      const written = await demoSymbolsWritten(db);
      if (written !== last) {
        last = written;
        lastChangeMs = Date.now();
      } else if (Date.now() - lastChangeMs >= stallMs) {
        throw err;
      }
      await opts.onWait?.(written, Math.max(written, DEMO_DEFAULT_SYMBOLS));
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }
}

/**
 * While a demo write is in progress (demo symbols being stored, the universe rows — written last —
 * not yet there), wait for it, reporting progress through `onWait`; return at once when no write
 * is under way, and after `stallMs` without progress. For runs on an explicit symbol list.
 */
export async function waitForDemoWrite(db: DbOrTx, opts: DemoWaitOptions = {}): Promise<void> {
  const stallMs = opts.stallMs ?? 60_000;
  const pollMs = opts.pollMs ?? 1000;
  let last = -1;
  let lastChangeMs = Date.now();
  for (;;) {
    const [universe] = await db
      .select({ id: marketUniverses.id })
      .from(marketUniverses)
      .where(and(isNull(marketUniverses.workspaceId), eq(marketUniverses.synthetic, true)))
      .limit(1);
    if (universe) return;
    const written = await demoSymbolsWritten(db);
    if (written === 0) return;
    if (written !== last) {
      last = written;
      lastChangeMs = Date.now();
    } else if (Date.now() - lastChangeMs >= stallMs) {
      return;
    }
    await opts.onWait?.(written, Math.max(written, DEMO_DEFAULT_SYMBOLS));
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
