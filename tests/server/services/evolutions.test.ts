/**
 * Standing evolutions on a fake clock: one generation when due (every 24 h by default, configurable),
 * nothing before, nothing while paused; the stored search state continues the same random stream
 * (two scheduled generations equal a two-generation evolution in one go); promoted individuals are
 * filed as SHADOW strategies; bad settings are refused naming the field, nothing stored.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { defaultSeedPlans, evaluateGenome, evolve, DEFAULT_EVOLVE_CONFIG } from "@/lib/evolve";
import { DEFAULT_GATES } from "@/lib/lifecycle/gates";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadBars } from "@/server/data/store";
import { evolutions, strategies } from "@/server/db/schema";
import {
  createEvolution,
  runDueEvolutions,
  runEvolutionGeneration,
  setEvolutionPaused,
} from "@/server/services/evolutions";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 2, 2, 6);

describe("standing evolutions", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let symbol = "";
  let id = "";
  const caller = () => ({
    actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
    workspaceId: s.workspaceId,
    role: "owner" as const,
  });
  const row = async () => (await t.db.select().from(evolutions).where(eq(evolutions.id, id)))[0];

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    await ensureDemoUniverse(t.db, { symbols: 3, years: 4 });
    symbol = (await getUniverseSymbols(t.db, "demo-3"))[0];
  }, 120_000);
  afterAll(async () => t?.close());

  it("refuses bad settings naming the field, storing nothing", async () => {
    for (const [input, field] of [
      [{ name: "x", symbols: [symbol], every_hours: 0 }, "every_hours"],
      [{ name: "x", symbols: [symbol], evolve: { mutation_rate: 2 } }, "mutation_rate"],
      [{ name: "x", symbols: [symbol], evolve: { population: 1 } }, "population"],
    ] as const)
      await expect(createEvolution(t.db, caller(), input, { now: new Date(T0) })).rejects.toThrow(field);
    expect(await t.db.select().from(evolutions)).toHaveLength(0);
  });

  it("breeds one generation when due, every 24 h by default, continuing the same stream", async () => {
    id = (
      await createEvolution(
        t.db,
        caller(),
        { name: "daily", symbols: [symbol], evolve: { population: 8, seed: 6 } },
        { now: new Date(T0) },
      )
    ).id;
    expect((await runDueEvolutions(t.db, { now: new Date(T0) })).ran).toEqual([id]);
    expect((await row()).nextGenerationAt.getTime()).toBe(T0 + 24 * HOUR);
    expect((await runDueEvolutions(t.db, { now: new Date(T0 + 23.9 * HOUR) })).ran).toEqual([]);
    expect((await runDueEvolutions(t.db, { now: new Date(T0 + 24 * HOUR) })).ran).toEqual([id]);
    const r = await row();
    expect(r.history.map((h) => h.n)).toEqual([0, 1]);
    // Two scheduled generations = a two-generation evolution in one go (same seed, same bars).
    const universe = await loadBars(t.db, [symbol], { workspaceId: s.workspaceId });
    const pure = evolve(
      defaultSeedPlans(),
      (p, w) => evaluateGenome(p, universe, w, { minTrades: 10 }),
      universe[0].close.length,
      {
        generations: 2,
        seed: 6,
        config: { ...DEFAULT_EVOLVE_CONFIG, population: 8, gates: DEFAULT_GATES },
      },
    );
    expect(r.state?.population.map((x) => [x.id, x.fitness])).toEqual(
      pure.generations[1].individuals.map((x) => [x.id, x.fitness]),
    );
    expect(r.history.map((h) => h.top_fitness)).toEqual(pure.generations.map((g) => g.top_fitness));
    // Filed strategies are SHADOW.
    for (const a of r.history.flatMap((h) => h.adopted)) {
      const [st] = await t.db.select().from(strategies).where(eq(strategies.id, a.strategy_id));
      expect(st.state).toBe("SHADOW");
    }
  });

  it("pauses and resumes; a generation can also be started by hand", async () => {
    await setEvolutionPaused(t.db, caller(), id, true, { now: new Date(T0 + 30 * HOUR) });
    expect((await runDueEvolutions(t.db, { now: new Date(T0 + 72 * HOUR) })).ran).toEqual([]);
    await setEvolutionPaused(t.db, caller(), id, false, { now: new Date(T0 + 72 * HOUR) });
    expect((await runDueEvolutions(t.db, { now: new Date(T0 + 72 * HOUR) })).ran).toEqual([id]);
    const byHand = await runEvolutionGeneration(t.db, s.workspaceId, id, { now: new Date(T0 + 73 * HOUR) });
    expect(byHand.n).toBe(3);
    expect((await row()).nextGenerationAt.getTime()).toBe(T0 + 97 * HOUR);
  });
});
