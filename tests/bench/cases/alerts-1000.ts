/**
 * 1,000 alert rules evaluated against a new bar (target < 2 s on 2 cores). In-memory PGlite with
 * the 500-symbol demo universe (2 years); 800 simple-condition rules (1–5 symbols each, all five
 * metrics) and 200 strategy rules (RSI + volume spike and SMA cross, 4 param sets, 10 symbols
 * each, through the sandbox). Each run appends one demo bar, then times evaluation plus
 * recording (de-duplication, cooldowns, notifications).
 */
import { EXAMPLES } from "@/lib/sdk/examples";
import { fanOut } from "@/server/alerts/deliver";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { evaluateRules } from "@/server/alerts/evaluate";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { createPglite, type DatabaseHandle } from "@/server/db/client";
import { alertRules } from "@/server/db/schema";
import { signUp } from "@/server/services/accounts";
import { createStrategy } from "@/server/services/strategies";
import { createWorkspace } from "@/server/services/workspaces";
import type { BenchCase } from "../case";

const METRICS = ["close", "change_pct", "volume", "rsi_14", "sma_20_distance_pct"] as const;
const THRESHOLD: Record<(typeof METRICS)[number], number> = {
  close: 50,
  change_pct: 1,
  volume: 1_000_000,
  rsi_14: 60,
  sma_20_distance_pct: 2,
};

let setup: Promise<{ h: DatabaseHandle; workspaceId: string }> | null = null;

async function prepare() {
  const h = await createPglite(null);
  await ensureDemoUniverse(h.db, { symbols: 500, years: 2 });
  const symbols = await getUniverseSymbols(h.db, "demo-500");
  const user = await signUp(h.db, { email: "bench@example.test", password: "correct horse 42" }, "10.9.9.9");
  const actor = { type: "user" as const, id: user.id, label: "bench" };
  const ws = await createWorkspace(h.db, actor, { name: "Bench", slug: "bench-alerts" });
  const caller = { actor, workspaceId: ws.id, role: "owner" as const };
  const rsi = (await createStrategy(h.db, caller, { code: EXAMPLES["rsi-volume"].source })).strategy.id;
  const sma = (await createStrategy(h.db, caller, { code: EXAMPLES["sma-cross"].source })).strategy.id;
  const rows: (typeof alertRules.$inferInsert)[] = [];
  for (let i = 0; i < 800; i++) {
    const metric = METRICS[i % METRICS.length];
    const n = 1 + (i % 5);
    rows.push({
      workspaceId: ws.id,
      name: `cond ${i}`,
      condition: { metric, op: i % 2 ? ">" : "crosses_above", value: THRESHOLD[metric] },
      symbols: Array.from({ length: n }, (_, k) => symbols[(i * 7 + k * 13) % symbols.length]),
      cooldownSeconds: 0,
      priority: "normal",
    });
  }
  for (let i = 0; i < 200; i++) {
    rows.push({
      workspaceId: ws.id,
      name: `strat ${i}`,
      strategyId: i % 2 ? rsi : sma,
      params: i % 4 < 2 ? {} : { fast: 5, slow: 30 },
      symbols: Array.from({ length: 10 }, (_, k) => symbols[(i * 11 + k * 17) % symbols.length]),
      cooldownSeconds: 0,
      priority: "normal",
    });
  }
  for (const r of rows) if (r.strategyId === rsi) r.params = {};
  await h.db.insert(alertRules).values(rows);
  // Warm the sandbox (strategy inspection is cached per source) with one evaluation.
  await evaluateRules(h.db, { workspaceId: ws.id });
  return { h, workspaceId: ws.id };
}

const alerts1000: BenchCase = {
  name: "alerts-1000",
  description: "1,000 alert rules (800 conditions, 200 strategies) evaluated against a new demo bar",
  async run() {
    setup ??= prepare();
    const { h, workspaceId } = await setup;
    await appendDemoBar(h.db);
    const t0 = performance.now();
    const result = await evaluateRules(h.db, { workspaceId });
    await fanOut(h.db, null, result.newEventIds);
    const ms = performance.now() - t0;
    if (result.rules !== 1000) throw new Error(`expected 1000 rules, evaluated ${result.rules}`);
    return {
      alerts_1000_rules_ms: ms,
      alerts_1000_firings: result.firings,
      alerts_1000_new_events: result.newEventIds.length,
    };
  },
};

export default alerts1000;
