import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { EvolveState } from "@/lib/evolve";
import type { EvolveSpec } from "@/lib/schemas/evolve";
import { workspaces } from "./workspaces";

/** One generation's summary in an evolution's history (fitness trend, promotions, evaluations). */
export interface EvolutionGenerationSummary {
  n: number;
  at: string;
  top_fitness: number;
  mean_fitness: number;
  promoted: string[];
  adopted: { individual: string; strategy_id: string }[];
  n_evaluated: number;
  n_duplicates: number;
}

/**
 * A standing population that breeds one generation every `everyHours` (default 24) on the
 * lifecycle schedule, pausable; its whole search state is stored between generations.
 */
export const evolutions = pgTable(
  "evolution",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    workspaceId: uuid("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    symbols: jsonb("symbols").$type<string[]>().notNull(),
    spec: jsonb("spec").$type<EvolveSpec>().notNull(),
    everyHours: integer("every_hours").notNull().default(24),
    paused: boolean("paused").notNull().default(false),
    state: jsonb("state").$type<EvolveState>(),
    history: jsonb("history").$type<EvolutionGenerationSummary[]>().notNull().default([]),
    lastError: text("last_error"),
    /** Why the last due generation was skipped (the error budget was exceeded); cleared when one runs. */
    skippedReason: text("skipped_reason"),
    skippedAt: timestamp("skipped_at", { withTimezone: true }),
    lastGenerationAt: timestamp("last_generation_at", { withTimezone: true }),
    nextGenerationAt: timestamp("next_generation_at", { withTimezone: true }).notNull(),
    createdBy: text("created_by"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("evolution_due_idx").on(t.paused, t.nextGenerationAt),
    index("evolution_workspace_idx").on(t.workspaceId),
  ],
);

export type Evolution = typeof evolutions.$inferSelect;
