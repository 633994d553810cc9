import "server-only";
/** Market data of a workspace: CSV import, symbols, universes, data quality. */
import { z } from "zod";
import { workspaceIdSchema } from "@/lib/schemas/workspaces";
import { BAR_INTERVALS } from "@/lib/data/providers";
import { appMacroProvider, appProviders, importFromProvider } from "@/server/data/provider-import";
import { sourceStatuses } from "@/server/data/sources";
import { listMacroSeries } from "@/server/data/macro";
import {
  deleteImportedSymbol,
  deleteUniverse,
  importCsv,
  listSymbols,
  MAX_CSV_CHARS,
  saveUniverse,
  symbolQuality,
} from "@/server/data/service";
import { listUniverses } from "@/server/data/universes";
import { chartBars } from "@/server/data/chart-bars";
import { startHydration, workspaceHydrationResults, workspaceHydrations } from "@/server/services/hydrations";
import { router, workspaceProcedure } from "../trpc";

const ws = { workspaceId: workspaceIdSchema };
const symbol = z.string().trim().min(1, "Enter a symbol.").max(24);

export const dataRouter = router({
  symbols: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(({ ctx }) => listSymbols(ctx.db, ctx.caller.workspaceId)),
  universes: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(({ ctx }) => listUniverses(ctx.db, ctx.caller.workspaceId)),
  /** One symbol's OHLC bars for a price chart (at most 3,000 points). */
  bars: workspaceProcedure("strategies.read")
    .input(
      z
        .object({ ...ws, symbol, fromMs: z.number().finite().optional(), toMs: z.number().finite().optional() })
        .strict(),
    )
    .query(({ ctx, input }) => chartBars(ctx.db, ctx.caller.workspaceId, input.symbol, input)),
  quality: workspaceProcedure("strategies.read")
    .input(
      z
        .object({ ...ws, symbol, fromMs: z.number().finite().optional(), toMs: z.number().finite().optional() })
        .strict(),
    )
    .query(({ ctx, input }) => symbolQuality(ctx.db, ctx.caller.workspaceId, input.symbol, input)),
  import: workspaceProcedure("strategies.write")
    .input(
      z
        .object({
          ...ws,
          symbol,
          csv: z.string().max(MAX_CSV_CHARS, "The file is too large; split it."),
          timezone: z.string().max(64).optional(),
          noHeader: z.boolean().optional(),
          fileName: z.string().max(200).optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => importCsv(ctx.db, ctx.caller, input)),
  /** Hydrate many symbols from a configured provider in the background (batches on the queue). */
  hydrate: workspaceProcedure("strategies.write")
    .input(
      z
        .object({
          ...ws,
          provider: z.string().min(1).max(64),
          symbols: z.array(z.string().max(24)).min(1, "Add at least one symbol.").max(20_000),
          fromMs: z.number().finite(),
          toMs: z.number().finite(),
          universe: z.string().trim().min(1).max(48).optional(),
          fundamentals: z.boolean().optional(),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => startHydration(ctx.db, ctx.caller, input)),
  /** The workspace's latest hydrations with progress (done / total, bars, ETA). */
  hydrations: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(({ ctx }) => workspaceHydrations(ctx.db, ctx.caller.workspaceId)),
  /** Per-symbol outcomes (ok / no_data / error with reason) of one hydration. */
  hydrationResults: workspaceProcedure("strategies.read")
    .input(z.object({ ...ws, hydrationId: z.string().uuid("Unknown hydration.") }).strict())
    .query(({ ctx, input }) => workspaceHydrationResults(ctx.db, ctx.caller.workspaceId, input.hydrationId)),
  /** Every data source with its status: configured (or the variable to set), rate limit, breaker. */
  sources: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(() => sourceStatuses(appProviders(), appMacroProvider())),
  /** Macro series (FRED) the workspace sees, for strategies that declare `macro`. */
  macroSeries: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(({ ctx }) => listMacroSeries(ctx.db, ctx.caller.workspaceId)),
  /** Names of the market data providers this deployment has configured (none by default). */
  providers: workspaceProcedure("strategies.read")
    .input(z.object(ws).strict())
    .query(() => appProviders().map((p) => p.name)),
  fetch: workspaceProcedure("strategies.write")
    .input(
      z
        .object({
          ...ws,
          provider: z.string().min(1).max(64),
          symbol,
          fromMs: z.number().finite(),
          toMs: z.number().finite(),
          interval: z.enum(BAR_INTERVALS as [string, ...string[]]).default("1d"),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) =>
      importFromProvider(ctx.db, ctx.caller, appProviders(), {
        ...input,
        interval: input.interval as (typeof BAR_INTERVALS)[number],
      }),
    ),
  deleteSymbol: workspaceProcedure("strategies.write")
    .input(z.object({ ...ws, symbol }).strict())
    .mutation(({ ctx, input }) => deleteImportedSymbol(ctx.db, ctx.caller, input.symbol)),
  saveUniverse: workspaceProcedure("strategies.write")
    .input(
      z
        .object({
          ...ws,
          name: z.string().trim().min(1, "Name the universe.").max(48),
          description: z.string().max(200).optional(),
          symbols: z.array(symbol).min(1, "Add at least one symbol.").max(5000),
        })
        .strict(),
    )
    .mutation(({ ctx, input }) => saveUniverse(ctx.db, ctx.caller, input)),
  deleteUniverse: workspaceProcedure("strategies.write")
    .input(z.object({ ...ws, name: z.string().trim().min(1).max(48) }).strict())
    .mutation(({ ctx, input }) => deleteUniverse(ctx.db, ctx.caller, input.name)),
});
