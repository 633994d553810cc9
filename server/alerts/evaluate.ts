import "server-only";
/**
 * Evaluating alert rules against the newest bars.
 *
 * - Bars are loaded once for the union of every rule's symbols; strategy rules that share a
 *   strategy version and params run the alert mode once over their symbol union.
 * - De-duplication: one event per rule + symbol + bar + type (unique key; a re-evaluation or a
 *   retried job inserts nothing new).
 * - Cooldown: no new event for a rule + symbol within `cooldownSeconds` of its previous one.
 * - Escalation by priority: an event takes its rule's priority, one level higher when the
 *   strategy reports high confidence (≥ 0.7). Channels receive events at or above their
 *   `minPriority`; critical events go to every enabled channel.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import type { BarSeries } from "@/lib/data/bars";
import type { Db } from "@/server/db";
import { alertEvents, alertRules, ALERT_PRIORITIES, type AlertPriority, type AlertRule } from "@/server/db/schema";
import { getUniverseSymbols } from "@/server/data/universes";
import { loadBars } from "@/server/data/store";
import { runAlert } from "@/lib/modes/alert";
import { sandboxRunner } from "@/server/sandbox/strategy-runner";
import type { StrategyRunner } from "@/lib/modes/runner";
import { getVersion } from "@/server/services/strategies";
import { conditionFires, describeCondition, metricTail } from "./condition";
import { metrics } from "@/server/ops/metrics";

/** A rule that fired for a symbol on a bar. */
export interface Firing {
  rule: AlertRule;
  symbol: string;
  barMs: number;
  type: string;
  priority: AlertPriority;
  message: string;
  data: Record<string, unknown>;
}

export interface EvaluateOptions {
  workspaceId?: string;
  ruleIds?: string[];
  /** Only rules triggered this way (default: "bar"). */
  trigger?: "bar" | "schedule";
  runner?: StrategyRunner;
  nowMs?: number;
}

export interface EvaluateResult {
  rules: number;
  symbols: number;
  firings: number;
  /** Ids of events that are new (after de-duplication and cooldown). */
  newEventIds: string[];
}

const escalate = (p: AlertPriority): AlertPriority =>
  ALERT_PRIORITIES[Math.min(ALERT_PRIORITIES.indexOf(p) + 1, ALERT_PRIORITIES.length - 1)];

async function rulesToEvaluate(db: Db, o: EvaluateOptions): Promise<AlertRule[]> {
  const where = [eq(alertRules.enabled, true)];
  if (o.workspaceId) where.push(eq(alertRules.workspaceId, o.workspaceId));
  if (o.ruleIds) where.push(inArray(alertRules.id, o.ruleIds));
  else where.push(eq(alertRules.trigger, o.trigger ?? "bar"));
  return db
    .select()
    .from(alertRules)
    .where(and(...where));
}

async function symbolsOf(db: Db, rule: AlertRule, cache: Map<string, string[]>): Promise<string[]> {
  if (!rule.universe) return rule.symbols;
  const key = `${rule.workspaceId}|${rule.universe}`;
  if (!cache.has(key)) cache.set(key, await getUniverseSymbols(db, rule.universe, rule.workspaceId).catch(() => []));
  return [...new Set([...rule.symbols, ...(cache.get(key) ?? [])])];
}

/** Find firings (no writes). */
export async function findFirings(
  db: Db,
  o: EvaluateOptions = {},
): Promise<{ rules: AlertRule[]; symbols: number; firings: Firing[] }> {
  const rules = await rulesToEvaluate(db, o);
  const universeCache = new Map<string, string[]>();
  const ruleSymbols = new Map<string, string[]>();
  for (const r of rules) ruleSymbols.set(r.id, await symbolsOf(db, r, universeCache));
  const byWorkspace = new Map<string, Set<string>>();
  for (const r of rules) {
    const set = byWorkspace.get(r.workspaceId) ?? new Set<string>();
    for (const s of ruleSymbols.get(r.id) ?? []) set.add(s);
    byWorkspace.set(r.workspaceId, set);
  }
  const bars = new Map<string, Map<string, BarSeries>>();
  let symbolCount = 0;
  for (const [ws, set] of byWorkspace) {
    const list = [...set];
    symbolCount += list.length;
    const loaded = await loadBars(db, list, { workspaceId: ws }).catch(async () => {
      // Unknown symbols in one rule must not stop every other rule: load the known ones.
      const ok: BarSeries[] = [];
      for (const s of list) ok.push(...(await loadBars(db, [s], { workspaceId: ws }).catch(() => [])));
      return ok;
    });
    bars.set(ws, new Map(loaded.filter((b) => b.close.length > 0).map((b) => [b.symbol, b])));
  }
  const firings: Firing[] = [];
  const strategyGroups = new Map<string, AlertRule[]>();
  for (const rule of rules) {
    const series = bars.get(rule.workspaceId) ?? new Map<string, BarSeries>();
    if (rule.condition) {
      for (const symbol of ruleSymbols.get(rule.id) ?? []) {
        const s = series.get(symbol);
        if (!s || !conditionFires(s, rule.condition)) continue;
        const n = s.close.length;
        const [, value] = metricTail(s, rule.condition.metric);
        firings.push({
          rule,
          symbol,
          barMs: s.timestampsMs[n - 1],
          type: "condition",
          priority: rule.priority,
          message: `${symbol}: ${rule.name} — ${describeCondition(rule.condition)} (now ${Math.round(value * 100) / 100}) at ${s.close[n - 1]}`,
          data: { current_price: s.close[n - 1], value, condition: rule.condition },
        });
      }
    } else if (rule.strategyId) {
      const key = `${rule.workspaceId}|${rule.strategyId}|${rule.strategyVersion ?? "latest"}|${JSON.stringify(rule.params)}`;
      strategyGroups.set(key, [...(strategyGroups.get(key) ?? []), rule]);
    }
  }
  const runner = o.runner ?? sandboxRunner;
  for (const group of strategyGroups.values()) {
    const head = group[0];
    const series = bars.get(head.workspaceId) ?? new Map<string, BarSeries>();
    const wanted = new Set(group.flatMap((r) => ruleSymbols.get(r.id) ?? []));
    const universe = [...wanted].map((s) => series.get(s)).filter((s): s is BarSeries => s !== undefined);
    if (universe.length === 0 || !head.strategyId) continue;
    try {
      const { version } = await getVersion(db, head.workspaceId, head.strategyId, head.strategyVersion ?? undefined);
      const result = await runAlert({
        source: version.code,
        universe,
        params: head.params,
        runner,
        strategyId: head.strategyId,
      });
      for (const a of result.alerts) {
        for (const rule of group) {
          if (!(ruleSymbols.get(rule.id) ?? []).includes(a.symbol)) continue;
          firings.push({
            rule,
            symbol: a.symbol,
            barMs: a.timestamp_ms,
            type: a.type,
            priority: a.priority === "high" ? escalate(rule.priority) : rule.priority,
            message: `${rule.name}: ${a.message}`,
            data: { ...a.data },
          });
        }
      }
    } catch (err) {
      console.warn(
        `[alerts] strategy rule(s) ${group.map((r) => r.id).join(", ")} failed:`,
        err instanceof Error ? err.message : err,
      );
    }
  }
  return { rules, symbols: symbolCount, firings };
}

/** Apply cooldowns and de-duplication; insert the new events. Returns their ids. */
export async function recordFirings(db: Db, firings: Firing[], nowMs = Date.now()): Promise<string[]> {
  if (firings.length === 0) return [];
  const ruleIds = [...new Set(firings.map((f) => f.rule.id))];
  const last = await db
    .select({ ruleId: alertEvents.ruleId, symbol: alertEvents.symbol, at: sql<string>`max(${alertEvents.createdAt})` })
    .from(alertEvents)
    .where(inArray(alertEvents.ruleId, ruleIds))
    .groupBy(alertEvents.ruleId, alertEvents.symbol);
  const lastAt = new Map(last.map((r) => [`${r.ruleId}|${r.symbol}`, new Date(r.at).getTime()]));
  const fresh = firings.filter((f) => {
    const prev = lastAt.get(`${f.rule.id}|${f.symbol}`);
    return prev === undefined || nowMs - prev >= f.rule.cooldownSeconds * 1000;
  });
  const ids: string[] = [];
  for (let i = 0; i < fresh.length; i += 500) {
    const rows = await db
      .insert(alertEvents)
      .values(
        fresh.slice(i, i + 500).map((f) => ({
          workspaceId: f.rule.workspaceId,
          ruleId: f.rule.id,
          symbol: f.symbol,
          barTime: new Date(f.barMs),
          type: f.type,
          priority: f.priority,
          message: f.message.slice(0, 1000),
          data: f.data,
        })),
      )
      .onConflictDoNothing()
      .returning({ id: alertEvents.id });
    ids.push(...rows.map((r) => r.id));
  }
  if (ruleIds.length > 0)
    await db
      .update(alertRules)
      .set({ lastEvaluatedAt: new Date(nowMs) })
      .where(inArray(alertRules.id, ruleIds));
  return ids;
}

/** Evaluate rules and record new events (de-duplicated, cooldowns applied). */
export async function evaluateRules(db: Db, o: EvaluateOptions = {}): Promise<EvaluateResult> {
  const { rules, symbols, firings } = await findFirings(db, o);
  const newEventIds = await recordFirings(db, firings, o.nowMs);
  const m = metrics();
  m.alertsEvaluated.inc(rules.length);
  m.alertsFired.inc(newEventIds.length);
  return { rules: rules.length, symbols, firings: firings.length, newEventIds };
}
