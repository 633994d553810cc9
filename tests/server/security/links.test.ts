/**
 * Links the server hands out are built only from APP_URL or a trusted proxy's forwarded host:
 * a forged Host (which Next turns into the request URL) or X-Forwarded-Host from an untrusted
 * peer never changes a report's share link.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import * as reportsRoute from "@/app/api/v1/reports/route";
import { resetEnvCache } from "@/lib/env";
import { EXAMPLES } from "@/lib/sdk/examples";
import { setDatabaseForTests } from "@/server/db";
import { runs, type RunInput, type RunResult } from "@/server/db/schema";
import { publicOrigin } from "@/server/http/public-origin";
import { createStrategy } from "@/server/services/strategies";
import { seedWorkspace, type SeededWorkspace } from "@/tests/helpers/fixtures";
import { createTestDatabase, DRIVERS, type TestDatabase } from "@/tests/helpers/test-db";
import { keyFor, noParams } from "../api/rest-helpers";

// Auth.js needs the Next runtime; these requests carry API keys, never a session.
vi.mock("@/server/auth", () => ({
  auth: vi.fn(async () => null),
  currentUser: vi.fn(async () => null),
  signIn: vi.fn(),
  signOut: vi.fn(),
}));

function setEnv(vars: Record<string, string | undefined>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  resetEnvCache();
}

describe("publicOrigin", () => {
  afterEach(() => setEnv({ APP_URL: undefined, LAB_TRUSTED_PROXIES: undefined }));

  it("ignores Host and X-Forwarded-Host from untrusted peers; believes a trusted proxy; APP_URL wins", () => {
    const forged = new Headers({
      host: "evil.example",
      "x-forwarded-host": "evil.example",
      "x-forwarded-proto": "https",
      "x-lab-peer-ip": "198.51.100.9",
    });
    expect(publicOrigin(forged)).toBeNull();
    setEnv({ LAB_TRUSTED_PROXIES: "10.0.0.0/8" });
    expect(publicOrigin(forged), "peer is not the proxy").toBeNull();
    const viaProxy = new Headers({
      host: "internal:3000",
      "x-forwarded-host": "lab.example.com",
      "x-forwarded-proto": "https",
      "x-lab-peer-ip": "10.1.2.3",
    });
    expect(publicOrigin(viaProxy)).toBe("https://lab.example.com");
    expect(
      publicOrigin(new Headers({ "x-forwarded-host": "a.example/path@b", "x-lab-peer-ip": "10.1.2.3" })),
      "not a host",
    ).toBeNull();
    setEnv({ APP_URL: "https://lab.example.org/" });
    expect(publicOrigin(forged)).toBe("https://lab.example.org");
  });
});

describe.each(DRIVERS)("report share links (%s)", (driver) => {
  let t: TestDatabase;
  let s: SeededWorkspace;
  let key: string;
  let runId: string;

  beforeAll(async () => {
    t = await createTestDatabase(driver);
    setDatabaseForTests(t);
    s = await seedWorkspace(t.db);
    const owner = {
      actor: { type: "user" as const, id: s.users.owner.id, label: s.users.owner.email },
      workspaceId: s.workspaceId,
      role: "owner" as const,
    };
    const strategyId = (await createStrategy(t.db, owner, { code: EXAMPLES["sma-cross"].source })).strategy.id;
    const [run] = await t.db
      .insert(runs)
      .values({
        workspaceId: s.workspaceId,
        kind: "backtest",
        status: "succeeded",
        input: { strategyId, version: 1 } as RunInput,
        result: { engine: { timestamps: [1, 2], equity: [1, 1.1] } } as RunResult,
        finishedAt: new Date(),
      })
      .returning();
    runId = run.id;
    key = (await keyFor(t.db, s.users.owner.id, s.workspaceId, ["read", "run"])).key;
  });
  afterAll(async () => {
    setEnv({ APP_URL: undefined });
    await t?.close();
  });

  const publish = (headers: Record<string, string>) =>
    reportsRoute.POST(
      new Request("http://evil.example/api/v1/reports", {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          host: "evil.example",
          ...headers,
        },
        body: JSON.stringify({ run_id: runId }),
      }),
      noParams,
    );

  it("a forged Host (or X-Forwarded-Host) never appears in the link; without APP_URL the link is a path", async () => {
    const res = await publish({ "x-forwarded-host": "evil.example", "x-lab-peer-ip": "203.0.113.5" });
    expect(res.status).toBe(201);
    const { token, url } = await res.json();
    expect(url).toBe(`/r/${token}`);
  });

  it("with APP_URL the link uses it, whatever Host says", async () => {
    setEnv({ APP_URL: "https://lab.example.org" });
    const { token, url } = await (await publish({})).json();
    expect(url).toBe(`https://lab.example.org/r/${token}`);
  });
});
