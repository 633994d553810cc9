/**
 * Secret rotation: the encryption key (reads accept the previous key until the one-transaction
 * re-encryption is done; a secret no key opens rolls everything back) and AUTH_SECRET (sessions
 * signed with the previous secret stay valid during the window). Both databases.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { decode, encode } from "@auth/core/jwt";
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { setProviderKey, workspaceCredentials } from "@/server/ai/workspace-keys";
import { authSecrets } from "@/server/auth/config";
import { alertChannels, auditLog, workspaceProviderKeys } from "@/server/db/schema";
import { decryptSecret, encryptSecret } from "@/server/db/secrets";
import { auditAuthSecrets, rotateEncryptionKey } from "@/server/ops/rotation";
import { createChannel } from "@/server/services/webhooks";
import { createTestDatabase, DRIVERS, type TestDatabase } from "../../helpers/test-db";
import { seedWorkspace } from "../../helpers/fixtures";

const OLD = "old-encryption-key-0123456789abcdef-0123";
const NEW = "new-encryption-key-fedcba9876543210-9876";
const ROOT = path.resolve(import.meta.dirname, "../../..");

function setKeys(current: string, previous?: string) {
  process.env.LAB_ENCRYPTION_KEY = current;
  if (previous) process.env.LAB_ENCRYPTION_KEY_PREVIOUS = previous;
  else delete process.env.LAB_ENCRYPTION_KEY_PREVIOUS;
  resetEnvCache();
}

describe.each(DRIVERS)("encryption key rotation (%s)", (driver) => {
  let db: TestDatabase;
  afterEach(() => {
    for (const k of ["LAB_ENCRYPTION_KEY", "LAB_ENCRYPTION_KEY_PREVIOUS", "AUTH_SECRET", "AUTH_SECRET_PREVIOUS"])
      delete process.env[k];
    resetEnvCache();
  });
  beforeAll(async () => {
    db = await createTestDatabase(driver);
  });
  afterAll(async () => db.close());

  it("reads with the previous key during the window, re-encrypts everything in one go, then needs only the new key", async () => {
    setKeys(OLD);
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const caller = {
      actor: { type: "user" as const, id: owner.id, label: owner.email },
      workspaceId: ws.workspaceId,
      role: "owner" as const,
    };
    await setProviderKey(db.db, caller, { provider: "openai", apiKey: "sk-rotation-test-key-000111" });
    const { secret } = await createChannel(db.db, caller, {
      kind: "webhook",
      name: "hook",
      target: "https://hooks.example.com/x",
      minPriority: "low",
    });

    setKeys(NEW);
    expect(
      (await workspaceCredentials(db.db, ws.workspaceId)).find((c) => c.provider === "openai"),
      "the new key alone cannot read old secrets",
    ).toBeUndefined();
    setKeys(NEW, OLD);
    expect(
      (await workspaceCredentials(db.db, ws.workspaceId)).find((c) => c.provider === "openai")?.apiKey,
      "the previous key is accepted",
    ).toBe("sk-rotation-test-key-000111");

    const counts = await rotateEncryptionKey(db.db, "operator:test");
    expect(counts).toEqual({ providerKeys: 1, webhookSecrets: 1 });
    setKeys(NEW);
    expect((await workspaceCredentials(db.db, ws.workspaceId)).find((c) => c.provider === "openai")?.apiKey).toBe(
      "sk-rotation-test-key-000111",
    );
    const [channel] = await db.db.select().from(alertChannels).where(eq(alertChannels.workspaceId, ws.workspaceId));
    expect(decryptSecret(channel.secretEnc ?? "", ws.workspaceId)).toBe(secret);
    const audit = await db.db.select().from(auditLog).where(eq(auditLog.action, "secrets.encryption_key_rotated"));
    expect(audit.map((a) => a.metadata)).toEqual([{ providerKeys: 1, webhookSecrets: 1 }]);
  });

  it("changes nothing when one stored secret opens with no accepted key, and names it", async () => {
    setKeys(NEW, OLD);
    const ws = await seedWorkspace(db.db);
    const owner = ws.users.owner;
    const caller = {
      actor: { type: "user" as const, id: owner.id, label: owner.email },
      workspaceId: ws.workspaceId,
      role: "owner" as const,
    };
    await setProviderKey(db.db, caller, { provider: "anthropic", apiKey: "sk-ant-another-key-222333" });
    const { channel } = await createChannel(db.db, caller, {
      kind: "webhook",
      name: "lost",
      target: "https://hooks.example.com/y",
      minPriority: "low",
    });
    const stranger = "a-key-nobody-configured-000000000000000";
    const { createHash } = await import("node:crypto");
    await db.db
      .update(alertChannels)
      .set({ secretEnc: encryptSecret("s3cret", ws.workspaceId, createHash("sha256").update(stranger).digest()) })
      .where(eq(alertChannels.id, channel.id));
    const before = [await db.db.select().from(workspaceProviderKeys), await db.db.select().from(alertChannels)];
    await expect(rotateEncryptionKey(db.db, "operator:test")).rejects.toThrow(
      `the signing secret of channel ${channel.id} ("lost") cannot be decrypted with LAB_ENCRYPTION_KEY or LAB_ENCRYPTION_KEY_PREVIOUS; set the key it was written with as LAB_ENCRYPTION_KEY_PREVIOUS and run again (nothing was changed)`,
    );
    expect(
      [await db.db.select().from(workspaceProviderKeys), await db.db.select().from(alertChannels)],
      "one transaction: nothing re-encrypted",
    ).toEqual(before);
    await db.db.delete(alertChannels).where(eq(alertChannels.id, channel.id));
  });

  it("audits an AUTH_SECRET change once, when the app starts with a new set of secrets", async () => {
    const records = async () =>
      (await db.db.select().from(auditLog).where(eq(auditLog.action, "auth.secrets_changed"))).map(
        (a) => a.metadata as { current: string; previous: string[]; replaced: string | null },
      );
    expect(await auditAuthSecrets(db.db, ["first-secret-0123456789"])).toBe(true);
    expect(await auditAuthSecrets(db.db, ["first-secret-0123456789"]), "same secrets: nothing new").toBe(false);
    expect(await auditAuthSecrets(db.db, ["second-secret-0123456789", "first-secret-0123456789"])).toBe(true);
    const [a, b] = await records();
    expect(b.previous).toEqual([a.current]);
    expect(b.replaced).toBe(a.current);
    expect(JSON.stringify(await records()), "only fingerprints are stored").not.toContain("secret-0123456789");
  });

  it.runIf(driver === "postgres")(
    "runs as npm run lab -- admin rotate-encryption-key",
    async () => {
      const result = await new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
        const child = spawn(
          process.execPath,
          ["--conditions=react-server", "--import", "tsx", "server/cli/lab.ts", "admin", "rotate-encryption-key"],
          {
            cwd: ROOT,
            env: {
              ...process.env,
              DATABASE_URL: db.url ?? "",
              LAB_ENCRYPTION_KEY: NEW,
              LAB_ENCRYPTION_KEY_PREVIOUS: OLD,
              LAB_LOG_LEVEL: "warn",
            },
          },
        );
        let out = "";
        let err = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (code) => resolve({ code, out, err }));
      });
      expect(result.code, result.err).toBe(0);
      expect(JSON.parse(result.out)).toEqual({ rotated: true, providerKeys: 2, webhookSecrets: 1 });
    },
    60_000,
  );
});

describe("AUTH_SECRET rotation", () => {
  afterEach(() => {
    delete process.env.AUTH_SECRET;
    delete process.env.AUTH_SECRET_PREVIOUS;
    resetEnvCache();
  });

  it("signs with the new secret and still opens sessions signed with the previous one", async () => {
    const salt = "authjs.session-token";
    process.env.AUTH_SECRET = "the-old-auth-secret-0123456789";
    resetEnvCache();
    const oldToken = await encode({ token: { sub: "u1", name: "A" }, secret: authSecrets(), salt });
    process.env.AUTH_SECRET = "the-new-auth-secret-9876543210";
    process.env.AUTH_SECRET_PREVIOUS = "the-old-auth-secret-0123456789";
    resetEnvCache();
    expect(authSecrets()).toEqual(["the-new-auth-secret-9876543210", "the-old-auth-secret-0123456789"]);
    expect(
      (await decode({ token: oldToken, secret: authSecrets(), salt }))?.sub,
      "old session still valid in the window",
    ).toBe("u1");
    const newToken = await encode({ token: { sub: "u2" }, secret: authSecrets(), salt });
    expect(
      (await decode({ token: newToken, secret: "the-new-auth-secret-9876543210", salt }))?.sub,
      "new sessions use the new secret",
    ).toBe("u2");
    delete process.env.AUTH_SECRET_PREVIOUS;
    resetEnvCache();
    await expect(
      decode({ token: oldToken, secret: authSecrets(), salt }),
      "after the window the old session is gone",
    ).rejects.toThrow();
  });
});
