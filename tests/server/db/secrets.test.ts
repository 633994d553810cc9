import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, secretHint } from "@/server/db/secrets";

const key = randomBytes(32);

describe("secrets at rest", () => {
  it("round-trips and never stores the plain text", () => {
    const stored = encryptSecret("sk-test-1234567890abcd", "ws-1", key);
    expect(stored).not.toContain("sk-test");
    expect(decryptSecret(stored, "ws-1", key)).toBe("sk-test-1234567890abcd");
    expect(encryptSecret("same", "ws-1", key), "fresh IV per call").not.toBe(encryptSecret("same", "ws-1", key));
  });

  it("fails when the value is moved to another workspace, altered, or the key changes", () => {
    const stored = encryptSecret("sk-abc", "ws-1", key);
    expect(() => decryptSecret(stored, "ws-2", key)).toThrow();
    const parts = stored.split(":");
    parts[3] = Buffer.from("tampered").toString("base64url");
    expect(() => decryptSecret(parts.join(":"), "ws-1", key)).toThrow();
    expect(() => decryptSecret(stored, "ws-1", randomBytes(32))).toThrow();
  });

  it("shows at most the last four characters", () => {
    expect(secretHint("sk-proj-abcdefgh1234")).toBe("…1234");
    expect(secretHint("short")).toBe("…");
  });
});
