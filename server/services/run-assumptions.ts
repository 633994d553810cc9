import "server-only";
/**
 * The stated assumptions of a backtest run (data kind and sources, universe, window, capital,
 * costs, fill rule, sizing, parameters), read from its request and the symbols it ran on.
 */
import { and, inArray } from "drizzle-orm";
import type { SimConfigInput } from "@/lib/engine/config";
import { describeAssumptions, type BacktestAssumptions } from "@/lib/reports/assumptions";
import type { DbOrTx } from "@/server/db";
import { marketSymbols } from "@/server/db/schema";
import { ownRowsWin, visibleTo } from "@/server/data/scope";
import { getUniverseSymbols } from "@/server/data/universes";

export async function runAssumptions(
  db: DbOrTx,
  workspaceId: string,
  input: Record<string, unknown>,
): Promise<BacktestAssumptions> {
  const universe = typeof input.universe === "string" ? input.universe : null;
  const listed = Array.isArray(input.symbols) ? input.symbols.filter((s): s is string => typeof s === "string") : [];
  const symbols =
    listed.length > 0 ? listed : universe ? await getUniverseSymbols(db, universe, workspaceId).catch(() => []) : [];
  const rows =
    symbols.length === 0
      ? []
      : await db
          .select({
            symbol: marketSymbols.symbol,
            workspaceId: marketSymbols.workspaceId,
            synthetic: marketSymbols.synthetic,
            source: marketSymbols.source,
          })
          .from(marketSymbols)
          .where(and(inArray(marketSymbols.symbol, symbols), visibleTo(marketSymbols.workspaceId, workspaceId)));
  // A workspace's own import of a symbol is what its runs load; otherwise the shared row.
  const bySymbol = ownRowsWin(rows, (r) => r.symbol);
  return describeAssumptions({
    universe: listed.length > 0 ? null : universe,
    symbols,
    from: typeof input.from === "string" ? input.from : null,
    to: typeof input.to === "string" ? input.to : null,
    config: (input.config ?? null) as SimConfigInput | null,
    params: (input.params ?? null) as Record<string, unknown> | null,
    symbolData: [...bySymbol.values()],
  });
}
