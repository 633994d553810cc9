import "server-only";
/** Which of a run's symbols hold stale provider data (the rule: lib/data/staleness.ts). */
import { and, isNull, or, eq, sql } from "drizzle-orm";
import { findStale, type StaleSymbol } from "@/lib/data/staleness";
import type { DbOrTx } from "@/server/db";
import { marketSymbols as m } from "@/server/db/schema";
import { PROVIDER_ENV } from "./hydrate";

/** The run's stale symbols as of `asOfMs` (the workspace's own row of a symbol wins over a shared one). */
export async function staleSymbols(
  db: DbOrTx,
  workspaceId: string,
  symbols: string[],
  asOfMs: number,
): Promise<StaleSymbol[]> {
  if (symbols.length === 0) return [];
  const rows = await db
    .select({
      symbol: m.symbol,
      workspaceId: m.workspaceId,
      source: m.source,
      synthetic: m.synthetic,
      lastMs: m.lastMs,
    })
    .from(m)
    .where(
      and(
        sql`${m.symbol} = any(${sql.param(symbols)}::text[])`,
        or(eq(m.workspaceId, workspaceId), isNull(m.workspaceId)),
      ),
    );
  const best = new Map<string, (typeof rows)[number]>();
  for (const r of rows) if (!best.has(r.symbol) || r.workspaceId !== null) best.set(r.symbol, r);
  const ordered = symbols.flatMap((s) => (best.has(s) ? [best.get(s)!] : []));
  return findStale(ordered, asOfMs, Object.keys(PROVIDER_ENV));
}
