import "server-only";
/**
 * Driving the strategy lifecycle (lib/lifecycle): events asked for by people or API keys, each
 * checked against the state table (illegal → CONFLICT), the workspace's gates (not met →
 * UNPROCESSABLE naming the gate) and, for SHADOW → LIVE, an approver (strategies.approve);
 * the forward check every 15 minutes; and the workspace kill switch. Every applied decision is
 * stored with its inputs (lifecycle_decision), audited and notified. Time comes in as `now`.
 *
 * Figures the gates read:
 * - SHADOW gate: the strategy's candidate figures (set by an evolution), else its latest
 *   succeeded backtest run's profit factor, win rate and trade count;
 * - LIVE gate: the strategy's fitness (else the latest backtest's grade score) and the days of
 *   bars that arrived after it entered SHADOW: newest bar time seen by the forward check minus
 *   the newest bar time when it entered SHADOW (bars, not wall-clock time: a stalled feed does
 *   not count as forward testing).
 *
 * Auto-disable criteria (forward check, SHADOW and LIVE): fitness below `disableBelowFitness`, or
 * forward drawdown beyond `disableBeyondDrawdownPct`.
 *
 * Notifications: every decision with a title is an in-app notification and an alert event
 * without a rule (`lifecycle.<event>`, naming the strategy) delivered to the workspace's alert
 * channels (webhook, email) through the alert delivery queue; a SHADOW or LIVE strategy whose
 * forward drawdown breaches its limit fires a critical risk alert (`risk.drawdown`) once per stay.
 */
import { and, desc, eq, gte, inArray, isNull, or, sql } from "drizzle-orm";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { DEFAULT_GATES, liveGate, shadowGate, type GateFailure, type LifecycleGates } from "@/lib/lifecycle/gates";
import { IllegalTransitionError, transition, type StrategyEvent, type StrategyState } from "@/lib/lifecycle/strategy";
import type { Db, DbOrTx } from "@/server/db";
import {
  alertEvents,
  alertRules,
  lifecycleDecisions,
  lifecycleSettings,
  marketSymbols,
  notifications,
  runs,
  strategies,
  type AlertPriority,
  type Strategy,
} from "@/server/db/schema";
import { channelDeliveries, queueDeliveries } from "@/server/alerts/deliver";
import { getBoss } from "@/server/jobs/boss";
import type { Actor, WorkspaceCaller } from "@/server/auth/access";
import { recordAudit } from "./audit";
import { getUniverseSymbols } from "@/server/data/universes";
import type { StrategyRunner } from "@/lib/modes/runner";
import { expectedLogReturnPerBar, getForwardTest, runForwardTest, startForwardTest } from "./forward";
import { alertRuleFields } from "@/lib/schemas/alerts";
import { createAlertRule } from "./alerts";
import { createStrategy, getStrategyOrThrow } from "./strategies";

const DAY_MS = 86_400_000;

/** Fitness floor of the forward check; below it a SHADOW or LIVE strategy is disabled. */
export const DEFAULT_DISABLE_BELOW_FITNESS = 40;

/** Forward drawdown limit (percent); a SHADOW or LIVE strategy whose forward test falls further is disabled. */
export const DEFAULT_DISABLE_BEYOND_DRAWDOWN_PCT = 20;

export type WorkspaceGates = LifecycleGates & { disableBelowFitness: number; disableBeyondDrawdownPct: number };

export const gatesOverrideSchema = z
  .object({
    candidateDays: z.number().min(1).max(3650),
    candidateMinTrades: z.number().int().min(0).max(100_000),
    shadowMinProfitFactor: z.number().min(0).max(100),
    shadowMinWinRatePct: z.number().min(0).max(100),
    shadowMinTrades: z.number().int().min(0).max(100_000),
    shadowMinDays: z.number().min(0).max(365),
    liveMinFitness: z.number().min(0).max(100),
    disableBelowFitness: z.number().min(0).max(100),
    disableBeyondDrawdownPct: z.number().min(0).max(100),
  })
  .partial()
  .strict();

/** The workspace's gates: its overrides over the seed defaults. */
export async function workspaceGates(db: DbOrTx, workspaceId: string): Promise<WorkspaceGates> {
  const [row] = await db
    .select()
    .from(lifecycleSettings)
    .where(eq(lifecycleSettings.workspaceId, workspaceId))
    .limit(1);
  return {
    ...DEFAULT_GATES,
    disableBelowFitness: DEFAULT_DISABLE_BELOW_FITNESS,
    disableBeyondDrawdownPct: DEFAULT_DISABLE_BEYOND_DRAWDOWN_PCT,
    ...row?.gates,
  };
}

/** Overrides some gates of the workspace (validated; audited). */
export async function setWorkspaceGates(db: Db, caller: WorkspaceCaller, input: unknown): Promise<WorkspaceGates> {
  const patch = gatesOverrideSchema.parse(input);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(lifecycleSettings)
      .where(eq(lifecycleSettings.workspaceId, caller.workspaceId))
      .limit(1);
    const gates = { ...row?.gates, ...patch };
    await tx
      .insert(lifecycleSettings)
      .values({ workspaceId: caller.workspaceId, gates })
      .onConflictDoUpdate({ target: lifecycleSettings.workspaceId, set: { gates, updatedAt: new Date() } });
    await recordAudit(tx, {
      action: "lifecycle.gates_changed",
      actor: caller.actor,
      workspaceId: caller.workspaceId,
      metadata: { gates: patch },
    });
    return workspaceGates(tx, caller.workspaceId);
  });
}

/** Newest bar time (ms) among the market data the workspace sees; null without data. */
export async function newestBarMs(db: DbOrTx, workspaceId: string): Promise<number | null> {
  const [row] = await db
    .select({ last: sql<number | null>`max(${marketSymbols.lastMs})` })
    .from(marketSymbols)
    .where(or(isNull(marketSymbols.workspaceId), eq(marketSymbols.workspaceId, workspaceId)));
  return row?.last === null || row?.last === undefined ? null : Number(row.last);
}

interface Figures {
  profitFactor: number;
  winRatePct: number;
  numTrades: number;
  fitness: number;
  source: string;
  /** The backtest's symbols and expectation, for the forward test (null when unknown). */
  symbols: string[] | null;
  expectedLogReturnPerBar: number | null;
}

/** The figures the gates read (see the file comment). */
async function figuresOf(db: DbOrTx, s: Strategy): Promise<Figures | null> {
  if (s.candidateMetrics) {
    const m = s.candidateMetrics;
    return {
      profitFactor: m.profit_factor ?? (m.num_trades > 0 && m.win_rate_pct === 100 ? Infinity : NaN),
      winRatePct: m.win_rate_pct ?? NaN,
      numTrades: m.num_trades,
      fitness: s.fitness ?? NaN,
      source: "evolution",
      symbols: null,
      expectedLogReturnPerBar: null,
    };
  }
  const [run] = await db
    .select({ id: runs.id, result: runs.result, input: runs.input })
    .from(runs)
    .where(
      and(
        eq(runs.workspaceId, s.workspaceId),
        eq(runs.kind, "backtest"),
        eq(runs.status, "succeeded"),
        sql`${runs.input}->>'strategyId' = ${s.id}`,
      ),
    )
    .orderBy(desc(runs.finishedAt))
    .limit(1);
  if (!run?.result) return null;
  const r = run.result as {
    performance_metrics?: Record<string, number | null>;
    grade?: { score: number };
    summary?: { bars?: number };
    engine?: { equity?: number[] };
  };
  const pm = r.performance_metrics ?? {};
  const n = pm.num_trades ?? 0;
  const input = run.input as { symbols?: string[]; universe?: string };
  const symbols =
    input.symbols ??
    (input.universe ? await getUniverseSymbols(db, input.universe, s.workspaceId).catch(() => null) : null);
  return {
    profitFactor: pm.profit_factor ?? (n > 0 && pm.win_rate_pct === 100 ? Infinity : NaN),
    winRatePct: pm.win_rate_pct ?? NaN,
    numTrades: n,
    fitness: s.fitness ?? r.grade?.score ?? NaN,
    source: `backtest run ${run.id}`,
    symbols: symbols && symbols.length ? symbols : null,
    expectedLogReturnPerBar: expectedLogReturnPerBar(pm.total_return_pct, r.engine?.equity?.length ?? pm.num_bars),
  };
}

function gateError(failures: GateFailure[]): AppError {
  return new AppError("UNPROCESSABLE", `Gate not met: ${failures.map((f) => `${f.gate} (${f.message})`).join("; ")}.`);
}

export interface LifecycleEventOptions {
  now: Date;
  /** The caller may approve SHADOW → LIVE (strategies.approve). */
  approve: boolean;
  reason?: string;
}

async function decide(
  tx: DbOrTx,
  entry: {
    workspaceId: string;
    strategyId: string | null;
    event: string;
    from: StrategyState | null;
    to: StrategyState | null;
    reason: string;
    inputs: Record<string, unknown>;
    actor: Actor;
    at: Date;
    title?: string;
    /** What the alert channels name (the strategy's name; "workspace" for the kill switch). */
    subject?: string;
  },
  /** Collects delivery rows to queue once the transaction commits (see {@link lifecycleAlert}). */
  deliveries?: string[],
): Promise<void> {
  await tx.insert(lifecycleDecisions).values({
    workspaceId: entry.workspaceId,
    strategyId: entry.strategyId,
    event: entry.event,
    fromState: entry.from,
    toState: entry.to,
    outcome: "applied",
    reason: entry.reason,
    inputs: entry.inputs,
    actorLabel: entry.actor.label,
    at: entry.at,
  });
  await recordAudit(tx, {
    action: entry.strategyId ? "strategy.state_changed" : `lifecycle.${entry.event}`,
    actor: entry.actor,
    workspaceId: entry.workspaceId,
    target: entry.strategyId ? { type: "strategy", id: entry.strategyId } : undefined,
    metadata: { from: entry.from, to: entry.to, event: entry.event, reason: entry.reason, inputs: entry.inputs },
  });
  if (entry.title) {
    const priority = entry.to === "DISABLED" ? "high" : "normal";
    await tx.insert(notifications).values({
      workspaceId: entry.workspaceId,
      kind: "lifecycle",
      title: entry.title,
      body: entry.reason,
      priority,
    });
    const ids = await lifecycleAlert(tx, {
      workspaceId: entry.workspaceId,
      strategyId: entry.strategyId,
      subject: entry.subject ?? "workspace",
      type: `lifecycle.${entry.event}`,
      priority,
      message: entry.reason ? `${entry.title}. ${entry.reason}` : entry.title,
      data: { event: entry.event, from: entry.from, to: entry.to, reason: entry.reason, inputs: entry.inputs },
      at: entry.at,
    });
    deliveries?.push(...ids);
  }
}

/**
 * A lifecycle event or a strategy's risk alert for the workspace's alert channels: an alert event
 * without a rule (naming the strategy) and a pending delivery per channel that takes its
 * priority, written in the caller's transaction. Returns the delivery ids; queue them with
 * {@link sendLifecycleAlerts} after the transaction commits.
 */
async function lifecycleAlert(
  tx: DbOrTx,
  e: {
    workspaceId: string;
    strategyId: string | null;
    subject: string;
    type: string;
    priority: AlertPriority;
    message: string;
    data: Record<string, unknown>;
    at: Date;
  },
): Promise<string[]> {
  const [ev] = await tx
    .insert(alertEvents)
    .values({
      workspaceId: e.workspaceId,
      ruleId: null,
      strategyId: e.strategyId,
      symbol: e.subject,
      barTime: e.at,
      type: e.type,
      priority: e.priority,
      message: e.message,
      data: e.data,
    })
    .returning();
  return channelDeliveries(tx, [ev]);
}

/** Queues lifecycle deliveries (after their transaction committed); a queue problem is logged, the rows stay pending. */
async function sendLifecycleAlerts(deliveryIds: string[]): Promise<void> {
  if (deliveryIds.length === 0) return;
  try {
    await queueDeliveries(await getBoss(), deliveryIds);
  } catch (err) {
    console.error("[lifecycle] could not queue alert deliveries:", err instanceof Error ? err.message : err);
  }
}

/** Applies a lifecycle event asked for by `caller` (see the file comment for the checks). */
export async function applyLifecycleEvent(
  db: Db,
  caller: WorkspaceCaller,
  strategyId: string,
  event: StrategyEvent,
  opts: LifecycleEventOptions,
) {
  const deliveries: string[] = [];
  const out = await applyInTransaction(db, caller, strategyId, event, opts, deliveries);
  await sendLifecycleAlerts(deliveries);
  if (event === "promote") await ensureLiveAlerts(db, caller, strategyId);
  return out;
}

/**
 * LIVE means live signals and alerts on paper: a LIVE strategy with a forward test gets an alert
 * rule on its forward-test symbols (its entries on each new bar), unless it already has one.
 */
async function ensureLiveAlerts(db: Db, caller: WorkspaceCaller, strategyId: string): Promise<void> {
  const ft = await getForwardTest(db, strategyId);
  if (!ft || ft.symbols.length === 0) return;
  const existing = await db
    .select({ id: alertRules.id })
    .from(alertRules)
    .where(eq(alertRules.strategyId, strategyId))
    .limit(1);
  if (existing.length) {
    await db.update(alertRules).set({ enabled: true }).where(eq(alertRules.strategyId, strategyId));
    return;
  }
  const s = await getStrategyOrThrow(db, caller.workspaceId, strategyId);
  await createAlertRule(
    db,
    caller,
    alertRuleFields.parse({
      name: `${s.name} (LIVE signals)`.slice(0, 120),
      strategyId,
      symbols: ft.symbols,
      trigger: "bar",
    }),
  );
}

/** A disabled strategy's alert rules stop too. */
async function disableStrategyAlerts(tx: DbOrTx, strategyId: string): Promise<void> {
  await tx.update(alertRules).set({ enabled: false }).where(eq(alertRules.strategyId, strategyId));
}

async function applyInTransaction(
  db: Db,
  caller: WorkspaceCaller,
  strategyId: string,
  event: StrategyEvent,
  opts: LifecycleEventOptions,
  deliveries: string[],
) {
  return db.transaction(async (tx) => {
    const s = await getStrategyOrThrow(tx, caller.workspaceId, strategyId);
    if (event === "promote" && s.state !== "SHADOW")
      throw new AppError(
        "CONFLICT",
        `A ${s.state} strategy cannot be promoted: LIVE is reached only from SHADOW, after its forward test (event start_shadow first).`,
      );
    let to: StrategyState;
    try {
      to = transition(s.state, event);
    } catch (err) {
      if (err instanceof IllegalTransitionError) throw new AppError("CONFLICT", err.message);
      throw err;
    }
    const gates = await workspaceGates(tx, caller.workspaceId);
    const inputs: Record<string, unknown> = {};
    const patch: Partial<typeof strategies.$inferInsert> = { state: to, stateChangedAt: opts.now, updatedAt: opts.now };
    if (event === "start_shadow") {
      const f = await figuresOf(tx, s);
      if (!f)
        throw new AppError(
          "UNPROCESSABLE",
          "Gate not met: shadowMinProfitFactor (no candidate backtest: run a backtest of this strategy first).",
        );
      Object.assign(inputs, {
        profit_factor: f.profitFactor,
        win_rate_pct: f.winRatePct,
        num_trades: f.numTrades,
        source: f.source,
      });
      const failed = shadowGate(f, gates);
      if (failed.length) throw gateError(failed);
      const newest = await newestBarMs(tx, caller.workspaceId);
      patch.shadowStartBarMs = newest;
      patch.forwardLastBarMs = newest;
      patch.disabledReason = null;
      if (f.symbols && newest !== null)
        await startForwardTest(tx, {
          strategyId: s.id,
          workspaceId: caller.workspaceId,
          symbols: f.symbols,
          startBarMs: newest,
          expectedLogReturnPerBar: f.expectedLogReturnPerBar,
        });
    } else if (event === "promote") {
      if (!opts.approve)
        throw new AppError("FORBIDDEN", "Approving a strategy for LIVE needs an admin (strategies.approve).");
      const f = await figuresOf(tx, s);
      const days =
        s.shadowStartBarMs !== null && s.forwardLastBarMs !== null
          ? (s.forwardLastBarMs - s.shadowStartBarMs) / DAY_MS
          : 0;
      const fitness = s.fitness ?? f?.fitness ?? NaN;
      Object.assign(inputs, { fitness, shadow_days_of_bars: days, approved_by: caller.actor.label });
      const failed = liveGate({ fitness, shadowDaysOfBars: days }, gates);
      if (failed.length) throw gateError(failed);
    } else if (event === "disable") {
      patch.disabledReason = opts.reason?.trim() || `Disabled by ${caller.actor.label ?? "a member"}`;
    } else if (event === "reactivate") {
      const [ks] = await tx
        .select()
        .from(lifecycleSettings)
        .where(eq(lifecycleSettings.workspaceId, caller.workspaceId))
        .limit(1);
      if (ks?.killSwitch)
        throw new AppError("CONFLICT", "The workspace kill switch is on: release it before reactivating strategies.");
      patch.disabledReason = null;
      patch.shadowStartBarMs = null;
      patch.forwardLastBarMs = null;
    }
    await tx.update(strategies).set(patch).where(eq(strategies.id, s.id));
    if (event === "disable") await disableStrategyAlerts(tx, s.id);
    const reason = event === "disable" ? (patch.disabledReason ?? "") : (opts.reason?.trim() ?? "");
    await decide(
      tx,
      {
        workspaceId: caller.workspaceId,
        strategyId: s.id,
        event,
        from: s.state,
        to,
        reason,
        inputs,
        actor: caller.actor,
        at: opts.now,
        title: `${s.name}: ${s.state} → ${to}`,
        subject: s.name,
      },
      deliveries,
    );
    return { state: to };
  });
}

const SYSTEM: Actor = { type: "system", id: null, label: "lifecycle schedule" };

/**
 * The forward check (every 15 minutes): records the newest bar each SHADOW / LIVE strategy has
 * seen, and (unless `decide` is false) disables those whose fitness fell below the workspace's
 * floor (reason, decision, audit, notification). Returns what it did.
 */
export async function forwardCheck(
  db: Db,
  opts: { now: Date; workspaceId?: string; decide?: boolean; runner?: StrategyRunner },
): Promise<{ checked: number; disabled: string[]; riskAlerts: string[] }> {
  const rows = await db
    .select()
    .from(strategies)
    .where(
      and(
        inArray(strategies.state, ["SHADOW", "LIVE"]),
        isNull(strategies.archivedAt),
        opts.workspaceId ? eq(strategies.workspaceId, opts.workspaceId) : undefined,
      ),
    );
  const disabled: string[] = [];
  const riskAlerts: string[] = [];
  for (const s of rows) {
    const forward = (await getForwardTest(db, s.id))
      ? await runForwardTest(db, s.id, { runner: opts.runner, now: opts.now })
      : null;
    const deliveries: string[] = [];
    await db.transaction(async (tx) => {
      const gates = await workspaceGates(tx, s.workspaceId);
      const newest = await newestBarMs(tx, s.workspaceId);
      const seen = Math.max(s.forwardLastBarMs ?? -Infinity, newest ?? -Infinity);
      const patch: Partial<typeof strategies.$inferInsert> = {};
      if (Number.isFinite(seen) && seen !== s.forwardLastBarMs) patch.forwardLastBarMs = seen;
      const dd = forward?.maxDrawdownPct ?? null;
      const ddBreach = dd !== null && -dd > gates.disableBeyondDrawdownPct;
      const fitBreach = s.fitness !== null && s.fitness < gates.disableBelowFitness;
      // Risk alert: on the first check that sees the breach in this state (every 15 minutes,
      // before the hourly decision disables the strategy), once per stay in SHADOW / LIVE.
      if (ddBreach) {
        const [fired] = await tx
          .select({ id: alertEvents.id })
          .from(alertEvents)
          .where(
            and(
              eq(alertEvents.strategyId, s.id),
              eq(alertEvents.type, "risk.drawdown"),
              gte(alertEvents.barTime, s.stateChangedAt ?? new Date(0)),
            ),
          )
          .limit(1);
        if (!fired) {
          const message = `${s.name} (${s.state}): forward drawdown ${(-(dd ?? 0)).toFixed(1)} % is beyond its limit of ${gates.disableBeyondDrawdownPct} %.`;
          await tx.insert(notifications).values({
            workspaceId: s.workspaceId,
            kind: "lifecycle",
            title: `Risk: ${s.name} breached its drawdown limit`,
            body: message,
            priority: "critical",
          });
          deliveries.push(
            ...(await lifecycleAlert(tx, {
              workspaceId: s.workspaceId,
              strategyId: s.id,
              subject: s.name,
              type: "risk.drawdown",
              priority: "critical",
              message,
              data: {
                state: s.state,
                forward_drawdown_pct: dd,
                limit_pct: gates.disableBeyondDrawdownPct,
                forward_return_pct: forward?.returnPct ?? null,
              },
              at: opts.now,
            })),
          );
          riskAlerts.push(s.id);
        }
      }
      if (opts.decide !== false && (ddBreach || fitBreach)) {
        const reason = ddBreach
          ? `Auto-disabled: forward drawdown ${(-(dd ?? 0)).toFixed(1)} % beyond the limit ${gates.disableBeyondDrawdownPct} %.`
          : `Auto-disabled: fitness ${(s.fitness ?? 0).toFixed(1)} fell below the floor ${gates.disableBelowFitness}.`;
        Object.assign(patch, {
          state: "DISABLED" as const,
          stateChangedAt: opts.now,
          updatedAt: opts.now,
          disabledReason: reason,
        });
        await decide(
          tx,
          {
            workspaceId: s.workspaceId,
            strategyId: s.id,
            event: "disable",
            from: s.state,
            to: "DISABLED",
            reason,
            inputs: ddBreach
              ? {
                  forward_drawdown_pct: dd,
                  limit_pct: gates.disableBeyondDrawdownPct,
                  forward_return_pct: forward?.returnPct ?? null,
                  expected_return_pct: forward?.expectedReturnPct ?? null,
                  criterion: "forward_drawdown",
                }
              : { fitness: s.fitness, floor: gates.disableBelowFitness, criterion: "fitness_floor" },
            actor: SYSTEM,
            at: opts.now,
            title: `${s.name}: ${s.state} → DISABLED`,
            subject: s.name,
          },
          deliveries,
        );
        await disableStrategyAlerts(tx, s.id);
        disabled.push(s.id);
      }
      if (Object.keys(patch).length) await tx.update(strategies).set(patch).where(eq(strategies.id, s.id));
    });
    await sendLifecycleAlerts(deliveries);
  }
  return { checked: rows.length, disabled, riskAlerts };
}

/**
 * The scheduled tick (every 15 minutes): the forward check on every tick, the auto-disable
 * decisions only on the tick in the first quarter of each hour (hourly decisions).
 */
export async function lifecycleTick(db: Db, opts: { now: Date }) {
  return forwardCheck(db, { now: opts.now, decide: opts.now.getUTCMinutes() < 15 });
}

/**
 * The workspace kill switch: `on` disables every LIVE strategy and its enabled alert rules in one
 * transaction and remembers them; `off` restores exactly those (strategies back to LIVE, rules
 * re-enabled). Audited both ways; turning it on twice changes nothing.
 */
export async function setKillSwitch(
  db: Db,
  caller: WorkspaceCaller,
  on: boolean,
  opts: { now: Date; reason?: string },
) {
  const deliveries: string[] = [];
  const out = await db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(lifecycleSettings)
      .where(eq(lifecycleSettings.workspaceId, caller.workspaceId))
      .limit(1);
    if ((row?.killSwitch ?? false) === on) return { kill_switch: on, strategies: 0, alert_rules: 0 };
    let killed = { strategyIds: [] as string[], alertRuleIds: [] as string[] };
    if (on) {
      const live = await tx
        .select({ id: strategies.id })
        .from(strategies)
        .where(and(eq(strategies.workspaceId, caller.workspaceId), eq(strategies.state, "LIVE")));
      const ids = live.map((x) => x.id);
      const rules = ids.length
        ? await tx
            .select({ id: alertRules.id })
            .from(alertRules)
            .where(
              and(
                eq(alertRules.workspaceId, caller.workspaceId),
                inArray(alertRules.strategyId, ids),
                eq(alertRules.enabled, true),
              ),
            )
        : [];
      killed = { strategyIds: ids, alertRuleIds: rules.map((r) => r.id) };
      const reason = opts.reason?.trim() || "Workspace kill switch";
      if (ids.length)
        await tx
          .update(strategies)
          .set({ state: "DISABLED", stateChangedAt: opts.now, updatedAt: opts.now, disabledReason: reason })
          .where(inArray(strategies.id, ids));
      if (killed.alertRuleIds.length)
        await tx.update(alertRules).set({ enabled: false }).where(inArray(alertRules.id, killed.alertRuleIds));
    } else {
      killed = row?.killed ?? killed;
      if (killed.strategyIds.length)
        await tx
          .update(strategies)
          .set({ state: "LIVE", stateChangedAt: opts.now, updatedAt: opts.now, disabledReason: null })
          .where(and(inArray(strategies.id, killed.strategyIds), eq(strategies.state, "DISABLED")));
      if (killed.alertRuleIds.length)
        await tx.update(alertRules).set({ enabled: true }).where(inArray(alertRules.id, killed.alertRuleIds));
    }
    const values = {
      killSwitch: on,
      killSwitchAt: opts.now,
      killed: on ? killed : { strategyIds: [], alertRuleIds: [] },
      updatedAt: opts.now,
    };
    await tx
      .insert(lifecycleSettings)
      .values({ workspaceId: caller.workspaceId, ...values })
      .onConflictDoUpdate({ target: lifecycleSettings.workspaceId, set: values });
    await decide(
      tx,
      {
        workspaceId: caller.workspaceId,
        strategyId: null,
        event: on ? "kill_switch_on" : "kill_switch_off",
        from: null,
        to: null,
        reason: opts.reason?.trim() ?? "",
        inputs: { strategies: killed.strategyIds, alert_rules: killed.alertRuleIds },
        actor: caller.actor,
        at: opts.now,
        title: on
          ? `Kill switch on: ${killed.strategyIds.length} LIVE strategies disabled`
          : `Kill switch released: ${killed.strategyIds.length} strategies back to LIVE`,
      },
      deliveries,
    );
    return { kill_switch: on, strategies: killed.strategyIds.length, alert_rules: killed.alertRuleIds.length };
  });
  await sendLifecycleAlerts(deliveries);
  return out;
}

/** The decision log of a workspace, newest first. */
export async function listDecisions(db: DbOrTx, workspaceId: string, limit = 100) {
  return db
    .select()
    .from(lifecycleDecisions)
    .where(eq(lifecycleDecisions.workspaceId, workspaceId))
    .orderBy(desc(lifecycleDecisions.at))
    .limit(limit);
}

/** Most strategies one evolution run adds to the workspace (its fittest promoted individuals). */
export const MAX_ADOPTED = 3;

/**
 * Files an evolution's promoted individuals as strategies: each becomes a strategy (its genome's
 * generated code, checked like any code) that enters SHADOW through the same gate, with its
 * fitness and candidate figures stored and a decision recorded. Returns individual → strategy ids.
 */
export async function adoptEvolved(
  db: Db,
  caller: WorkspaceCaller,
  individuals: {
    id: string;
    code: string;
    fitness: number;
    metrics: {
      profit_factor: number | null;
      win_rate_pct: number | null;
      num_trades: number;
      total_return_pct?: number | null;
    };
    /** Bars of the candidate backtest the metrics were measured on (the forward test's expectation). */
    bars?: number;
  }[],
  opts: { now: Date; runId: string; symbols?: string[] },
): Promise<{ individual: string; strategy_id: string }[]> {
  const out: { individual: string; strategy_id: string }[] = [];
  const gates = await workspaceGates(db, caller.workspaceId);
  for (const x of individuals.slice(0, MAX_ADOPTED)) {
    const m = x.metrics;
    const pf = m.profit_factor ?? (m.num_trades > 0 && m.win_rate_pct === 100 ? Infinity : NaN);
    if (shadowGate({ profitFactor: pf, winRatePct: m.win_rate_pct ?? NaN, numTrades: m.num_trades }, gates).length)
      continue;
    const deliveries: string[] = [];
    const { strategy } = await createStrategy(db, caller, {
      code: x.code,
      source: "generated",
      generation: { evolve_run: opts.runId, individual: x.id },
    });
    await db.transaction(async (tx) => {
      const newest = await newestBarMs(tx, caller.workspaceId);
      await tx
        .update(strategies)
        .set({
          state: "SHADOW",
          stateChangedAt: opts.now,
          updatedAt: opts.now,
          fitness: x.fitness,
          candidateMetrics: { profit_factor: m.profit_factor, win_rate_pct: m.win_rate_pct, num_trades: m.num_trades },
          shadowStartBarMs: newest,
          forwardLastBarMs: newest,
        })
        .where(eq(strategies.id, strategy.id));
      if (opts.symbols?.length && newest !== null)
        await startForwardTest(tx, {
          strategyId: strategy.id,
          workspaceId: caller.workspaceId,
          symbols: opts.symbols,
          startBarMs: newest,
          expectedLogReturnPerBar: expectedLogReturnPerBar(m.total_return_pct, x.bars),
        });
      await decide(
        tx,
        {
          workspaceId: caller.workspaceId,
          strategyId: strategy.id,
          event: "start_shadow",
          from: "CANDIDATE",
          to: "SHADOW",
          reason: `Promoted by evolution run ${opts.runId} (individual ${x.id})`,
          inputs: {
            profit_factor: m.profit_factor,
            win_rate_pct: m.win_rate_pct,
            num_trades: m.num_trades,
            fitness: x.fitness,
            source: `evolve run ${opts.runId}`,
          },
          actor: caller.actor,
          at: opts.now,
          title: `${strategy.name}: CANDIDATE → SHADOW`,
          subject: strategy.name,
        },
        deliveries,
      );
    });
    await sendLifecycleAlerts(deliveries);
    out.push({ individual: x.id, strategy_id: strategy.id });
  }
  return out;
}
