/**
 * Lifecycle events reach the workspace's alert channels, not only the in-app feed: with the real
 * queue and its delivery workers, a local webhook endpoint receives a signed (independent HMAC)
 * `lifecycle` delivery for entering SHADOW, a critical `risk.drawdown` alert once when the SHADOW
 * strategy's forward drawdown breaches its limit (not again on the next check), and the
 * auto-disable decision that follows on the hourly check.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { appendDemoBar } from "@/server/alerts/demo-feed";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { alertDeliveries, alertEvents, notifications, runs } from "@/server/db/schema";
import { getForwardTest } from "@/server/services/forward";
import { applyLifecycleEvent, forwardCheck, setWorkspaceGates } from "@/server/services/lifecycle";
import { createStrategy } from "@/server/services/strategies";
import { createChannel } from "@/server/services/webhooks";
import { localRunner } from "@/tests/helpers/local-runner";
import { createHarness, sleep, type Harness } from "../jobs/harness";

const ALWAYS_LONG = `import { defineStrategy } from "@strategy-lab/sdk";
export default defineStrategy({
  name: "Always long",
  signals(bars) {
    const n = bars.close.length;
    return { entries: new Uint8Array(n).fill(1), exits: new Uint8Array(n) };
  },
});
`;

interface Received {
  body: string;
  headers: IncomingMessage["headers"];
}

describe("lifecycle events through the alert channels", () => {
  let h: Harness;
  let server: Server;
  let url = "";
  let secret = "";
  let id = "";
  const received: Received[] = [];
  const bodies = () =>
    received.map(
      (r) =>
        JSON.parse(r.body) as {
          type: string;
          alert_type: string;
          priority: string;
          strategy_id: string | null;
          rule: unknown;
          message: string;
          data: Record<string, unknown>;
        },
    );
  async function waitFor(n: number): Promise<void> {
    for (let i = 0; i < 200 && received.length < n; i++) await sleep(100);
    expect(received.length).toBe(n);
  }

  beforeAll(async () => {
    process.env.LAB_OUTBOUND_ALLOW = "127.0.0.1";
    resetEnvCache();
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => {
        received.push({ body, headers: req.headers });
        res.writeHead(200).end("ok");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
    h = await createHarness("pglite");
    await h.startWorkers({ alerts: true, demoFeed: false });
    await ensureDemoUniverse(h.db, { symbols: 3, years: 2 });
    const symbol = (await getUniverseSymbols(h.db, "demo-3"))[0];
    secret =
      (
        await createChannel(h.db, h.caller("owner"), {
          kind: "webhook",
          name: "ops",
          target: url,
          minPriority: "normal",
        })
      ).secret ?? "";
    id = (await createStrategy(h.db, h.caller("owner"), { code: ALWAYS_LONG })).strategy.id;
    await h.db.insert(runs).values({
      workspaceId: h.ws.workspaceId,
      kind: "backtest",
      status: "succeeded",
      input: { kind: "backtest", strategyId: id, symbols: [symbol], version: 1 } as never,
      result: {
        performance_metrics: {
          profit_factor: 2,
          win_rate_pct: 60,
          num_trades: 20,
          total_return_pct: 10,
          num_bars: 252,
        },
        grade: { score: 75 },
      } as never,
      finishedAt: new Date(),
    });
  }, 120_000);
  afterAll(async () => {
    delete process.env.LAB_OUTBOUND_ALLOW;
    resetEnvCache();
    await h?.close();
    server?.closeAllConnections();
    server?.close();
  });

  it("entering SHADOW is delivered to the webhook, signed, as a lifecycle event naming the strategy", async () => {
    await applyLifecycleEvent(h.db, h.caller("owner"), id, "start_shadow", { now: new Date(), approve: false });
    await waitFor(1);
    const r = received[0];
    const ts = String(r.headers["x-lab-timestamp"]);
    expect(r.headers["x-lab-signature"]).toBe(
      `sha256=${createHmac("sha256", secret).update(`${ts}.${r.body}`).digest("hex")}`,
    );
    expect(bodies()[0]).toMatchObject({
      type: "lifecycle",
      rule: null,
      alert_type: "lifecycle.start_shadow",
      priority: "normal",
      strategy_id: id,
      data: { from: "CANDIDATE", to: "SHADOW" },
    });
    expect(bodies()[0].message).toContain("CANDIDATE → SHADOW");
    // The delivery is marked once the webhook's answer is back, a moment after the body arrived.
    let d = (await h.db.select().from(alertDeliveries))[0];
    for (let i = 0; i < 100 && d.status === "pending"; i++) {
      await new Promise((r) => setTimeout(r, 50));
      d = (await h.db.select().from(alertDeliveries))[0];
    }
    expect(d.status).toBe("delivered");
    // The in-app notification is there too (once).
    const inApp = await h.db.select().from(notifications).where(eq(notifications.workspaceId, h.ws.workspaceId));
    expect(inApp.filter((n) => n.title.includes("CANDIDATE → SHADOW"))).toHaveLength(1);
  });

  it("a drawdown breach fires one critical risk alert; the hourly decision's auto-disable is delivered too", async () => {
    for (let k = 0; k < 30; k++) await appendDemoBar(h.db);
    await forwardCheck(h.db, { now: new Date(), workspaceId: h.ws.workspaceId, runner: localRunner, decide: false });
    const dd = -((await getForwardTest(h.db, id))?.maxDrawdownPct ?? 0);
    expect(dd).toBeGreaterThan(0);
    // Within the limit: no alert.
    await setWorkspaceGates(h.db, h.caller("owner"), { disableBeyondDrawdownPct: dd + 0.5 });
    const within = await forwardCheck(h.db, {
      now: new Date(),
      workspaceId: h.ws.workspaceId,
      runner: localRunner,
      decide: false,
    });
    expect(within.riskAlerts).toEqual([]);
    await setWorkspaceGates(h.db, h.caller("owner"), { disableBeyondDrawdownPct: Math.max(0, dd - 0.01) });
    const first = await forwardCheck(h.db, {
      now: new Date(),
      workspaceId: h.ws.workspaceId,
      runner: localRunner,
      decide: false,
    });
    expect(first).toMatchObject({ riskAlerts: [id], disabled: [] });
    await waitFor(2);
    expect(bodies()[1]).toMatchObject({
      type: "lifecycle",
      alert_type: "risk.drawdown",
      priority: "critical",
      strategy_id: id,
      data: { state: "SHADOW", limit_pct: Math.max(0, dd - 0.01) },
    });
    expect(bodies()[1].data.forward_drawdown_pct).toBeCloseTo(-dd, 9);
    // The next 15-minute check sees the same breach: no second alert.
    const again = await forwardCheck(h.db, {
      now: new Date(),
      workspaceId: h.ws.workspaceId,
      runner: localRunner,
      decide: false,
    });
    expect(again.riskAlerts).toEqual([]);
    // The hourly decision disables it, and that is delivered (high priority).
    const hourly = await forwardCheck(h.db, { now: new Date(), workspaceId: h.ws.workspaceId, runner: localRunner });
    expect(hourly.disabled).toEqual([id]);
    await waitFor(3);
    expect(bodies()[2]).toMatchObject({
      alert_type: "lifecycle.disable",
      priority: "high",
      strategy_id: id,
      data: { to: "DISABLED" },
    });
    const risk = await h.db
      .select()
      .from(alertEvents)
      .where(and(eq(alertEvents.strategyId, id), eq(alertEvents.type, "risk.drawdown")));
    expect(risk).toHaveLength(1);
    expect(risk[0].ruleId).toBeNull();
  });
});
