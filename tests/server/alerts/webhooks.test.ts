/**
 * Alert evaluation and delivery with real parts: a demo universe in PGlite, the queue and its
 * workers, and three local HTTP endpoints (ok / never answers / HTTP 500). Signatures are
 * checked with an independent HMAC computed here.
 */
import { createHmac } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { fanOut } from "@/server/alerts/deliver";
import { evaluateRules } from "@/server/alerts/evaluate";
import { ensureDemoUniverse } from "@/server/data/demo";
import { getUniverseSymbols } from "@/server/data/scan";
import { alertChannels, alertDeliveries, notifications } from "@/server/db/schema";
import { createAlertRule, listAlertEvents } from "@/server/services/alerts";
import { createChannel } from "@/server/services/webhooks";
import { createHarness, sleep, type Harness } from "../jobs/harness";

interface Received {
  body: string;
  headers: IncomingMessage["headers"];
  at: number;
}

function endpoint(behaviour: "ok" | "hang" | "500"): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", () => {
      received.push({ body, headers: req.headers, at: Date.now() });
      if (behaviour === "ok") res.writeHead(200).end("ok");
      else if (behaviour === "500") res.writeHead(500).end("boom");
      // "hang": never answer
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      resolve({ server, url: `http://127.0.0.1:${port}/hook`, received });
    }),
  );
}

describe("alert delivery", () => {
  let h: Harness;
  let ok: Awaited<ReturnType<typeof endpoint>>, hang: typeof ok, fail: typeof ok;
  let okSecret = "";
  let symbols: string[] = [];
  beforeAll(async () => {
    process.env.LAB_WEBHOOK_TIMEOUT_MS = "400";
    process.env.LAB_WEBHOOK_MAX_FAILURES = "3";
    // The endpoints are local: the operator allow-list admits loopback for this self-hosted setup.
    process.env.LAB_OUTBOUND_ALLOW = "127.0.0.1";
    resetEnvCache();
    [ok, hang, fail] = await Promise.all([endpoint("ok"), endpoint("hang"), endpoint("500")]);
    h = await createHarness("pglite");
    await h.startWorkers({ alerts: true, demoFeed: false });
    await ensureDemoUniverse(h.db, { symbols: 5, years: 1 });
    symbols = (await getUniverseSymbols(h.db, "demo-5")).slice(0, 2);
    const admin = h.caller("owner");
    okSecret =
      (await createChannel(h.db, admin, { kind: "webhook", name: "ok", target: ok.url, minPriority: "normal" }))
        .secret ?? "";
    await createChannel(h.db, admin, { kind: "webhook", name: "hang", target: hang.url, minPriority: "normal" });
    await createChannel(h.db, admin, { kind: "webhook", name: "broken", target: fail.url, minPriority: "normal" });
  });
  afterAll(async () => {
    delete process.env.LAB_WEBHOOK_TIMEOUT_MS;
    delete process.env.LAB_WEBHOOK_MAX_FAILURES;
    delete process.env.LAB_OUTBOUND_ALLOW;
    resetEnvCache();
    await h?.close();
    for (const e of [ok, hang, fail]) e?.server.closeAllConnections();
    for (const e of [ok, hang, fail]) e?.server.close();
  });

  it("signs deliveries (independent HMAC), de-duplicates, and a hanging or failing endpoint blocks no one", async () => {
    expect(okSecret).toMatch(/^whsec_/);
    await createAlertRule(h.db, h.caller("member"), {
      name: "Any close",
      condition: { metric: "close", op: ">", value: 0 },
      symbols,
      params: {},
      trigger: "bar",
      cooldownSeconds: 0,
      priority: "high",
      enabled: true,
    });
    const t0 = Date.now();
    const first = await evaluateRules(h.db, { workspaceId: h.ws.workspaceId });
    expect(first.newEventIds).toHaveLength(2);
    await fanOut(h.db, h.boss, first.newEventIds);
    const again = await evaluateRules(h.db, { workspaceId: h.ws.workspaceId });
    expect(again.firings, "the condition still holds").toBe(2);
    expect(again.newEventIds, "same rule + symbol + bar → no second event").toHaveLength(0);

    const deadline = Date.now() + 15_000;
    while (ok.received.length < 2 && Date.now() < deadline) await sleep(100);
    expect(ok.received).toHaveLength(2);
    expect(
      Math.max(...ok.received.map((r) => r.at)) - t0,
      "the healthy endpoint is not held up by the hanging one",
    ).toBeLessThan(5_000);
    for (const r of ok.received) {
      const ts = String(r.headers["x-lab-timestamp"]);
      const expected = `sha256=${createHmac("sha256", okSecret).update(`${ts}.${r.body}`).digest("hex")}`;
      expect(r.headers["x-lab-signature"]).toBe(expected);
      const body = JSON.parse(r.body) as { symbol: string; priority: string; alert_type: string };
      expect(symbols).toContain(body.symbol);
      expect(body).toMatchObject({ priority: "high", alert_type: "condition" });
    }
    const feed = await listAlertEvents(h.db, h.ws.workspaceId, { limit: 10 });
    expect(feed.rows).toHaveLength(2);
  });

  it("disables the failing channel after repeated failures and tells admins why", async () => {
    const deadline = Date.now() + 30_000;
    let broken = (await h.db.select().from(alertChannels).where(eq(alertChannels.name, "broken")))[0];
    while (broken.enabled && Date.now() < deadline) {
      await sleep(250);
      broken = (await h.db.select().from(alertChannels).where(eq(alertChannels.name, "broken")))[0];
    }
    expect(broken.enabled).toBe(false);
    expect(broken.disabledReason).toMatch(/3 consecutive failed deliveries; last error: endpoint answered HTTP 500/);
    const notes = await h.db.select().from(notifications).where(eq(notifications.kind, "channel_disabled"));
    expect(notes.some((n) => n.audience === "admins" && n.title.includes("broken"))).toBe(true);
    const okDeliveries = await h.db.select().from(alertDeliveries).where(eq(alertDeliveries.status, "delivered"));
    expect(okDeliveries).toHaveLength(2);
  }, 40_000);
});
