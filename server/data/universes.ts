import "server-only";
/**
 * Universes: named symbol lists, shared (the demo universes) or a workspace's own — the one owner
 * of reading them. A workspace's own universe shadows a shared one of the same name (scope.ts).
 * Writing a workspace's universes is in service.ts (with the imports that feed them).
 */
import { and, asc, eq } from "drizzle-orm";
import { demoUniverses } from "@/lib/data/universes";
import { AppError } from "@/lib/errors";
import type { DbOrTx } from "@/server/db";
import { marketUniverses } from "@/server/db/schema";
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
    throw new AppError("NOT_FOUND", `Universe "${name}" does not exist. Load the demo universe or create it first.`);
  return row.symbols;
}

/** Shared (demo) universes and the workspace's own, by name. */
export async function listUniverses(db: DbOrTx, workspaceId: string): Promise<UniverseSummary[]> {
  const u = marketUniverses;
  const rows = await db.select().from(u).where(visibleTo(u.workspaceId, workspaceId)).orderBy(asc(u.name));
  return [...ownRowsWin(rows, (r) => r.name).values()].map((r) => ({
    name: r.name,
    description: r.description,
    symbols: r.symbols,
    synthetic: r.synthetic,
    own: r.workspaceId !== null,
    updatedMs: r.updatedAt.getTime(),
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
