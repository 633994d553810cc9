import "server-only";
/**
 * Universes: named symbol lists, shared (the demo universes) or a workspace's own — the one owner
 * of reading them. A workspace's own universe shadows a shared one of the same name (scope.ts).
 * Writing a workspace's universes is in service.ts (with the imports that feed them).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import { demoUniverses, isDemoUniverseName } from "@/lib/data/universes";
import { AppError } from "@/lib/errors";
import { quoteInput } from "@/lib/schemas/text";
import type { DbOrTx } from "@/server/db";
import { marketSymbols, marketUniverses } from "@/server/db/schema";
import { ownRowsWin, visibleTo } from "./scope";

export interface UniverseSummary {
  name: string;
  description: string | null;
  symbols: string[];
  synthetic: boolean;
  /** true for the workspace's own (deletable) universes. */
  own: boolean;
  /** When its symbol list last changed (an import, a hydration or refresh that wrote bars, an edit), UTC ms. */
  updatedMs?: number;
  /** How current its stored bars are (from the symbols' rows as the workspace sees them). */
  freshness?: UniverseFreshness;
}

/** "Last updated" of a universe, from the stored bars of its symbols. */
export interface UniverseFreshness {
  /** The newest bar of any of its symbols, UTC ms; null when none holds bars. */
  lastBarMs: number | null;
  /** The last bar of the symbol furthest behind: every symbol with data has bars up to here. */
  oldestLastBarMs: number | null;
  /** The latest write to any of its symbols (import, hydration, refresh, appended bar), UTC ms. */
  lastWriteMs: number | null;
  /** How many of its symbols hold bars. */
  symbolsWithData: number;
}

/** Per stored symbol: its last bar and the time of its last write. */
export type SymbolFreshness = Map<string, { lastMs: number | null; writtenMs: number }>;

/** The freshness of a universe of `symbols` given each symbol's row (symbols without a row hold no bars). */
export function universeFreshness(symbols: readonly string[], rows: SymbolFreshness): UniverseFreshness {
  let lastBarMs: number | null = null;
  let oldestLastBarMs: number | null = null;
  let lastWriteMs: number | null = null;
  let symbolsWithData = 0;
  for (const s of symbols) {
    const r = rows.get(s);
    if (!r || r.lastMs === null) continue;
    symbolsWithData++;
    lastBarMs = lastBarMs === null ? r.lastMs : Math.max(lastBarMs, r.lastMs);
    oldestLastBarMs = oldestLastBarMs === null ? r.lastMs : Math.min(oldestLastBarMs, r.lastMs);
    lastWriteMs = lastWriteMs === null ? r.writtenMs : Math.max(lastWriteMs, r.writtenMs);
  }
  return { lastBarMs, oldestLastBarMs, lastWriteMs, symbolsWithData };
}

/** Last bar and last write of each of `symbols` as `workspaceId` sees them (its own row wins). */
export async function symbolFreshness(
  db: DbOrTx,
  symbols: readonly string[],
  workspaceId: string,
): Promise<SymbolFreshness> {
  if (symbols.length === 0) return new Map();
  const m = marketSymbols;
  const rows = await db
    .select({ symbol: m.symbol, workspaceId: m.workspaceId, lastMs: m.lastMs, updatedAt: m.updatedAt })
    .from(m)
    .where(and(sql`${m.symbol} = any(${sql.param([...symbols])}::text[])`, visibleTo(m.workspaceId, workspaceId)));
  const out: SymbolFreshness = new Map();
  for (const [symbol, r] of ownRowsWin(rows, (x) => x.symbol))
    out.set(symbol, { lastMs: r.lastMs, writtenMs: r.updatedAt.getTime() });
  return out;
}

/** Symbols of universe `name` as `workspaceId` sees it (null: shared universes only). NOT_FOUND when there is none. */
export async function getUniverseSymbols(db: DbOrTx, name: string, workspaceId?: string | null): Promise<string[]> {
  const u = marketUniverses;
  const rows = await db
    .select({ name: u.name, symbols: u.symbols, workspaceId: u.workspaceId })
    .from(u)
    .where(and(eq(u.name, name), visibleTo(u.workspaceId, workspaceId)));
  const row = ownRowsWin(rows, (r) => r.name).get(name);
  if (!row)
    throw new AppError(
      "NOT_FOUND",
      `Universe ${quoteInput(name)} does not exist. Load the demo universe or create it first.`,
    );
  return row.symbols;
}

/**
 * Checks, before a run is queued, that a universe name can be run on: the workspace's or a shared
 * universe, or a built-in demo name still being written at start-up (the run waits for it).
 * UNPROCESSABLE naming the field otherwise, so nothing is queued for a run that cannot start.
 */
export async function checkRunnableUniverse(db: DbOrTx, workspaceId: string, name: string): Promise<void> {
  const stored = (await listUniverses(db, workspaceId)).map((u) => u.name);
  const demo = demoUniverses().map((u) => u.name);
  if (stored.includes(name) || isDemoUniverseName(name)) return;
  const known = stored.length > 0 ? stored : demo;
  const message = `Universe ${quoteInput(name)} does not exist. Pick one of ${known.slice(0, 8).join(", ")}${
    known.length > 8 ? ", …" : ""
  }, or create it first.`;
  throw new AppError("UNPROCESSABLE", message, { fieldErrors: { universe: [message] } });
}

/** Shared (demo) universes and the workspace's own, by name. */
export async function listUniverses(db: DbOrTx, workspaceId: string): Promise<UniverseSummary[]> {
  const u = marketUniverses;
  const rows = await db.select().from(u).where(visibleTo(u.workspaceId, workspaceId)).orderBy(asc(u.name));
  const kept = [...ownRowsWin(rows, (r) => r.name).values()];
  const fresh = await symbolFreshness(db, [...new Set(kept.flatMap((r) => r.symbols))], workspaceId);
  return kept.map((r) => ({
    name: r.name,
    description: r.description,
    symbols: r.symbols,
    synthetic: r.synthetic,
    own: r.workspaceId !== null,
    updatedMs: r.updatedAt.getTime(),
    freshness: universeFreshness(r.symbols, fresh),
  }));
}

/**
 * Universes a workspace can run on, for the run forms' pickers: {@link listUniverses} (or the
 * built-in demo names before the demo universe is stored), smallest useful first.
 */
export async function runnableUniverses(
  db: DbOrTx,
  workspaceId: string,
): Promise<{ name: string; description: string; symbols: number }[]> {
  const stored = await listUniverses(db, workspaceId);
  const list =
    stored.length > 0
      ? stored.map((r) => ({ name: r.name, description: r.description ?? "", symbols: r.symbols.length }))
      : demoUniverses().map((u) => ({ name: u.name, description: u.description, symbols: u.symbols.length }));
  // Default first: a demo sector slice or a small universe keeps the first run quick.
  const rank = (u: { name: string; symbols: number }) =>
    u.name === "demo-tech" ? 0 : u.name === "demo-50" ? 1 : u.symbols >= 5 ? 2 + u.symbols / 10_000 : 3;
  return list.sort((a, b) => rank(a) - rank(b));
}
