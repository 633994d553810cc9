/**
 * Seeded studies on the run queue repeat their trial sequence (params and value per trial
 * number): a study with no helper jobs (window 1) gives exactly the sequence of the in-process
 * study the CLI runs (runOptimize); a study with helpers (window = 1 + helpers) gives the same
 * sequence whether one or several participants take trials at once, and that sequence is the
 * in-process study's with the same window. Strategy code runs as trusted in-process code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runOptimize } from "@/lib/modes/optimize";
import { studySchema } from "@/lib/schemas/study";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { loadRunBars } from "@/server/jobs/bars";
import { optimizeHandler } from "@/server/jobs/handlers/optimize";
import { startRun } from "@/server/services/runs";
import { resumeStudy } from "@/server/services/optimize-studies";
import { runs } from "@/server/db/schema";
import { eq } from "drizzle-orm";
import { localRunner } from "@/tests/helpers/local-runner";
import { DRIVERS } from "../../helpers/test-db";
import { createHarness, waitForRun, type Harness } from "./harness";

interface Res {
  n_trials: number;
  parallel_window?: number;
  trials: Array<{ number: number; params: Record<string, unknown>; state: string; value?: number | null }>;
}

const rawStudy = {
  method: "tpe",
  trials: 24,
  seed: 7,
  ranges: { fast: { min: 3, max: 25 }, slow: { min: 10, max: 70 } },
  constraints: ["fast < slow"],
  holdout: 0.25,
};

for (const driver of DRIVERS) {
  describe(`seed-reproducible studies on the queue (${driver})`, () => {
    let h: Harness;
    let symbol = "";
    beforeAll(async () => {
      h = await createHarness(driver);
      setDatabaseForTests(h.handle);
      await ensureDemoUniverse(h.db, { symbols: 3, years: 2 });
      symbol = (await getUniverseSymbols(h.db, "demo-3"))[0];
    });
    afterAll(async () => h?.close());

    /** Restart the in-process workers with `helpers` helper jobs per study and `concurrency` slots. */
    const workers = async (helpers: number, concurrency: number) => {
      await h.workers?.stop();
      await h.startWorkers({
        concurrency,
        handlers: { optimize: optimizeHandler(localRunner, { helpers }) },
        optimizeRunner: localRunner,
      });
    };
    const finished = async (runId: string): Promise<Res> => {
      const run = await waitForRun(h.db, h.ws.workspaceId, runId, 120_000);
      expect(run.status, run.error ?? "").toBe("succeeded");
      return run.result as unknown as Res;
    };
    const queue = async (trials = rawStudy.trials) =>
      startRun(h.db, h.caller(), {
        kind: "optimize",
        strategyId: h.strategyId,
        symbols: [symbol],
        params: {},
        priority: "interactive",
        study: studySchema.parse({ ...rawStudy, trials }),
      });
    const queued = async (): Promise<Res> => finished((await queue()).runId);
    const inProcess = async (window?: number): Promise<Res> => {
      const data = await loadRunBars(h.db, h.ws.workspaceId, [symbol], {});
      const r = await runOptimize({
        source: EXAMPLES["sma-cross"].source,
        runner: localRunner,
        universe: data.universe,
        params: {},
        study: studySchema.parse(rawStudy),
        clock: { now: () => Date.now() },
        ...(window ? { window } : {}),
      });
      return r as unknown as Res;
    };
    const sequence = (r: Res) => r.trials.map((t) => [t.number, t.params, t.state, t.value ?? null]);

    it("with no helpers (window 1) the queued study repeats the CLI's in-process sequence", async () => {
      await workers(0, 2);
      const q = await queued();
      expect(q.n_trials).toBe(24);
      expect(q.parallel_window).toBe(1);
      const cli = await inProcess();
      expect(sequence(q)).toEqual(sequence(cli));
      // past TPE's 10 random start-up trials the sequence depends on the earlier values
      expect(new Set(q.trials.map((t) => JSON.stringify(t.params))).size).toBeGreaterThan(12);
    }, 180_000);

    it("with helpers the sequence is the same for one and for three participants at once, and repeats in one process", async () => {
      await workers(2, 1); // the run's job alone (it fills the process's only slot; helpers wait)
      const few = await queued();
      await workers(2, 3); // the run's job + both helpers at once
      const many = await queued();
      expect(few.parallel_window).toBe(3);
      expect(sequence(many)).toEqual(sequence(few));
      expect(sequence(await inProcess(3))).toEqual(sequence(few));
      // and the window matters: window 3 is another sequence than window 1 (so the check is not vacuous)
      expect(sequence(await inProcess(1))).not.toEqual(sequence(few));
    }, 240_000);

    it("the window is recorded on the run; a resume keeps it under other helper settings and continues the sequence", async () => {
      await workers(2, 2);
      const { runId } = await queue(12);
      const first = await finished(runId);
      expect(first.parallel_window).toBe(3);
      const [row] = await h.db.select({ input: runs.input }).from(runs).where(eq(runs.id, runId));
      expect((row.input as { study: { window?: number } }).study.window).toBe(3);
      await workers(0, 2); // a new run would now get window 1
      const resumed = await finished((await resumeStudy(h.db, h.caller(), runId, 12)).runId);
      expect(resumed.parallel_window).toBe(3);
      expect(resumed.n_trials).toBe(24);
      expect(sequence(resumed)).toEqual(sequence(await inProcess(3)));
    }, 240_000);
  });
}
