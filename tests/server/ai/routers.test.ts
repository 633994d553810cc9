/**
 * The generation, prompts and providers routers through createCaller on PGlite: who may do what,
 * generation saving a strategy with its record, template validation/history/rollback, and
 * provider keys stored encrypted and never returned.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { strategyVersions, workspaceProviderKeys } from "@/server/db/schema";
import type { GenerationEvent } from "@/server/ai/pipeline";
import { shutdownSandbox } from "@/server/sandbox";
import { callerFor, seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";

let handle: TestDatabase;
let s: SeededWorkspace;

beforeAll(async () => {
  process.env.LAB_ENCRYPTION_KEY = "test-encryption-key-0123456789abcdef";
  resetEnvCache();
  handle = await createTestDatabase("pglite");
  s = await seedWorkspace(handle.db);
});
afterAll(async () => {
  shutdownSandbox();
  await handle?.close();
});

async function drain(iterable: AsyncIterable<GenerationEvent>): Promise<GenerationEvent[]> {
  const out: GenerationEvent[] = [];
  for await (const e of iterable) out.push(e);
  return out;
}

describe("generation router", () => {
  it("generates offline, streams, and saves a new strategy with the generation record", async () => {
    const c = callerFor(handle.db, s.users.member);
    const events = await drain(
      await c.generation.generate({
        workspaceId: s.workspaceId,
        request: "Find stocks that gap up by more than 3% with high volume",
        universe: "demo-5",
      }),
    );
    expect(events.filter((e) => e.type === "code-delta").length).toBeGreaterThan(10);
    const saved = events.find((e) => e.type === "saved");
    expect(saved, JSON.stringify(events.at(-1))).toBeDefined();
    if (saved?.type !== "saved") return;
    const [version] = await handle.db
      .select()
      .from(strategyVersions)
      .where(eq(strategyVersions.strategyId, saved.strategyId));
    expect(version.source).toBe("generated");
    expect(version.generation).toMatchObject({
      prompt: "Find stocks that gap up by more than 3% with high volume",
      model: "offline:template",
      attempts: 1,
      marketContext: { universe: "demo-5" },
    });
    expect(version.params).toHaveProperty("gapUpPct");
    expect(version.generation, "the rules and the faithfulness check are kept with the version").toMatchObject({
      rules: {
        source: "parser",
        notUnderstood: [],
        understood: expect.arrayContaining([expect.stringMatching(/^Enter long when the open gaps up more than 3%/)]),
      },
      faithfulness: { ok: true },
    });
  });

  it("refuses viewers and outsiders", async () => {
    const input = { workspaceId: s.workspaceId, request: "breakout trading" };
    const run = async (who: Parameters<typeof callerFor>[1]) =>
      drain(await callerFor(handle.db, who).generation.generate(input));
    await expect(run(s.users.viewer)).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(run(s.outsider)).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names the available models when an unknown one is asked for", async () => {
    const events = await drain(
      await callerFor(handle.db, s.users.member).generation.generate({
        workspaceId: s.workspaceId,
        request: "breakout trading",
        model: "openai:gpt-nope",
      }),
    );
    expect(events.at(-1)).toMatchObject({ type: "error", code: "INVALID" });
    expect(events.at(-1)?.type === "error" ? (events.at(-1) as { message: string }).message : "").toContain(
      "offline:template",
    );
  });
});

describe("prompts router", () => {
  it("saves a valid override, rejects bad placeholders, keeps history and rolls back", async () => {
    const admin = callerFor(handle.db, s.users.admin);
    await expect(
      admin.prompts.save({ workspaceId: s.workspaceId, name: "generation", text: "Do {request} with {oops}" }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("{oops}") });
    await expect(
      admin.prompts.save({ workspaceId: s.workspaceId, name: "repair", text: "Fix {code}" }),
    ).rejects.toMatchObject({ message: expect.stringContaining("{errors}") });
    await admin.prompts.save({ workspaceId: s.workspaceId, name: "generation", text: "V1 {request}" });
    await admin.prompts.save({ workspaceId: s.workspaceId, name: "generation", text: "V2 {request} in {universe}" });
    let gen = (await admin.prompts.list({ workspaceId: s.workspaceId })).find((t) => t.name === "generation");
    expect(gen).toMatchObject({ text: "V2 {request} in {universe}", version: 2, overridden: true });
    await admin.prompts.rollback({ workspaceId: s.workspaceId, name: "generation", version: 1 });
    gen = (await admin.prompts.list({ workspaceId: s.workspaceId })).find((t) => t.name === "generation");
    expect(gen).toMatchObject({ text: "V1 {request}", version: 3 });
    await admin.prompts.rollback({ workspaceId: s.workspaceId, name: "generation", version: 0 });
    gen = (await admin.prompts.list({ workspaceId: s.workspaceId })).find((t) => t.name === "generation");
    expect(gen?.overridden).toBe(false);
    expect(gen?.text).toBe(gen?.defaultText);
    const history = await admin.prompts.history({ workspaceId: s.workspaceId, name: "generation" });
    expect(history.map((h) => h.version)).toEqual([4, 3, 2, 1]);
  });

  it("lets members read but not change templates", async () => {
    const member = callerFor(handle.db, s.users.member);
    expect((await member.prompts.list({ workspaceId: s.workspaceId })).length).toBe(5);
    await expect(
      member.prompts.save({ workspaceId: s.workspaceId, name: "generation", text: "{request}" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("providers router", () => {
  it("stores a key encrypted, returns only a hint, and offers its models", async () => {
    const admin = callerFor(handle.db, s.users.admin);
    const secret = "sk-test-SECRET-abcdefghijklmnop-9xyz";
    const view = await admin.providers.set({ workspaceId: s.workspaceId, provider: "anthropic", apiKey: secret });
    expect(JSON.stringify(view)).not.toContain("SECRET");
    expect(view.keyHint).toBe("…9xyz");
    const [row] = await handle.db
      .select()
      .from(workspaceProviderKeys)
      .where(eq(workspaceProviderKeys.workspaceId, s.workspaceId));
    expect(row.encryptedKey).not.toContain("SECRET");
    const listed = await admin.providers.list({ workspaceId: s.workspaceId });
    expect(JSON.stringify(listed)).not.toContain("SECRET");
    const { models, defaultModel } = await callerFor(handle.db, s.users.viewer).providers.models({
      workspaceId: s.workspaceId,
    });
    expect(JSON.stringify(models)).not.toContain("SECRET");
    expect(models.map((m) => m.id)).toContain("anthropic:claude-sonnet-4-5");
    expect(models.at(-1)).toMatchObject({ id: "offline:template", offline: true });
    expect(defaultModel).toBe("anthropic:claude-sonnet-4-5");
    await admin.providers.remove({ workspaceId: s.workspaceId, provider: "anthropic" });
    expect((await admin.providers.models({ workspaceId: s.workspaceId })).defaultModel).toBe("offline:template");
  });

  it("keeps keys away from members and viewers", async () => {
    await expect(
      callerFor(handle.db, s.users.member).providers.list({ workspaceId: s.workspaceId }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      callerFor(handle.db, s.users.viewer).providers.set({
        workspaceId: s.workspaceId,
        provider: "openai",
        apiKey: "sk-123456789",
      }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

describe("daily LLM token budget", () => {
  it("stops hosted-model generation once the workspace's budget is spent, before any provider call", async () => {
    const { consumeLimit } = await import("@/server/services/rate-limit");
    const admin = callerFor(handle.db, s.users.admin);
    await admin.providers.set({ workspaceId: s.workspaceId, provider: "openai", apiKey: "sk-test-budget-0123456789" });
    const budget = { points: 2_000_000, durationSeconds: 86_400, message: "spent" };
    await consumeLimit(handle.db, "workspace-llm-tokens", s.workspaceId, budget, 2_000_000);
    const models = await admin.providers.models({ workspaceId: s.workspaceId });
    const hosted = models.models.find((m) => m.id.startsWith("openai:"));
    expect(hosted, "the stored key offers OpenAI models").toBeDefined();
    const events = await drain(
      await callerFor(handle.db, s.users.member).generation.generate({
        workspaceId: s.workspaceId,
        request: "breakout trading",
        model: hosted?.id,
      }),
    );
    expect(events[0]).toMatchObject({
      type: "error",
      code: "RATE_LIMIT",
      retryable: true,
      message: expect.stringMatching(/daily budget/),
    });
    expect(
      events.some((e) => e.type === "code-delta"),
      "nothing was generated",
    ).toBe(false);
    const offline = await drain(
      await callerFor(handle.db, s.users.member).generation.generate({
        workspaceId: s.workspaceId,
        request: "Buy on a new 20-day high and sell on a new 10-day low",
        model: "offline:template",
      }),
    );
    expect(
      offline.some((e) => e.type === "saved"),
      "the offline generator does not spend the budget",
    ).toBe(true);
  });
});
