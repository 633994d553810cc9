/**
 * OWASP API7 (server-side request forgery): webhook channels, workspace LLM base URLs and
 * market-data `next` links refuse loopback, private, link-local, CGNAT, multicast and metadata
 * addresses in every encoding, at creation and — after DNS resolution, on the connection itself —
 * at every call; redirects to them are refused; LAB_OUTBOUND_ALLOW admits chosen internal targets.
 * No internet needed: names resolve through an injected resolver, endpoints are local servers.
 */
import { createServer, type Server } from "node:http";
import { eq } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setDatabaseForTests } from "@/server/db";
import { alertChannels, alertDeliveries, alertEvents, alertRules, workspaceProviderKeys } from "@/server/db/schema";
import { deliver } from "@/server/alerts/deliver";
import { generateText } from "ai";
import { resolveModel } from "@/server/ai/providers";
import { createPolygonProvider } from "@/server/data/providers";
import {
  assertUserTarget,
  blockedReason,
  BlockedAddressError,
  checkUrlSyntax,
  guardedFetch,
  parseAllowList,
  type Resolver,
} from "@/server/http/outbound";
import { callerFor, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";

const NONE = parseAllowList("");
const resolverOf =
  (table: Record<string, string[]>): Resolver =>
  async (host) =>
    (table[host] ?? []).map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

function localServer(handler: (path: string) => { status: number; headers?: Record<string, string>; body?: string }) {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(req.url ?? "");
    const a = handler(req.url ?? "");
    res.writeHead(a.status, a.headers).end(a.body ?? "");
  });
  return new Promise<{ server: Server; port: number; hits: string[] }>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve({ server, port: (server.address() as { port: number }).port, hits })),
  );
}

describe("address rules", () => {
  it("refuses internal addresses, IPv4 and IPv6, including mapped, compatible, NAT64 and 6to4 forms", () => {
    const blocked = [
      "127.0.0.1",
      "127.255.255.254",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "100.100.100.200",
      "0.0.0.0",
      "224.0.0.1",
      "239.255.255.250",
      "255.255.255.255",
      "198.18.0.1",
      "::1",
      "::",
      "fd00:ec2::254",
      "fc00::1",
      "fe80::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:a9fe:a9fe",
      "::127.0.0.1",
      "64:ff9b::a9fe:a9fe",
      "2002:7f00:1::1",
      "2001:db8::1",
    ];
    for (const ip of blocked) expect(blockedReason(ip), ip).not.toBeNull();
    for (const ip of [
      "8.8.8.8",
      "1.1.1.1",
      "93.184.216.34",
      "172.32.0.1",
      "100.128.0.1",
      "2606:4700:4700::1111",
      "64:ff9b::808:808",
      "::ffff:8.8.8.8",
    ]) {
      expect(blockedReason(ip), ip).toBeNull();
    }
    expect(blockedReason("169.254.169.254")).toMatch(/link-local/);
    expect(blockedReason("::ffff:127.0.0.1")).toMatch(/loopback/);
  });

  it("refuses encoded IPv4 hosts (decimal, hex, octal, short), bracketed IPv6, local names and other schemes before any DNS", () => {
    const refused = [
      "http://2130706433/",
      "http://0x7f000001/",
      "http://0x7f.1/",
      "http://017700000001/",
      "http://127.1/",
      "http://[::ffff:127.0.0.1]/",
      "http://[::1]:8080/",
      "http://[fd00:ec2::254]/",
      "http://169.254.169.254/latest/meta-data/",
      "http://2852039166/",
      "http://localhost:3000/",
      "http://api.localhost/",
      "http://metadata/computeMetadata/v1/",
      "file:///etc/passwd",
      "gopher://127.0.0.1:25/",
      "ftp://example.com/",
    ];
    for (const url of refused) expect(() => checkUrlSyntax(url, { allow: NONE }), url).toThrow(BlockedAddressError);
    expect(checkUrlSyntax("https://hooks.example.com/x", { allow: NONE }).hostname).toBe("hooks.example.com");
  });

  it("a name that resolves (or re-resolves later) to an internal address is refused; one public answer among internal ones is not enough", async () => {
    const resolve = resolverOf({
      "hooks.example.test": ["93.184.216.34"],
      "rebind.example.test": ["10.0.0.7"],
      "mixed.example.test": ["93.184.216.34", "127.0.0.1"],
    });
    await expect(
      assertUserTarget("target", "https://hooks.example.test/x", { allow: NONE, resolve }),
    ).resolves.toBeUndefined();
    await expect(
      assertUserTarget("target", "https://rebind.example.test/x", { allow: NONE, resolve }),
    ).rejects.toMatchObject({
      code: "INVALID_INPUT",
      message: expect.stringMatching(/^target: rebind\.example\.test resolves to 10\.0\.0\.7, a private address/),
    });
    await expect(
      assertUserTarget("target", "https://mixed.example.test/x", { allow: NONE, resolve }),
    ).rejects.toMatchObject({ code: "INVALID_INPUT" });
    // Saved while public, re-resolved to loopback at delivery: refused on the connection itself.
    const later = resolverOf({ "hooks.example.test": ["127.0.0.1"] });
    await expect(
      guardedFetch("http://hooks.example.test/x", { method: "POST", body: "{}" }, { allow: NONE, resolve: later }),
    ).rejects.toBeInstanceOf(BlockedAddressError);
  });
});

describe("calls through the rules (local endpoints)", () => {
  let target: Awaited<ReturnType<typeof localServer>>;
  let redirector: Awaited<ReturnType<typeof localServer>>;
  beforeAll(async () => {
    target = await localServer(() => ({ status: 200, body: "secret" }));
    redirector = await localServer((path) =>
      path === "/meta"
        ? { status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } }
        : path === "/loop6"
          ? { status: 307, headers: { location: `http://[::ffff:127.0.0.1]:${target.port}/` } }
          : { status: 302, headers: { location: `http://127.0.0.1:${target.port}/ok` } },
    );
  });
  afterAll(() => {
    target.server.close();
    redirector.server.close();
  });

  it("a name resolving to loopback never connects; the allow-list admits it for self-hosted setups", async () => {
    const resolve = resolverOf({ "hooks.internal.test": ["127.0.0.1"] });
    const url = `http://hooks.internal.test:${target.port}/hook`;
    await expect(guardedFetch(url, { method: "POST", body: "{}" }, { allow: NONE, resolve })).rejects.toThrow(
      /loopback/,
    );
    expect(target.hits, "nothing reached the endpoint").toHaveLength(0);
    const res = await guardedFetch(
      url,
      { method: "POST", body: "{}" },
      { allow: parseAllowList("127.0.0.1"), resolve },
    );
    expect([res.status, await res.text()]).toEqual([200, "secret"]);
    expect(target.hits).toEqual(["/hook"]);
  });

  it("redirects to metadata or (mapped) loopback addresses are refused, even from an allowed endpoint", async () => {
    const allow = parseAllowList(`127.0.0.1`);
    await expect(guardedFetch(`http://127.0.0.1:${redirector.port}/meta`, {}, { allow })).rejects.toThrow(
      /169\.254\.169\.254 is a link-local/,
    );
    const onlyRedirector = parseAllowList("redirector.test");
    const resolve = resolverOf({ "redirector.test": ["127.0.0.1"] });
    const before = target.hits.length;
    await expect(
      guardedFetch(`http://redirector.test:${redirector.port}/other`, {}, { allow: onlyRedirector, resolve }),
    ).rejects.toThrow(/loopback/);
    await expect(
      guardedFetch(`http://redirector.test:${redirector.port}/loop6`, {}, { allow: onlyRedirector, resolve }),
    ).rejects.toThrow(/loopback/);
    expect(target.hits.length, "the redirect target was never contacted").toBe(before);
    const manual = await guardedFetch(`http://127.0.0.1:${redirector.port}/meta`, { redirect: "manual" }, { allow });
    expect(manual.status, "webhooks do not follow redirects at all").toBe(302);
  });

  it("a provider's `next_url` pointing at an internal address is refused (the operator's base URL host is trusted, nothing else)", async () => {
    const api = await localServer(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        status: "OK",
        results: [{ t: 1_700_000_000_000, o: 1, h: 1, l: 1, c: 1, v: 1 }],
        next_url: "http://169.254.169.254/latest/meta-data/iam",
      }),
    }));
    try {
      const provider = createPolygonProvider({
        apiKey: "k",
        baseUrl: `http://127.0.0.1:${api.port}`,
        resilience: { maxAttempts: 1, cacheTtlMs: 0 },
      });
      await expect(
        provider.fetchBars("AAPL", { fromMs: 1_600_000_000_000, toMs: 1_700_000_000_000, interval: "1d" }),
      ).rejects.toThrow(/169\.254\.169\.254/);
      expect(api.hits).toHaveLength(1);
    } finally {
      api.server.close();
    }
  });
});

describe("workspace LLM base URLs at call time", () => {
  it("a workspace's OpenAI-compatible endpoint on loopback is never called; the operator's own (env) endpoint is", async () => {
    const llm = await localServer(() => ({
      status: 200,
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        id: "x",
        object: "chat.completion",
        created: 1,
        model: "m",
        choices: [{ index: 0, message: { role: "assistant", content: "hi" }, finish_reason: "stop" }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      }),
    }));
    try {
      const creds = (origin: "workspace" | "env") => [
        {
          provider: "openai-compatible" as const,
          apiKey: "k",
          baseUrl: `http://127.0.0.1:${llm.port}/v1`,
          models: ["m"],
          origin,
        },
      ];
      const fromWorkspace = resolveModel("openai-compatible:m", creds("workspace")).model;
      await expect(generateText({ model: fromWorkspace, prompt: "x", maxRetries: 0 })).rejects.toThrow(/loopback/);
      expect(llm.hits, "the internal endpoint was never contacted").toHaveLength(0);
      const fromOperator = resolveModel("openai-compatible:m", creds("env")).model;
      expect((await generateText({ model: fromOperator, prompt: "x", maxRetries: 0 })).text).toBe("hi");
      expect(llm.hits).toHaveLength(1);
    } finally {
      llm.server.close();
    }
  });
});

describe.each(DRIVERS)("targets saved by users (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  beforeAll(async () => {
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
  });
  afterAll(async () => t?.close());

  const codeOf = async (p: Promise<unknown>) =>
    p.then(
      () => "OK",
      (e: unknown) => (e instanceof TRPCError ? `${e.code}: ${e.message}` : Promise.reject(e)),
    );

  it("webhook channels to metadata, ULA, loopback and encoded loopback are refused (400 naming target), nothing written", async () => {
    const admin = callerFor(t.db, s.users.admin);
    for (const target of [
      "http://169.254.169.254/latest/meta-data/",
      "http://[fd00:ec2::254]/",
      "http://127.0.0.1:8080/hook",
      "http://2130706433/",
      "http://[::ffff:127.0.0.1]/",
      "http://localhost/hook",
      "http://10.0.0.5/",
    ]) {
      const res = await codeOf(
        admin.alerts.createChannel({ workspaceId: s.workspaceId, kind: "webhook", name: "x", target }),
      );
      expect(res, target).toMatch(/^BAD_REQUEST: target: /);
    }
    expect(await t.db.select().from(alertChannels).where(eq(alertChannels.workspaceId, s.workspaceId))).toHaveLength(0);
  });

  it("delivery re-checks: a channel stored with an internal target (saved before the rules, or via the database) is never called", async () => {
    const hook = await localServer(() => ({ status: 200, body: "ok" }));
    try {
      const [rule] = await t.db
        .insert(alertRules)
        .values({ workspaceId: s.workspaceId, name: "r", symbols: ["AAA"] })
        .returning();
      const [event] = await t.db
        .insert(alertEvents)
        .values({
          workspaceId: s.workspaceId,
          ruleId: rule.id,
          symbol: "AAA",
          barTime: new Date(),
          type: "entry",
          priority: "high",
          message: "m",
        })
        .returning();
      const [channel] = await t.db
        .insert(alertChannels)
        .values({
          workspaceId: s.workspaceId,
          kind: "webhook",
          name: "legacy",
          target: `http://127.0.0.1:${hook.port}/hook`,
        })
        .returning();
      const [delivery] = await t.db
        .insert(alertDeliveries)
        .values({ workspaceId: s.workspaceId, channelId: channel.id, eventId: event.id })
        .returning();
      expect(await deliver(t.db, delivery.id, { retryCount: 0, retryLimit: 0 })).toBe("failed");
      expect(hook.hits, "the loopback endpoint was never contacted").toHaveLength(0);
      const [row] = await t.db.select().from(alertDeliveries).where(eq(alertDeliveries.id, delivery.id));
      expect(row.lastError).toMatch(/loopback address; outbound calls to it are refused/);
      await t.db.delete(alertChannels).where(eq(alertChannels.id, channel.id));
    } finally {
      hook.server.close();
    }
  });

  it("a workspace's OpenAI-compatible base URL pointing inside is refused (400 naming baseUrl), nothing stored", async () => {
    const admin = callerFor(t.db, s.users.admin);
    const res = await codeOf(
      admin.providers.set({
        workspaceId: s.workspaceId,
        provider: "openai-compatible",
        baseUrl: "http://169.254.169.254/v1",
        models: ["m"],
      }),
    );
    expect(res).toMatch(/^BAD_REQUEST: baseUrl: 169\.254\.169\.254 is a link-local/);
    expect(
      await t.db.select().from(workspaceProviderKeys).where(eq(workspaceProviderKeys.workspaceId, s.workspaceId)),
    ).toHaveLength(0);
  });
});
