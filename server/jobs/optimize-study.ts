import "server-only";
/**
 * Optimize studies spread over worker processes, with the study's state in Postgres
 * (table optimize_trial; ask-and-tell as Optuna's RDB storage):
 *  - ask, without a lock: read the trials (finished ones only once — they never change), check
 *    the stop rules, then either take over a trial whose lease expired (its worker died: same
 *    number, same params, attempts + 1; a conditional update, so one asker gets it) or sample the
 *    next number n and insert it as running with a lease (the primary key lets one asker have n;
 *    the others read again). No lock is held while a process computes, so askers never queue
 *    behind each other. Trial n is sampled against
 *    a fixed history (lib/optimize/study.ts windowedHistory): trials up to n − window finished
 *    and seen, the window − 1 before n seen as running (TPE's constant liar) — an asker waits for
 *    trial n − window when it is still running. So with a seed the trial sequence (params per
 *    number) depends on the study and its window (StudyConfig.window: 1 + helper jobs), not on how many processes
 *    take part or which finishes first; window 1 is the CLI's sequential study;
 *  - while a trial is evaluated its lease is renewed, so only a dead worker's trials expire;
 *  - tell: a conditional update (still running, still ours), so a trial is recorded once and a
 *    worker that lost its lease cannot overwrite the retry's result. It overlaps the participant's
 *    next ask (which sees the trial as told) and is awaited right after it.
 * The coordinator (the run's own job) also waits for in-flight trials before it builds the result;
 * helper jobs on OPTIMIZE_TRIALS_QUEUE just take trials until the study stops.
 */
import { hostname } from "node:os";
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { StudyExecutor, TrialOutcome } from "@/lib/modes/optimize";
import { ask, studyParts, windowedHistory, type StudyConfig, type TrialHandle } from "@/lib/optimize/study";
import { stopReason as stopRule, type StopReason } from "@/lib/optimize/stop";
import type { Trial } from "@/lib/optimize/types";
import type { Db, DbOrTx } from "@/server/db";
import { optimizeTrials, type OptimizeTrialRow } from "@/server/db/schema";

const STARTED = Date.now();
/** This process, as recorded on the trials it evaluates. */
export const WORKER_ID = `${hostname()}:${process.pid}:${STARTED}`;
let participants = 0;

export interface DbExecutorOptions {
  /** Trial lease: a running trial older than this is presumed lost and handed out again. */
  leaseMs: number;
  /** When the study started (its timeout counts from here), UTC ms. */
  studyStartMs: number;
  /** Coordinator: keep going until no trial is in flight; helper: stop at the first stop rule. */
  waitForInFlight: boolean;
  isCancelled: () => boolean;
  between: () => Promise<void>;
  /** After each told trial, with the trials as this process last saw them. */
  onTrial?: (trial: Trial, all: Trial[]) => void;
  pollMs?: number;
  /** Default: this process plus a participant number, so two participants of one process never share a trial. */
  workerId?: string;
}

function toB64(x: Float32Array | null): string | null {
  return x ? Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString("base64") : null;
}
function fromB64(s: string | null): Float32Array | null {
  if (!s) return null;
  const b = Buffer.from(s, "base64");
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

function toTrial(
  r: Pick<OptimizeTrialRow, "number" | "params" | "state" | "values" | "violation" | "intermediate">,
): Trial {
  const t: Trial = { number: r.number, params: r.params, state: r.state as Trial["state"] };
  if (r.values) t.values = r.values.map((v) => (v === null ? NaN : v));
  if (r.violation !== null && r.violation > 0) t.violation = r.violation;
  if (r.intermediate?.length) t.intermediate = r.intermediate;
  return t;
}

const fin = (x: number): number | null => (Number.isFinite(x) ? x : null);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function dbStudyExecutor(db: Db, runId: string, opts: DbExecutorOptions): StudyExecutor {
  const me = opts.workerId ?? `${WORKER_ID}:${participants++}`;
  const pollMs = opts.pollMs ?? 250;
  const light = {
    number: optimizeTrials.number,
    params: optimizeTrials.params,
    state: optimizeTrials.state,
    values: optimizeTrials.values,
    violation: optimizeTrials.violation,
    intermediate: optimizeTrials.intermediate,
    leaseUntil: optimizeTrials.leaseUntil,
    attempts: optimizeTrials.attempts,
    worker: optimizeTrials.worker,
  };
  type LightRow = Pick<
    OptimizeTrialRow,
    "number" | "params" | "state" | "values" | "violation" | "intermediate" | "leaseUntil" | "attempts" | "worker"
  >;
  const ours = (number: number) =>
    and(
      eq(optimizeTrials.runId, runId),
      eq(optimizeTrials.number, number),
      eq(optimizeTrials.worker, me),
      eq(optimizeTrials.state, "running"),
    );
  /** Until trial `number` has finished or its lease expired (then the next ask takes it over). */
  async function waitForTrial(number: number): Promise<void> {
    for (let delay = 5; !opts.isCancelled(); delay = Math.min(pollMs, delay * 2)) {
      const [r] = await db
        .select({ state: optimizeTrials.state, leaseUntil: optimizeTrials.leaseUntil })
        .from(optimizeTrials)
        .where(and(eq(optimizeTrials.runId, runId), eq(optimizeTrials.number, number)));
      if (!r || r.state !== "running" || r.leaseUntil < new Date()) return;
      await sleep(delay);
    }
  }
  /**
   * The study's trials in number order. A finished trial never changes (tell only updates a
   * running one), so finished trials are read once: `done` holds trials 0 .. done.length − 1, all
   * finished, and each read fetches only the rows from there on.
   */
  const done: Trial[] = [];
  /**
   * This participant's last tell while it is still on its way: it overlaps the next ask (the
   * update and the read go over two connections), which sees the trial as told — exactly what
   * the update writes, so the sampled history is the one every participant sees once it lands.
   * Awaited right after that ask, so a failed tell still fails the run.
   */
  let telling: {
    told: Pick<LightRow, "number" | "state" | "values" | "violation" | "intermediate">;
    landed: Promise<unknown>;
  } | null = null;
  async function readTrials(): Promise<{ rows: LightRow[]; trials: Trial[] }> {
    const rows = await db
      .select(light)
      .from(optimizeTrials)
      .where(and(eq(optimizeTrials.runId, runId), gte(optimizeTrials.number, done.length)))
      .orderBy(asc(optimizeTrials.number));
    if (telling) {
      const i = rows.findIndex((r) => r.number === telling!.told.number && r.state === "running" && r.worker === me);
      if (i >= 0) rows[i] = { ...rows[i], ...telling.told };
    }
    const open: Trial[] = [];
    for (const r of rows) {
      const t = toTrial(r);
      if (open.length === 0 && r.state !== "running" && r.number === done.length) done.push(t);
      else open.push(t);
    }
    return { rows, trials: open.length === 0 ? done.slice() : done.concat(open) };
  }
  return {
    async run(cfg: StudyConfig, objective) {
      const parts = studyParts(cfg.method === "tpe" ? { ...cfg, tpe: { ...cfg.tpe, constantLiar: true } } : cfg);
      const dir = cfg.directions[0];
      // Grid points and random draws ignore the history: no need to hold askers back for them.
      const historyMatters = cfg.method === "tpe" || cfg.method === "nsga2" || (cfg.pruner ?? "none") !== "none";
      const window = historyMatters ? Math.max(1, Math.floor(cfg.window ?? 1)) : Number.MAX_SAFE_INTEGER;
      let reason: StopReason | null = null;
      for (;;) {
        if (opts.isCancelled()) {
          reason = "cancelled";
          break;
        }
        type Asked =
          | { number: number; params: Trial["params"]; trials: Trial[]; settled: Trial[] }
          | { stop: StopReason; inFlight: boolean }
          | { waitFor: number }
          | { lost: true };
        const asked: Asked = await (async (): Promise<Asked> => {
          const { rows, trials } = await readTrials();
          const now = new Date();
          const lease = new Date(now.getTime() + opts.leaseMs);
          const stale = rows.find((r) => r.state === "running" && r.leaseUntil < now);
          if (stale) {
            // Only one asker takes it over: the lease moves into the future with the first update.
            const took = await db
              .update(optimizeTrials)
              .set({ worker: me, leaseUntil: lease, attempts: stale.attempts + 1, intermediate: null })
              .where(
                and(
                  eq(optimizeTrials.runId, runId),
                  eq(optimizeTrials.number, stale.number),
                  eq(optimizeTrials.state, "running"),
                  lt(optimizeTrials.leaseUntil, now),
                ),
              )
              .returning({ number: optimizeTrials.number });
            if (took.length === 0) return { lost: true };
            const { settled } = windowedHistory(trials, stale.number, window);
            return { number: stale.number, params: stale.params, trials, settled };
          }
          const inFlight = rows.some((r) => r.state === "running");
          const rule = stopRule(cfg.stop, trials, dir, Date.now() - opts.studyStartMs);
          if (rule) return { stop: rule, inFlight };
          if (cfg.stop.maxTrials !== undefined && trials.length >= cfg.stop.maxTrials)
            return { stop: "n_trials", inFlight };
          const number = trials.length === 0 ? 0 : trials[trials.length - 1].number + 1;
          const history = windowedHistory(trials, number, window);
          if (history.waitFor !== null) return { waitFor: history.waitFor };
          // Any asker of this number samples the same params (they depend only on the windowed
          // history); the primary key lets one of them have it, the others read again.
          const params = ask(cfg, parts.sampler, history.trials, number);
          if (!params) return { stop: "grid_exhausted", inFlight };
          const inserted = await db
            .insert(optimizeTrials)
            .values({ runId, number, params, state: "running", worker: me, leaseUntil: lease })
            .onConflictDoNothing()
            .returning({ number: optimizeTrials.number });
          if (inserted.length === 0) return { lost: true };
          return { number, params, trials, settled: history.settled };
        })();
        if (telling) {
          const t = telling;
          telling = null;
          await t.landed;
        }
        if ("lost" in asked) continue;
        if ("waitFor" in asked) {
          await waitForTrial(asked.waitFor);
          continue;
        }
        if ("stop" in asked) {
          if (opts.waitForInFlight && asked.inFlight) {
            await sleep(pollMs);
            continue;
          }
          reason = asked.stop;
          break;
        }
        const trial: Trial = { number: asked.number, params: asked.params, state: "running", intermediate: [] };
        const handle: TrialHandle = {
          number: asked.number,
          report(step, value) {
            trial.intermediate!.push([step, value]);
            return parts.pruner.shouldPrune(trial, step, value, asked.settled, dir);
          },
        };
        // Keep the lease while this trial runs: only a dead worker's trials are handed out again.
        const renew = setInterval(
          () => {
            db.update(optimizeTrials)
              .set({ leaseUntil: new Date(Date.now() + opts.leaseMs) })
              .where(ours(asked.number))
              .catch(() => undefined);
          },
          Math.max(50, Math.floor(opts.leaseMs / 3)),
        );
        let out: TrialOutcome;
        try {
          out = await objective(asked.params, handle);
        } catch (err) {
          const msg = err instanceof Error ? err.message : String(err);
          out = { evaluation: { failed: msg }, metrics: null, returns: null, error: msg };
        } finally {
          clearInterval(renew);
        }
        const ev = out.evaluation;
        const state = "pruned" in ev ? "pruned" : "failed" in ev ? "failed" : "complete";
        const values = "values" in ev ? ev.values.map(fin) : null;
        const violation = "values" in ev && ev.violation !== undefined ? ev.violation : null;
        const intermediate = trial.intermediate!.length ? trial.intermediate! : null;
        telling = {
          told: { number: asked.number, state, values, violation, intermediate },
          landed: db
            .update(optimizeTrials)
            .set({
              state,
              values,
              violation,
              intermediate,
              metrics: out.metrics,
              returns: toB64(out.returns),
              error: out.error ?? null,
              finishedAt: new Date(),
            })
            .where(ours(asked.number))
            .then(() => undefined),
        };
        // Not left unhandled while it overlaps the next ask (it is awaited right after that ask).
        telling.landed.catch(() => undefined);
        if (opts.onTrial) {
          trial.state = state;
          if (values) trial.values = values.map((v) => (v === null ? NaN : v));
          opts.onTrial(trial, [...asked.trials.filter((t) => t.number !== asked.number), trial]);
        }
        await opts.between();
      }
      if (telling) {
        const t = telling;
        telling = null;
        await t.landed;
      }
      if (!opts.waitForInFlight) return { trials: [], stopReason: reason, outcomes: new Map() };
      const rows = await db
        .select()
        .from(optimizeTrials)
        .where(eq(optimizeTrials.runId, runId))
        .orderBy(asc(optimizeTrials.number));
      return {
        trials: rows.map(toTrial),
        stopReason: reason,
        outcomes: new Map(
          rows.map((r) => [
            r.number,
            {
              metrics: (r.metrics as TrialOutcome["metrics"]) ?? null,
              returns: fromB64(r.returns),
              ...(r.error ? { error: r.error } : {}),
            },
          ]),
        ),
      };
    },
  };
}

/** A finished trial as live events carry it. */
export interface TrialEvent {
  number: number;
  params: Trial["params"];
  state: "complete" | "pruned" | "failed" | "infeasible";
  /** First objective (null when not finite or not evaluated). */
  value: number | null;
  values: Array<number | null> | null;
}

/**
 * Reads the trials of a study that finished since the last call, each exactly once (a watcher's
 * cursor: the latest finish time seen, plus the numbers already sent at that time).
 */
export function finishedTrialsReader(db: DbOrTx, runId: string): () => Promise<TrialEvent[]> {
  let since = new Date(0);
  let atSince = new Set<number>();
  return async () => {
    const rows = await db
      .select({
        number: optimizeTrials.number,
        params: optimizeTrials.params,
        state: optimizeTrials.state,
        values: optimizeTrials.values,
        violation: optimizeTrials.violation,
        finishedAt: optimizeTrials.finishedAt,
      })
      .from(optimizeTrials)
      .where(
        and(
          eq(optimizeTrials.runId, runId),
          sql`${optimizeTrials.state} <> 'running'`,
          sql`${optimizeTrials.finishedAt} >= ${since.toISOString()}::timestamptz`,
        ),
      )
      .orderBy(asc(optimizeTrials.finishedAt), asc(optimizeTrials.number));
    const out: TrialEvent[] = [];
    for (const r of rows) {
      const at = r.finishedAt!;
      if (at.getTime() === since.getTime() && atSince.has(r.number)) continue;
      if (at.getTime() > since.getTime()) {
        since = at;
        atSince = new Set();
      }
      atSince.add(r.number);
      out.push({
        number: r.number,
        params: r.params,
        state: r.state === "complete" && (r.violation ?? 0) > 0 ? "infeasible" : (r.state as TrialEvent["state"]),
        value: r.values?.[0] ?? null,
        values: r.values ?? null,
      });
    }
    return out;
  };
}
