/**
 * Structured logs: a journey with known secrets (password, API key, workspace provider key,
 * webhook secret, configured provider key, SMTP password, database password, metrics token)
 * runs with every console line routed through the logger, and no line may contain any of them.
 * Lines carry their request/run id and subsystem; errors are counted by code.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { AppError } from "@/lib/errors";
import { createApiKey, authenticateApiKey } from "@/server/auth/api-keys";
import { setProviderKey } from "@/server/ai/workspace-keys";
import { workspaceCredentials } from "@/server/ai/workspace-keys";
import { createChannel } from "@/server/services/webhooks";
import { authenticate } from "@/server/services/accounts";
import {
  configureLogging,
  installConsoleBridge,
  log,
  logError,
  memoryDestination,
  registerSecret,
} from "@/server/ops/log";
import { withLogContext } from "@/server/ops/log-context";
import { metrics } from "@/server/ops/metrics";
import { createTestDatabase, type TestDatabase } from "../../helpers/test-db";
import { callerFor, PASSWORD, seedWorkspace } from "../../helpers/fixtures";

const SECRETS = {
  AUTH_SECRET: "auth-secret-for-the-log-test-0123456789",
  LAB_ENCRYPTION_KEY: "encryption-key-for-the-log-test-0123456789abcdef",
  OPENAI_API_KEY: "sk-proj-LogTestOpenAiKey0123456789abcdef",
  ANTHROPIC_API_KEY: "anthropic-log-test-key-0123456789",
  LAB_METRICS_TOKEN: "metrics-token-for-log-test-0123",
  SMTP_URL: "smtp://alerts:SmtpPassw0rdForLogs@127.0.0.1:2525",
};
const SMTP_PASSWORD = "SmtpPassw0rdForLogs";
const DB_PASSWORD = "DbPassw0rdInAUrl";

describe("structured logs", () => {
  let db: TestDatabase;
  const saved = { ...console };
  const out = memoryDestination();
  beforeAll(async () => {
    Object.assign(process.env, SECRETS, { LAB_LOG_FORMAT: "json", LAB_LOG_LEVEL: "debug" });
    resetEnvCache();
    db = await createTestDatabase("pglite");
    await configureLogging(out.stream);
    installConsoleBridge();
  });
  afterAll(async () => {
    Object.assign(console, saved);
    delete (globalThis as Record<symbol, unknown>)[Symbol.for("strategy-lab.console-bridged")];
    for (const k of [...Object.keys(SECRETS), "LAB_LOG_FORMAT", "LAB_LOG_LEVEL"]) delete process.env[k];
    resetEnvCache();
    await db.close();
  });

  it("never writes a known secret, whatever path it takes to the log", async () => {
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const caller = {
      actor: { type: "user" as const, id: owner.id, label: owner.email, ip: "127.0.0.1" },
      workspaceId: ws.workspaceId,
      role: "owner" as const,
    };
    // The journey: sign in (right and wrong password), an API key used right and wrong, a
    // workspace provider key stored and read back, a webhook channel with its signing secret.
    expect(await authenticate(db.db, owner.email, PASSWORD, "127.0.0.1")).not.toBeNull();
    await authenticate(db.db, owner.email, "Wr0ng-password-typed", "127.0.0.1");
    const created = await createApiKey(db.db, caller, { name: "script", scopes: ["read"] });
    await withLogContext({ requestId: "req-journey-0001", subsystem: "http" }, async () => {
      await authenticateApiKey(db.db, `Bearer ${created.key}`, "127.0.0.1");
      await authenticateApiKey(db.db, `Bearer ${created.key}x`, "127.0.0.1").catch(() => undefined);
      console.info("[api] request with", { headers: { authorization: `Bearer ${created.key}` } });
    });
    const wsKey = "sk-ant-WorkspaceKeyForLogs0123456789";
    await setProviderKey(db.db, caller, { provider: "anthropic", apiKey: wsKey });
    const creds = await workspaceCredentials(db.db, ws.workspaceId);
    const stored = creds.find((c) => c.provider === "anthropic")?.apiKey ?? "";
    expect(stored).toBe(wsKey);
    registerSecret(stored);
    const channel = await createChannel(db.db, caller, {
      kind: "webhook",
      name: "hook",
      target: "https://hooks.example.com/in",
      minPriority: "low",
    });
    const webhookSecret = channel.secret ?? "";
    registerSecret(webhookSecret);

    // What careless code and third-party errors do with secrets.
    await withLogContext({ runId: "run-journey-0001", jobId: "job-1", subsystem: "jobs" }, async () => {
      console.error(new Error(`provider said: invalid key ${SECRETS.OPENAI_API_KEY} (${wsKey})`));
      console.warn("[jobs] retrying with", {
        apiKey: SECRETS.ANTHROPIC_API_KEY,
        nested: { deeper: { password: "Wr0ng-password-typed" } },
      });
      console.log(`connecting to postgres://lab:${DB_PASSWORD}@db.internal:5432/lab`);
      console.log(`smtp via ${SECRETS.SMTP_URL}; signing with ${webhookSecret}`);
      console.log(`https://hooks.example.com/in?token=${"QueryTok3nSecretValue"}&x=1`);
      log("jobs").info(
        {
          user: { email: owner.email, password: PASSWORD },
          secret: SECRETS.AUTH_SECRET,
          cookie: "authjs.session-token=abc",
        },
        "user context",
      );
      log("jobs").info(`key material ${SECRETS.LAB_ENCRYPTION_KEY} and ${SECRETS.LAB_METRICS_TOKEN}`);
    });

    const secrets = [
      ...Object.values(SECRETS),
      SMTP_PASSWORD,
      DB_PASSWORD,
      PASSWORD,
      "Wr0ng-password-typed",
      created.key,
      wsKey,
      webhookSecret,
      "QueryTok3nSecretValue",
      'abc"',
    ];
    expect(out.lines.length).toBeGreaterThan(6);
    for (const line of out.lines)
      for (const s of secrets) expect(line.includes(s), `secret ${s.slice(0, 6)}… in: ${line}`).toBe(false);

    // Every line is JSON with a subsystem; lines from the request and the run carry their ids.
    const parsed = out.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    for (const p of parsed) expect(typeof p.subsystem, JSON.stringify(p)).toBe("string");
    const api = parsed.find((p) => String(p.msg).startsWith("request with"));
    expect(api).toMatchObject({ subsystem: "api", requestId: "req-journey-0001" });
    const runLines = parsed.filter((p) => p.runId === "run-journey-0001");
    expect(runLines.length).toBe(7);
    for (const p of runLines) expect(p.jobId).toBe("job-1");
    expect(runLines[0]).toMatchObject({ subsystem: "jobs", level: "error" });
  });

  it("counts errors answered by the API by their code", async () => {
    const ws = await seedWorkspace(db.db);
    const count = async (code: string) =>
      (await metrics().errors.get()).values.find((v) => v.labels.code === code)?.value ?? 0;
    const forbidden = await count("FORBIDDEN");
    const notFound = await count("NOT_FOUND");
    const err = await callerFor(db.db, ws.outsider)
      .strategies.list({ workspaceId: ws.workspaceId })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((await count("FORBIDDEN")) + (await count("NOT_FOUND")), "an outsider's read is refused and counted").toBe(
      forbidden + notFound + 1,
    );
  });

  it("counts errors by their stable code", async () => {
    const before = (await metrics().errors.get()).values.find((v) => v.labels.code === "SANDBOX_TIMEOUT")?.value ?? 0;
    logError(log("jobs"), new AppError("SANDBOX_TIMEOUT" as never, "too slow"), "run failed");
    logError(log("jobs"), new Error("boom"), "run failed");
    const values = (await metrics().errors.get()).values;
    expect(values.find((v) => v.labels.code === "SANDBOX_TIMEOUT")?.value).toBe(before + 1);
    expect(values.find((v) => v.labels.code === "INTERNAL")?.value).toBeGreaterThanOrEqual(1);
  });
});
