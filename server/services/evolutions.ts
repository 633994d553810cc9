import "server-only";
/**
 * Standing evolutions: a population that breeds one generation every `everyHours` (default 24,
 * configurable) when the lifecycle schedule finds it due, or when someone starts a generation by
 * hand; pausable. The whole search state (lib/evolve `EvolveState`, including the generator's
 * state) is stored after each generation, so a generation run tomorrow continues today's stream
 * exactly. Each generation's SHADOW individuals that pass the gate on its window (at most three)
 * are filed as SHADOW strategies (services/lifecycle.ts `adoptEvolved`). Time comes in as `now`.
 */
import { and, asc, eq, lte } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import {
  candidateWindow,
  defaultSeedPlans,
  initialState,
  runGeneration,
  DEFAULT_EVOLVE_CONFIG,
  evaluateGenome,
} from "@/lib/evolve";
import { shadowGate } from "@/lib/lifecycle/gates";
import { commonCalendar, genView } from "@/lib/modes/evolve";
import { genomeCode } from "@/lib/evolve";
import { evolveSchema } from "@/lib/schemas/evolve";
import { symbolSchema } from "@/lib/schemas/runs";
import type { Db } from "@/server/db";
import { evolutions, type Evolution, type EvolutionGenerationSummary } from "@/server/db/schema";
import { loadBars } from "@/server/data/store";
import type { WorkspaceCaller } from "@/server/auth/access";
import { errorBudgetExceededFor } from "@/server/ops/error-budget";
import { recordAudit } from "./audit";
import { adoptEvolved, workspaceGates } from "./lifecycle";

const HOUR_MS = 3_600_000;

export const createEvolutionInput = z
  .object({
    name: z.string().trim().min(1).max(120),
    symbols: z.array(symbolSchema).min(1).max(500),
    every_hours: z
      .number()
      .int("every_hours must be a whole number")
      .min(1, "every_hours must be at least 1")
      .max(24 * 30)
      .default(24),
    evolve: evolveSchema.default(() => evolveSchema.parse({})),
  })
  .strict();

export async function createEvolution(
  db: Db,
  caller: WorkspaceCaller,
  input: unknown,
  opts: { now: Date },
): Promise<Evolution> {
  const v = createEvolutionInput.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evolutions)
      .values({
        workspaceId: caller.workspaceId,
        name: v.name,
        symbols: v.symbols,
        spec: v.evolve,
        everyHours: v.every_hours,
        nextGenerationAt: opts.now,
        createdBy: caller.actor.label,
        createdAt: opts.now,
        updatedAt: opts.now,
      })
      .returning();
    await recordAudit(tx, {
      action: "evolution.created",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "evolution", id: row.id },
      metadata: { name: v.name, every_hours: v.every_hours },
    });
    return row;
  });
}

async function getEvolution(db: Db, workspaceId: string, id: string): Promise<Evolution> {
  const [row] = await db
    .select()
    .from(evolutions)
    .where(and(eq(evolutions.id, id), eq(evolutions.workspaceId, workspaceId)))
    .limit(1);
  if (!row) throw new AppError("NOT_FOUND", "Evolution not found.");
  return row;
}

/** Pause or resume the schedule (audited). A resumed evolution is due at its next time, not at once. */
export async function setEvolutionPaused(
  db: Db,
  caller: WorkspaceCaller,
  id: string,
  paused: boolean,
  opts: { now: Date },
): Promise<Evolution> {
  const ev = await getEvolution(db, caller.workspaceId, id);
  return db.transaction(async (tx) => {
    const next = paused ? ev.nextGenerationAt : new Date(Math.max(ev.nextGenerationAt.getTime(), opts.now.getTime()));
    const [row] = await tx
      .update(evolutions)
      .set({ paused, nextGenerationAt: next, updatedAt: opts.now })
      .where(eq(evolutions.id, id))
      .returning();
    await recordAudit(tx, {
      action: paused ? "evolution.paused" : "evolution.resumed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      target: { type: "evolution", id },
    });
    return row;
  });
}

/**
 * Breeds one generation of the evolution now (by hand, or from the schedule) and stores the new
 * state, the generation's summary and the next due time. Returns the summary.
 */
export async function runEvolutionGeneration(
  db: Db,
  workspaceId: string,
  id: string,
  opts: { now: Date },
): Promise<EvolutionGenerationSummary> {
  const ev = await getEvolution(db, workspaceId, id);
  const series = await loadBars(db, ev.symbols, { workspaceId });
  const universe = commonCalendar(series);
  if (universe.length === 0 || universe[0].close.length < 2)
    throw new AppError("UNPROCESSABLE", "The evolution's symbols have no bars in common.");
  const spec = ev.spec;
  const gates = await workspaceGates(db, workspaceId);
  const cfg = {
    ...DEFAULT_EVOLVE_CONFIG,
    population: spec.population,
    mutationRate: spec.mutation_rate,
    crossoverRate: spec.crossover_rate,
    gates,
    candidateWindow: candidateWindow(universe[0].timestampsMs, gates.candidateDays),
  };
  const prev = ev.state ?? initialState(spec.seed_plans.length ? spec.seed_plans : defaultSeedPlans(), spec.seed);
  const { state, report } = runGeneration(
    prev,
    (p, w) => evaluateGenome(p, universe, w, { minTrades: spec.min_trades }),
    universe[0].close.length,
    cfg,
  );
  const g = genView(report, universe[0].timestampsMs);
  const passing = g.individuals
    .filter((x) => x.state === "SHADOW" && x.candidate)
    .map((x) => ({ x, c: x.candidate! }))
    .filter(
      ({ c }) =>
        shadowGate(
          {
            profitFactor: c.profit_factor ?? (c.win_rate_pct === 100 ? Infinity : NaN),
            winRatePct: c.win_rate_pct ?? NaN,
            numTrades: c.num_trades,
          },
          gates,
        ).length === 0,
    )
    .sort((a, b) => b.x.fitness - a.x.fitness)
    .map(({ x, c }) => ({
      id: `${ev.id.slice(0, 8)}-${x.id}`,
      code: genomeCode(x.genome),
      fitness: x.fitness,
      metrics: c,
      bars: g.candidate_window.bars,
    }));
  const caller: WorkspaceCaller = {
    actor: { type: "system", id: null, label: `evolution ${ev.name}` },
    workspaceId,
    role: null,
  };
  const adopted = await adoptEvolved(db, caller, passing, {
    now: opts.now,
    runId: `evolution ${ev.id} generation ${g.n}`,
    symbols: universe.map((x) => x.symbol),
  });
  const summary: EvolutionGenerationSummary = {
    n: g.n,
    at: opts.now.toISOString(),
    top_fitness: g.top_fitness,
    mean_fitness: Math.round((g.individuals.reduce((s, x) => s + x.fitness, 0) / g.individuals.length) * 10) / 10,
    promoted: g.promoted,
    adopted,
    n_evaluated: g.n_evaluated,
    n_duplicates: g.n_duplicates,
  };
  await db
    .update(evolutions)
    .set({
      state,
      history: [...ev.history, summary],
      lastError: null,
      skippedReason: null,
      skippedAt: null,
      lastGenerationAt: opts.now,
      nextGenerationAt: new Date(opts.now.getTime() + ev.everyHours * HOUR_MS),
      updatedAt: opts.now,
    })
    .where(eq(evolutions.id, ev.id));
  return summary;
}

/**
 * The scheduled part: every unpaused evolution whose next generation is due breeds one. While
 * its workspace's error budget is exceeded (server/ops/error-budget.ts) a due generation is
 * skipped, with the reason kept on the row, and stays due: the next tick after the budget
 * recovers breeds it (and clears the reason).
 */
export async function runDueEvolutions(
  db: Db,
  opts: { now: Date },
): Promise<{ ran: string[]; failed: string[]; skipped: string[] }> {
  const due = await db
    .select({ id: evolutions.id, workspaceId: evolutions.workspaceId })
    .from(evolutions)
    .where(and(eq(evolutions.paused, false), lte(evolutions.nextGenerationAt, opts.now)))
    .orderBy(asc(evolutions.nextGenerationAt));
  const ran: string[] = [];
  const failed: string[] = [];
  const skipped: string[] = [];
  const budgetHold = new Map<string, string | null>();
  for (const d of due) {
    if (!budgetHold.has(d.workspaceId))
      budgetHold.set(d.workspaceId, await errorBudgetExceededFor(db, d.workspaceId, opts.now));
    const hold = budgetHold.get(d.workspaceId);
    if (hold) {
      skipped.push(d.id);
      await db
        .update(evolutions)
        .set({
          skippedReason: `Scheduled generation skipped: ${hold}; it runs once the budget recovers.`,
          skippedAt: opts.now,
        })
        .where(eq(evolutions.id, d.id));
      continue;
    }
    try {
      await runEvolutionGeneration(db, d.workspaceId, d.id, opts);
      ran.push(d.id);
    } catch (err) {
      failed.push(d.id);
      // Retried at the next interval; the reason is kept on the row.
      const [ev] = await db.select().from(evolutions).where(eq(evolutions.id, d.id));
      await db
        .update(evolutions)
        .set({
          lastError: err instanceof Error ? err.message : String(err),
          skippedReason: null,
          skippedAt: null,
          nextGenerationAt: new Date(opts.now.getTime() + (ev?.everyHours ?? 24) * HOUR_MS),
        })
        .where(eq(evolutions.id, d.id));
    }
  }
  return { ran, failed, skipped };
}

export async function listEvolutions(db: Db, workspaceId: string): Promise<Evolution[]> {
  return db.select().from(evolutions).where(eq(evolutions.workspaceId, workspaceId)).orderBy(asc(evolutions.createdAt));
}
