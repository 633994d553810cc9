/**
 * POST /api/v1/strategies with `{ name, prompt }` generates the strategy with the offline model
 * (no provider keys are configured in tests) through the real route handler, saves it as a
 * generated version with its prompt, and answers 201 with the code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as strategiesRoute from "@/app/api/v1/strategies/route";
import { setDatabaseForTests } from "@/server/db";
import { listTemplates, saveTemplate } from "@/server/ai/workspace-prompts";
import { listVersions } from "@/server/services/strategies";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, type TestDatabase } from "@/tests/helpers/test-db";
import { apiRequest, keyFor, noParams } from "./rest-helpers";

describe("REST generation from a prompt", () => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let key: string;
  let readKey: string;

  beforeAll(async () => {
    t = await createTestDatabase("pglite");
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    key = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"])).key;
    readKey = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read"])).key;
  });
  afterAll(async () => t?.close());

  it("generates, saves and returns the strategy with the offline model", async () => {
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, {
        name: "RSI dip buyer",
        prompt: "buy when RSI(14) drops below 30, sell when it rises above 70",
      }),
      noParams,
    );
    const body = await res.json();
    expect(res.status, JSON.stringify(body)).toBe(201);
    expect(body.name, "the name sent wins over the generated one").toBe("RSI dip buyer");
    expect(body.latest_version).toBe(1);
    expect(body.versions).toHaveLength(1);
    expect(body.versions[0].source).toBe("generated");
    expect(body.versions[0].code).toMatch(/defineStrategy/);
    expect(body.versions[0].code).toMatch(/rsi/i);
    const [stored] = await listVersions(t.db, s.workspaceId, body.id);
    expect(stored.generation, "the prompt and model are recorded with the version").toMatchObject({
      prompt: expect.stringContaining("RSI(14)"),
      model: expect.stringMatching(/offline/),
    });
    const templates = (stored.generation as { promptTemplates?: Record<string, { version: number; sha256: string }> })
      .promptTemplates;
    expect(templates?.generation, "the prompt-template version that produced it (0 = built-in default)").toEqual({
      version: 0,
      sha256: expect.stringMatching(/^[0-9a-f]{12}$/),
    });
    expect(templates?.system?.version).toBe(0);
  }, 60_000);

  it("records a workspace's own template version when it has saved one", async () => {
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    const current = (await listTemplates(t.db, s.workspaceId)).find((x) => x.name === "generation");
    await saveTemplate(t.db, owner, {
      name: "generation",
      text: `${current?.text ?? ""}\nPrefer simple rules.`,
      note: "simpler",
    });
    await saveTemplate(t.db, owner, {
      name: "generation",
      text: `${current?.text ?? ""}\nPrefer very simple rules.`,
      note: "simplest",
    });
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, { prompt: "breakout above the 20-day high" }),
      noParams,
    );
    expect(res.status).toBe(201);
    const [stored] = await listVersions(t.db, s.workspaceId, (await res.json()).id);
    expect(
      (stored.generation as { promptTemplates: Record<string, { version: number }> }).promptTemplates.generation
        .version,
    ).toBe(2);
  }, 60_000);

  it("a read-only key cannot generate", async () => {
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", readKey, { prompt: "breakout trading" }),
      noParams,
    );
    expect(res.status).toBe(403);
  });

  it("an unknown model is a 400 naming it", async () => {
    const res = await strategiesRoute.POST(
      apiRequest("POST", "/api/v1/strategies", key, { prompt: "breakout trading", model: "nope:missing" }),
      noParams,
    );
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toMatch(/nope:missing/);
  });
});
