import { bigint, boolean, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { workspaces } from "./workspaces";

/**
 * A hydration: loading many symbols' bars from one provider into a workspace (or shared data,
 * workspace null), split into batches on the `data-hydrate` queue across worker processes.
 * Its per-symbol state is {@link hydrationSymbols}; the hydrated symbols form universe `universe`.
 */
export const hydrations = pgTable("hydration", {
  id: uuid("id").primaryKey().defaultRandom(),
  workspaceId: uuid("workspace_id").references(() => workspaces.id, { onDelete: "cascade" }),
  provider: text("provider").notNull(),
  fromMs: bigint("from_ms", { mode: "number" }).notNull(),
  toMs: bigint("to_ms", { mode: "number" }).notNull(),
  universe: text("universe").notNull(),
  total: integer("total").notNull(),
  /** Also load each symbol's fundamentals (providers that publish them), stored with its bars. */
  fundamentals: boolean("fundamentals").notNull().default(false),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One symbol of a hydration. `pending` until a worker lands it: the bars, the universe entry and
 * the move to ok | no_data | error happen in one transaction guarded by `status = 'pending'`, so a
 * symbol is written once even when a killed worker's batch is retried by another. `writes`
 * counts the bar writes (always 0 or 1).
 */
export const hydrationSymbols = pgTable(
  "hydration_symbol",
  {
    hydrationId: uuid("hydration_id")
      .notNull()
      .references(() => hydrations.id, { onDelete: "cascade" }),
    symbol: text("symbol").notNull(),
    /** pending | ok | no_data | error */
    status: text("status").notNull().default("pending"),
    bars: integer("bars").notNull().default(0),
    reason: text("reason"),
    writes: integer("writes").notNull().default(0),
    /** The process that settled it (host:pid:start). */
    worker: text("worker"),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.hydrationId, t.symbol] }),
    index("hydration_symbol_status_idx").on(t.hydrationId, t.status),
  ],
);

export type HydrationSymbolRow = typeof hydrationSymbols.$inferSelect;
