/**
 * The strategy lifecycle over REST (real route handlers, real database): the state on GET, the
 * state table (illegal → 409, and no path reaches LIVE without SHADOW), gates (→ 422 naming the
 * gate, PF 1.50 stays a candidate, fitness 70.0 passes, 7 days of bars that arrived after SHADOW
 * began), admin approval (member refused, admin allowed), workspace gate overrides, another
 * workspace's strategy (404), the decision log and audit, the forward check's auto-disable, and
 * the kill switch (disables LIVE strategies and their alerts, audited, reversible).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { and, eq } from "drizzle-orm";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import * as strategyRoute from "@/app/api/v1/strategies/[id]/route";
import * as lifecycleRoute from "@/app/api/v1/strategies/[id]/lifecycle/route";
import * as killRoute from "@/app/api/v1/lifecycle/kill-switch/route";
import { setDatabaseForTests } from "@/server/db";
import {
  alertRules,
  auditLog,
  lifecycleDecisions,
  marketSymbols,
  notifications,
  runs,
  strategies,
} from "@/server/db/schema";
import { createApiKey } from "@/server/auth/api-keys";
import { restClock } from "@/server/http/v1/lifecycle";
import { forwardCheck, lifecycleTick, setWorkspaceGates } from "@/server/services/lifecycle";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

const CODE = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Close above SMA",
  params: { period: { type: "int", min: 2, max: 200, step: 1, default: 20 } },
  signals(bars, params, ta) {
    const avg = ta.sma(bars.close, params.period);
    const n = bars.close.length;
    const entries = new Uint8Array(n);
    const exits = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      entries[i] = bars.close[i] > avg[i] ? 1 : 0;
      exits[i] = bars.close[i] < avg[i] ? 1 : 0;
    }
    return { entries, exits };
  },
});
`;

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 5, 21);

function req(method: string, path: string, key: string, body?: unknown) {
  return new Request(`http://localhost${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body !== undefined ? { "content-type": "application/json" } : {}) },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
}
const noParams = { params: Promise.resolve({}) };
const idParams = (id: string) => ({ params: Promise.resolve({ id }) });

for (const driver of DRIVERS)
  describe(`REST lifecycle (${driver})`, () => {
    let t: TestDatabase;
    let s: SeededWorkspace;
    let ownerRunKey: string;
    let adminKey: string;
    let memberKey: string;
    let otherKey: string;
    let id: string;
    let symbolId: string;
    let clock = new Date(T0);

    const event = async (key: string, ev: string, strategyId = id) => {
      const res = await lifecycleRoute.POST(
        req("POST", `/api/v1/strategies/${strategyId}/lifecycle`, key, { event: ev }),
        idParams(strategyId),
      );
      return { status: res.status, body: await res.json() };
    };
    const stateOf = async () =>
      (await (await strategyRoute.GET(req("GET", `/api/v1/strategies/${id}`, ownerRunKey), idParams(id))).json()).state;
    const backtest = async (
      m: { profit_factor: number | null; win_rate_pct: number | null; num_trades: number; score: number },
      finishedAt: Date,
    ) => {
      await t.db.insert(runs).values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { kind: "backtest", strategyId: id, version: 1 } as never,
        result: {
          performance_metrics: {
            profit_factor: m.profit_factor,
            win_rate_pct: m.win_rate_pct,
            num_trades: m.num_trades,
          },
          grade: { score: m.score },
        } as never,
        finishedAt,
      });
    };
    const newBars = async (lastMs: number) => {
      await t.db.update(marketSymbols).set({ lastMs }).where(eq(marketSymbols.id, symbolId));
    };

    beforeAll(async () => {
      t = await createTestDatabase(driver);
      setDatabaseForTests(t);
      restClock.now = () => clock;
      s = await seedWorkspace(t.db);
      const as = (u: { id: string; email: string }, role: "owner" | "admin" | "member", ws = s.workspaceId) => ({
        actor: { type: "user" as const, id: u.id, label: u.email },
        workspaceId: ws,
        role,
      });
      ownerRunKey = (await createApiKey(t.db, as(s.users.owner, "owner"), { name: "run", scopes: ["read", "run"] }))
        .key;
      adminKey = (
        await createApiKey(t.db, as(s.users.admin, "admin"), { name: "admin", scopes: ["read", "run", "admin"] })
      ).key;
      // A member's key asks for the admin scope too: a key never does more than its creator's role.
      memberKey = (
        await createApiKey(t.db, as(s.users.member, "member"), { name: "member", scopes: ["read", "run", "admin"] })
      ).key;
      otherKey = (
        await createApiKey(t.db, as(s.outsider, "owner", s.otherWorkspaceId), {
          name: "other",
          scopes: ["read", "run", "admin"],
        })
      ).key;
      const [sym] = await t.db
        .insert(marketSymbols)
        .values({ workspaceId: s.workspaceId, symbol: "FWD", name: "Forward", source: "live", lastMs: T0 })
        .returning();
      symbolId = sym.id;
      const created = await strategiesRoute.POST(
        req("POST", "/api/v1/strategies", ownerRunKey, { name: "Forward test", code: CODE }),
        noParams,
      );
      expect(created.status).toBe(201);
      id = (await created.json()).id;
    }, 60_000);
    afterAll(async () => t?.close());

    it("a new strategy is a CANDIDATE, shown by GET /api/v1/strategies/{id}", async () => {
      expect(await stateOf()).toBe("CANDIDATE");
    });

    it("no path reaches LIVE without SHADOW; illegal events are 409 and change nothing", async () => {
      const r = await event(adminKey, "promote");
      expect(r.status).toBe(409);
      expect(r.body.error.message).toMatch(/only from SHADOW/);
      expect((await event(ownerRunKey, "reactivate")).status).toBe(409);
      expect(await stateOf()).toBe("CANDIDATE");
      const bad = await event(ownerRunKey, "go_live");
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toContain("event");
    });

    it("CANDIDATE → SHADOW needs PF > 1.5 and WR > 45 % strictly (422 naming the gate)", async () => {
      let r = await event(ownerRunKey, "start_shadow");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toMatch(/no candidate backtest/);
      await backtest({ profit_factor: 1.5, win_rate_pct: 60, num_trades: 20, score: 69.9 }, new Date(T0 - 3 * DAY));
      r = await event(ownerRunKey, "start_shadow");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("shadowMinProfitFactor");
      expect(r.body.error.message).not.toContain("shadowMinWinRatePct");
      await backtest({ profit_factor: 1.8, win_rate_pct: 45, num_trades: 20, score: 69.9 }, new Date(T0 - 2 * DAY));
      r = await event(ownerRunKey, "start_shadow");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("shadowMinWinRatePct");
      expect(await stateOf()).toBe("CANDIDATE");
      expect(await t.db.select().from(lifecycleDecisions).where(eq(lifecycleDecisions.strategyId, id))).toHaveLength(0);
      await backtest({ profit_factor: 1.51, win_rate_pct: 45.5, num_trades: 20, score: 69.9 }, new Date(T0 - DAY));
      r = await event(ownerRunKey, "start_shadow");
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.state).toBe("SHADOW");
      const [row] = await t.db.select().from(strategies).where(eq(strategies.id, id));
      expect(row.shadowStartBarMs).toBe(T0);
    });

    it("SHADOW → LIVE needs 7 days of bars that arrived after SHADOW began, fitness >= 70, and an admin", async () => {
      // Wall-clock time alone does not count: 30 days later without new bars is still 0 days.
      clock = new Date(T0 + 30 * DAY);
      await forwardCheck(t.db, { now: clock, workspaceId: s.workspaceId });
      let r = await event(adminKey, "promote");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("shadowMinDays");
      await newBars(T0 + 6.9 * DAY);
      await forwardCheck(t.db, { now: clock, workspaceId: s.workspaceId });
      expect((await event(adminKey, "promote")).body.error.message).toContain("shadowMinDays");
      await newBars(T0 + 7 * DAY);
      await forwardCheck(t.db, { now: clock, workspaceId: s.workspaceId });
      r = await event(adminKey, "promote");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("liveMinFitness");
      expect(r.body.error.message).toContain("69.9");
      await t.db.update(strategies).set({ fitness: 70 }).where(eq(strategies.id, id));
      // A member (even with a key asking for the admin scope) cannot approve.
      r = await event(memberKey, "promote");
      expect(r.status).toBe(403);
      expect(r.body.error.message).toContain("strategies.approve");
      // Gates are the workspace's: raise the bar, and 70 no longer passes.
      await setWorkspaceGates(
        t.db,
        { actor: { type: "user", id: s.users.owner.id, label: "owner" }, workspaceId: s.workspaceId, role: "owner" },
        { liveMinFitness: 75 },
      );
      r = await event(adminKey, "promote");
      expect(r.status).toBe(422);
      expect(r.body.error.message).toContain("at least 75");
      await setWorkspaceGates(
        t.db,
        { actor: { type: "user", id: s.users.owner.id, label: "owner" }, workspaceId: s.workspaceId, role: "owner" },
        { liveMinFitness: 70 },
      );
      expect(await stateOf()).toBe("SHADOW");
      r = await event(adminKey, "promote");
      expect(r.status, JSON.stringify(r.body)).toBe(200);
      expect(r.body.state).toBe("LIVE");
      const decisions = await t.db.select().from(lifecycleDecisions).where(eq(lifecycleDecisions.strategyId, id));
      expect(decisions.map((d) => [d.event, d.fromState, d.toState])).toEqual([
        ["start_shadow", "CANDIDATE", "SHADOW"],
        ["promote", "SHADOW", "LIVE"],
      ]);
      expect(decisions[1].inputs).toMatchObject({ fitness: 70, shadow_days_of_bars: 7 });
      const audits = await t.db
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.targetId, id), eq(auditLog.action, "strategy.state_changed")));
      expect(audits.map((a) => (a.metadata as { to: string }).to)).toEqual(expect.arrayContaining(["SHADOW", "LIVE"]));
      expect(audits.find((a) => (a.metadata as { to: string }).to === "LIVE")?.actorLabel).toMatch(/^admin \(sl_/);
    });

    it("another workspace's strategy is 404 and unchanged", async () => {
      const r = await event(otherKey, "disable");
      expect(r.status).toBe(404);
      expect(await stateOf()).toBe("LIVE");
    });

    it("the kill switch disables every LIVE strategy and its alerts, audited, and is reversible", async () => {
      const [rule] = await t.db
        .insert(alertRules)
        .values({ workspaceId: s.workspaceId, name: "live signals", strategyId: id, symbols: ["FWD"] })
        .returning();
      const kill = (key: string, on: boolean) =>
        killRoute.POST(req("POST", "/api/v1/lifecycle/kill-switch", key, { on, reason: "drill" }), noParams);
      expect((await kill(memberKey, true)).status).toBe(403);
      let res = await kill(adminKey, true);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ kill_switch: true, strategies: 1, alert_rules: 1 });
      expect(await stateOf()).toBe("DISABLED");
      expect((await t.db.select().from(alertRules).where(eq(alertRules.id, rule.id)))[0].enabled).toBe(false);
      expect((await event(ownerRunKey, "reactivate")).status).toBe(409);
      res = await kill(adminKey, false);
      expect(await res.json()).toMatchObject({ kill_switch: false, strategies: 1, alert_rules: 1 });
      expect(await stateOf()).toBe("LIVE");
      expect((await t.db.select().from(alertRules).where(eq(alertRules.id, rule.id)))[0].enabled).toBe(true);
      const audits = await t.db.select().from(auditLog).where(eq(auditLog.workspaceId, s.workspaceId));
      expect(audits.map((a) => a.action)).toEqual(
        expect.arrayContaining(["lifecycle.kill_switch_on", "lifecycle.kill_switch_off"]),
      );
    });

    it("the hourly decision disables a strategy whose fitness fell below the floor, with reason, decision, audit and notification", async () => {
      await t.db.update(strategies).set({ fitness: 39.9 }).where(eq(strategies.id, id));
      // The 15-minute tick records bars; decisions are hourly (the tick in the first quarter of the hour).
      const quarterPast = await lifecycleTick(t.db, { now: new Date(Date.UTC(2026, 1, 5, 10, 15)) });
      expect(quarterPast.disabled).toEqual([]);
      expect(await stateOf()).toBe("LIVE");
      const onTheHour = await lifecycleTick(t.db, { now: new Date(Date.UTC(2026, 1, 5, 11, 0)) });
      expect(onTheHour.disabled).toEqual([id]);
      const [row] = await t.db.select().from(strategies).where(eq(strategies.id, id));
      expect(row.state).toBe("DISABLED");
      expect(row.disabledReason).toContain("below the floor 40");
      const [d] = await t.db
        .select()
        .from(lifecycleDecisions)
        .where(and(eq(lifecycleDecisions.strategyId, id), eq(lifecycleDecisions.toState, "DISABLED")));
      expect(d.inputs).toMatchObject({ fitness: expect.closeTo(39.9, 4), floor: 40, criterion: "fitness_floor" });
      expect(d.actorLabel).toBe("lifecycle schedule");
      const notes = await t.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.workspaceId, s.workspaceId), eq(notifications.kind, "lifecycle")));
      expect(notes.some((n) => n.title.includes("LIVE → DISABLED"))).toBe(true);
    });
  });
